"""Reads of the exchange's deals and offers: the ones a party may see. Tenancy is decided here:
a deal or an offer is visible only to its parties, a draft only to its initiator.

The other reads live per domain beside the services: `clearance` (regulator approvals),
`quota_usage` (quota counters), `balance` (the balance of the exchange), `inbox`."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kinomost.core.errors import NotFound
from kinomost.core.languages import name_for_reader
from kinomost.exchange.models import Deal, DealVersion, Offer


def quota_rule_name(rule, language: str | None = None) -> str:
    """A quota rule's name for a reader of `language` (the active one when None): its own
    translations (`QuotaRule.names`), then the .po files' for a shipped rule's English name."""
    if rule is None:
        return ""
    if rule.names:
        return name_for_reader(rule.names, rule.name, language)
    return _(rule.name)


def deals_of(actor, *, state: str | None = None, role: str | None = None) -> QuerySet[Deal]:
    """Deals the actor's organisation may see (Deal.visible_to: a party, and a draft only its
    initiator), as licensor, licensee or either."""
    org = actor.organisation_id
    qs = Deal.objects.filter(Deal.visible_to(org))
    if role == "licensor":
        qs = qs.filter(licensor_id=org)
    elif role == "licensee":
        qs = qs.filter(licensee_id=org)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("licensor", "licensee")


def deal_detail(actor, deal_id: int) -> Deal:
    """A deal with its versions (and their works) and its thread, if the actor is a party."""
    deal = (
        deals_of(actor)
        .prefetch_related(
            Prefetch("versions", queryset=DealVersion.objects.order_by("number").prefetch_related("items__work__localizations")),
            "messages",
        )
        .filter(pk=deal_id)
        .first()
    )
    if deal is None:
        raise NotFound(_("No such deal."))
    return deal


def latest_version(deal: Deal) -> DealVersion:
    return deal.versions.order_by("-number").first()


def deal_contracts(deal: Deal) -> list:
    """The ledger contracts the deal's signature wrote, each with its terms: the deal page links
    them (the deal points to the ledger; the ledger never points back)."""
    return list(deal.contracts.prefetch_related("terms"))


def offers_of(actor) -> QuerySet[Offer]:
    """Offers the organisation sent, and offers sent to it (never drafts of others)."""
    org = actor.organisation_id
    return Offer.objects.filter(Q(sender_id=org) | Q(recipients__id=org, status="sent")).distinct().select_related("sender")


def offer_for(actor, offer_id: int) -> Offer:
    offer = offers_of(actor).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound(_("No such offer."))
    return offer
