"""Offers: a package built from the sender's catalogue — by hand or by a saved filter — with
proposed terms and money, sent to one or more organisations. Sending opens one deal per
receiver (each with version 1 = the package, and the offer's message as the first post), so
each receiver negotiates on its own and never sees the others."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.core import audit, periods
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.exchange import deals, proposals
from kinomost.exchange.errors import StepRefused
from kinomost.exchange.models import Deal, Offer, OfferItem, OfferStatus
from kinomost.exchange.permissions import NEGOTIATE
from kinomost.parties.models import Organisation
from kinomost.rights import availability as avail


@dataclass(frozen=True)
class PackageFilter:
    """A saved filter: works of the sender's catalogue of this kind, genre, year range and
    original language that are free for the offered rights."""

    kind: str | None = None
    genre: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    language: str | None = None
    available_for: dict | None = None  # a term: {territories, media, start, end, exclusive}

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def works_matching(actor, flt: PackageFilter) -> list[int]:
    """The filter's works now, in a stable order (year, then reference)."""
    qs = proposals.catalogue_of(actor.organisation).exclude(kind="episode")
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.genre:
        qs = qs.filter(genres__slug=flt.genre)
    if flt.year_from:
        qs = qs.filter(year__gte=flt.year_from)
    if flt.year_to:
        qs = qs.filter(year__lte=flt.year_to)
    if flt.language:
        qs = qs.filter(original_language__iexact=flt.language)
    ids = list(qs.distinct().order_by("year", "ref").values_list("pk", flat=True))
    if flt.available_for and ids:
        term = proposals.clean_term(flt.available_for)
        countries, leaves, window = proposals.term_cells(term)
        result = avail.availability(actor.organisation, ids, countries, leaves, window, term["exclusive"])
        ids = [i for i in ids if result[i].available]
    return ids


def create_offer(
    actor,
    *,
    name: str,
    proposal: proposals.ProposalInput | None = None,
    package_filter: PackageFilter | None = None,
    message: str = "",
    expires_on=None,
) -> Offer:
    """A draft offer. With a filter, the works are those it selects now (the filter is kept so
    the package can be rebuilt); works given by hand are added to them."""
    actor.require(NEGOTIATE, _("build offers"))
    if proposal is None:
        raise InvalidInput(_("An offer needs terms and money."), details={"terms": "required"})
    works = list(proposal.works or [])
    if package_filter is not None:
        works = list(dict.fromkeys([*works_matching(actor, package_filter), *[getattr(w, "pk", w) for w in works]]))
        if not works:
            raise InvalidInput(_("The filter selects no work."), details=[{"filter": package_filter.as_dict()}])
    cleaned = proposals.validate(proposals.ProposalInput(**{**proposal.__dict__, "works": works}), actor.organisation)
    if not (name or "").strip():
        raise InvalidInput(_("An offer needs a name."), details={"name": "required"})
    with transaction.atomic():
        offer = Offer.objects.create(
            sender=actor.organisation,
            created_by=actor.user,
            name=name.strip(),
            message=(message or "").strip(),
            expires_on=periods.parse_date(expires_on),
            saved_filter=package_filter.as_dict() if package_filter else {},
            **cleaned.fields(),
        )
        OfferItem.objects.bulk_create(OfferItem(offer=offer, work=w, position=i) for i, w in enumerate(cleaned.works))
        audit.record("exchange.offer_created", actor=actor, obj=offer, works=len(cleaned.works), filter=offer.saved_filter)
    return offer


def revise_offer(actor, offer_id: int, *, name: str, proposal: proposals.ProposalInput, message: str = "", expires_on=None) -> Offer:
    """A draft offer rewritten before it is sent: its name, works, terms, money, message and
    expiry (a sent offer stays as it was sent; its deals carry the negotiation)."""
    actor.require(NEGOTIATE, _("build offers"))
    cleaned = proposals.validate(proposal, actor.organisation)
    if not (name or "").strip():
        raise InvalidInput(_("An offer needs a name."), details={"name": "required"})
    with transaction.atomic():
        offer = Offer.objects.select_for_update().filter(pk=offer_id, sender_id=actor.organisation_id).first()
        if offer is None:
            raise NotFound(_("No such offer."))
        if offer.status != OfferStatus.DRAFT:
            raise StepRefused(_("This offer was already sent."), details=[{"status": offer.status}])
        for field, value in {
            "name": name.strip(),
            "message": (message or "").strip(),
            "expires_on": periods.parse_date(expires_on),
            **cleaned.fields(),
        }.items():
            setattr(offer, field, value)
        offer.save()
        offer.items.all().delete()
        OfferItem.objects.bulk_create(OfferItem(offer=offer, work=w, position=i) for i, w in enumerate(cleaned.works))
        audit.record("exchange.offer_revised", actor=actor, obj=offer, works=len(cleaned.works))
    return offer


def send_offer(actor, offer_id: int, recipients: list[str]) -> list[Deal]:
    """Send to organisations (by slug): one proposed deal each, in one transaction."""
    actor.require(NEGOTIATE, _("send offers"))
    slugs = list(dict.fromkeys(recipients or []))
    if not slugs:
        raise InvalidInput(_("Choose at least one organisation."), details={"recipients": "required"})
    with transaction.atomic():
        offer = Offer.objects.select_for_update().filter(pk=offer_id, sender_id=actor.organisation_id).first()
        if offer is None:
            raise NotFound(_("No such offer."))
        if offer.status != OfferStatus.DRAFT:
            raise StepRefused(_("This offer was already sent."), details=[{"status": offer.status}])
        if offer.expires_on and offer.expires_on < timezone.localdate():
            raise InvalidInput(_("The offer has already expired."), details=[{"expires_on": offer.expires_on.isoformat()}])
        found = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        missing = [s for s in slugs if s not in found]
        if missing or actor.organisation.slug in slugs:
            raise InvalidInput(
                _("Unknown or own organisation: %(slugs)s") % {"slugs": ", ".join(missing or [actor.organisation.slug])},
                details=[{"recipients": missing or [actor.organisation.slug]}],
            )
        data = proposals.ProposalInput(
            works=list(offer.items.values_list("work_id", flat=True)),
            terms=offer.terms,
            currency=offer.currency,
            **{f: getattr(offer, f) for f in proposals.MONEY_FIELDS},
        )
        opened = []
        for slug in slugs:
            deal = deals.create_deal(
                actor, found[slug], data, name=offer.name, expires_on=offer.expires_on, message=offer.message, offer=offer
            )
            opened.append(deals.propose(actor, deal.pk))
        offer.recipients.add(*found.values())
        offer.status = OfferStatus.SENT
        offer.sent_at = timezone.now()
        offer.save(update_fields=["status", "sent_at"])
        audit.record("exchange.offer_sent", actor=actor, obj=offer, recipients=[found[s].pk for s in slugs], deals=[d.pk for d in opened])
    return opened
