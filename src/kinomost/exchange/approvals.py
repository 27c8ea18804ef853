"""Approvals (a regulator's permits for a work in a territory) and the rules that require them.

Who may record an approval: the work's owner, or an organisation with rights on the work in that
territory (a holding, a grant given or received) — so a stranger cannot clear someone's film.
Revoking takes effect at once: clearance (`clearance.is_cleared`) reads the current status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from kinomost.catalog import selectors as catalog
from kinomost.core import audit, media as media_taxonomy, periods, territories
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.exchange import clearance
from kinomost.exchange.models import SIGNED_STATES, Approval, ApprovalKind, ApprovalRule, ApprovalStatus, Deal, NotificationKind
from kinomost.exchange.notifications import notify
from kinomost.exchange.permissions import NEGOTIATE
from kinomost.exchange.signals import approval_rules_changed, approvals_changed
from kinomost.parties.models import Organisation
from kinomost.rights import selectors as ledger

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

AGE_CATEGORIES = ("0+", "6+", "12+", "16+", "18+")  # Russia, 436-FZ


def record_approval(
    actor,
    *,
    work_id: int,
    territory: str,
    kind: str,
    status: str = ApprovalStatus.PENDING,
    number: str = "",
    issued_on=None,
    platform: str | None = None,
    permitted_use: str = "",
    age_category: str = "",
) -> Approval:
    actor.require(NEGOTIATE, _("record approvals"))
    problems = {}
    country = _country(territory, problems)
    if kind not in ApprovalKind.values:
        problems["kind"] = ", ".join(ApprovalKind.values)
    if status not in ApprovalStatus.values:
        problems["status"] = ", ".join(ApprovalStatus.values)
    if age_category and age_category not in AGE_CATEGORIES:
        problems["age_category"] = ", ".join(AGE_CATEGORIES)
    day = _date(issued_on, problems)
    if problems:
        raise InvalidInput(_("The approval is not valid."), details=problems)
    work = _work_with_interest(actor, work_id, country)
    platform_org = _platform(platform)
    with transaction.atomic():
        approval = Approval.objects.create(
            organisation=actor.organisation,
            work=work,
            territory=country,
            kind=kind,
            status=status,
            number=number.strip(),
            issued_on=day,
            platform=platform_org,
            permitted_use=permitted_use.strip(),
            age_category=age_category,
        )
        audit.record(
            "exchange.approval_recorded",
            actor=actor,
            obj=approval,
            work=work.pk,
            territory=country,
            kind=kind,
            status=status,
            number=approval.number,
        )
        approvals_changed.send(sender=Approval, works={work.pk}, territory=country)
        _tell_parties(approval)
    return approval


def change_status(actor, approval_id: int, status: str, *, number: str | None = None, issued_on=None) -> Approval:
    """Granted, refused, revoked… A revocation makes the work unavailable there at once."""
    actor.require(NEGOTIATE, _("record approvals"))
    if status not in ApprovalStatus.values:
        raise InvalidInput(_("Unknown approval status."), details={"status": ", ".join(ApprovalStatus.values)})
    problems = {}
    day = _date(issued_on, problems)
    if problems:
        raise InvalidInput(_("The approval is not valid."), details=problems)
    with transaction.atomic():
        approval = Approval.objects.select_for_update().filter(pk=approval_id, organisation_id=actor.organisation_id).first()
        if approval is None:
            raise NotFound(_("No such approval."))
        before = approval.status
        approval.status = status
        if number is not None:
            approval.number = number.strip()
        if day is not None:
            approval.issued_on = day
        approval.save()
        audit.record(
            "exchange.approval_changed",
            actor=actor,
            obj=approval,
            before=before,
            after=status,
            work=approval.work_id,
            territory=approval.territory,
        )
        approvals_changed.send(sender=Approval, works={approval.work_id}, territory=approval.territory)  # a revocation hides it now
        _tell_parties(approval)
    return approval


def define_rule(*, territory: str, media: str, kind: str, per_platform: bool = False, note: str = "") -> ApprovalRule:
    """Regulation, the same for everyone: set by operators (CLI, admin, migration defaults)."""
    problems = {}
    country = _country(territory, problems)
    try:
        media_taxonomy.expand(media)
    except InvalidInput as exc:
        problems["media"] = exc.message
    if kind not in ApprovalKind.values:
        problems["kind"] = ", ".join(ApprovalKind.values)
    if problems:
        raise InvalidInput(_("The approval rule is not valid."), details=problems)
    with transaction.atomic():
        rule, _created = ApprovalRule.objects.update_or_create(
            territory=country, media=media, kind=kind, defaults={"per_platform": per_platform, "note": note}
        )
        audit.record("exchange.approval_rule_defined", obj=rule, territory=country, media=media, kind=kind)
        approval_rules_changed.send(sender=ApprovalRule, territory=country)
    return rule


def _country(territory, problems) -> str:
    try:
        return territories.normalise_country(territory or "")
    except InvalidInput as exc:
        problems["territory"] = exc.message
        return ""


def _date(value, problems):
    try:
        return periods.parse_date(value)
    except InvalidInput as exc:
        problems["issued_on"] = exc.message
        return None


def _work_with_interest(actor, work_id: int, territory: str) -> Work:
    work = catalog.among([work_id]).first()
    if work is None:
        raise catalog.no_such_work()
    family = clearance.family_ids(work)
    org = actor.organisation_id
    if not (catalog.owns_any(org, family) or ledger.has_position(org, family, territory)):
        raise catalog.no_such_work()  # never confirm another's private work exists
    return work


def _platform(slug: str | None):
    if not slug:
        return None
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise NotFound(_("No such organisation."))
    return found


def _tell_parties(approval: Approval) -> None:
    """The parties of signed deals on that work (or its family) in that territory hear of it."""
    family = set(clearance.family_ids(approval.work))
    parties = set()
    for deal in Deal.objects.filter(state__in=SIGNED_STATES, versions__works__in=family).distinct():
        parties |= {deal.licensor_id, deal.licensee_id}
    parties.add(approval.organisation_id)
    for org_id in parties:
        notify(
            org_id,
            NotificationKind.APPROVAL_CHANGED,
            approval=approval,
            work=approval.work.ref,
            territory=approval.territory,
            status=approval.status,
        )
