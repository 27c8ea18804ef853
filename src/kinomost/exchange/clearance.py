"""Reads of regulator approvals: which a work needs to be shown in a territory and medium
(`ApprovalRule`), which are granted, and whether a deal's terms are cleared. The storefront asks
`is_cleared`; signing and activation ask `require_approvals`. An approval of a season or series
covers its episodes (the family is `catalog.selectors.lineage`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.catalog.selectors import lineage
from kinomost.core import media as media_taxonomy
from kinomost.core import periods
from kinomost.exchange import proposals
from kinomost.exchange.errors import ApprovalsMissing
from kinomost.exchange.models import Approval, ApprovalRule, ApprovalStatus, Deal, DealVersion


def family_ids(work) -> list[int]:
    """The work and its season and series: an approval of a season covers its episodes."""
    work_id = getattr(work, "pk", work)
    return list(lineage([work_id]).get(work_id, (work_id,)))


def rules_for(territory: str, media) -> list[ApprovalRule]:
    """Approval rules whose (territory, media) meets the request's."""
    leaves = set(media_taxonomy.expand(media))
    return [r for r in ApprovalRule.objects.filter(territory=territory) if leaves & set(media_taxonomy.expand(r.media))]


def approvals_missing(work, territory: str, media, on_date=None, *, platform=None) -> list[dict]:
    """Which approvals the rules require for showing `work` in (territory, media) on a date and
    that are not granted. A revoked or refused approval counts as missing at once."""
    day = periods.parse_date(on_date) or timezone.localdate()
    platform_id = getattr(platform, "pk", platform)
    granted = _granted(family_ids(work), [territory], day)
    missing = []
    for rule in rules_for(territory, media):
        if not _has(granted, territory, rule, platform_id):
            missing.append({"territory": territory, "media": rule.media, "approval": rule.kind, "per_platform": rule.per_platform})
    return missing


def is_cleared(work, territory: str, media, on_date=None, *, platform=None) -> bool:
    return not approvals_missing(work, territory, media, on_date, platform=platform)


def cleared_since(family: dict[int, tuple[int, ...]], countries, media_leaves, *, platform=None) -> dict[tuple[int, str, str], date | None]:
    """(work, country, leaf) → the first day `is_cleared` holds from on (date.min: always; None:
    never, an approval the rules require is not granted) — its rules for many works and every
    day at once, for the cinema's visibility set. `family` is catalog.selectors.lineage of the
    works: an approval of a season or series covers its episodes. A granted approval counts from
    its date, so each rule is met from the earliest granted one; all of them from the latest."""
    platform_id = getattr(platform, "pk", platform)
    leaves = list(media_leaves)
    rules = [(r, set(media_taxonomy.expand(r.media)) & set(leaves)) for r in ApprovalRule.objects.filter(territory__in=list(countries))]
    rules = [(r, hit) for r, hit in rules if hit]
    out = {(wid, c, leaf): date.min for wid in family for c in countries for leaf in leaves}
    if not rules:
        return out
    earliest: dict[tuple[int, str, str, bool], date] = {}  # (work in a family, territory, kind, for this platform)
    every = {a for chain in family.values() for a in chain}
    granted = Approval.objects.filter(
        work_id__in=list(every), territory__in=sorted({r.territory for r, _ in rules}), status=ApprovalStatus.GRANTED
    )
    for wid, territory, kind, on_platform, issued in granted.values_list("work_id", "territory", "kind", "platform_id", "issued_on"):
        day = issued or date.min
        for ours in {False, on_platform == platform_id and platform_id is not None}:
            key = (wid, territory, kind, ours)
            earliest[key] = min(earliest.get(key, date.max), day)
    for wid, chain in family.items():
        for rule, hit in rules:
            met = min((earliest[k] for a in chain if (k := (a, rule.territory, rule.kind, rule.per_platform)) in earliest), default=None)
            for leaf in hit:
                key = (wid, rule.territory, leaf)
                out[key] = None if met is None or out[key] is None else max(out[key], met)
    return out


def _granted(work_ids, territories, day: date) -> dict[tuple[int, str, str], set]:
    """(work in family → reduced to 'any of family'), territory, kind → platforms (None = any)."""
    out: dict[tuple[str, str], set] = defaultdict(set)
    rows = Approval.objects.filter(work_id__in=work_ids, territory__in=territories, status=ApprovalStatus.GRANTED).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=day)
    )
    for a in rows.values("work_id", "territory", "kind", "platform_id"):
        out[(a["work_id"], a["territory"], a["kind"])].add(a["platform_id"])
    return out


def _has(granted, territory, rule, platform_id, family=None) -> bool:
    for (wid, terr, kind), platforms in granted.items():
        if terr != territory or kind != rule.kind or (family is not None and wid not in family):
            continue
        if not rule.per_platform or platform_id in platforms:
            return True
    return False


def missing_for_deal(deal: Deal, version: DealVersion, day: date) -> list[dict]:
    """Every (work, territory, rule) of a deal's terms without its granted approval."""
    works = list(version.works.all())
    families = {wid: set(chain) for wid, chain in lineage([w.pk for w in works]).items()}
    all_ids = set().union(*families.values()) if families else set()
    missing = []
    for term in version.terms:
        countries, leaves, _window = proposals.term_cells(term)
        rules = [r for r in ApprovalRule.objects.filter(territory__in=countries) if set(leaves) & set(media_taxonomy.expand(r.media))]
        if not rules:
            continue
        granted = _granted(all_ids, sorted({r.territory for r in rules}), day)
        for rule in rules:
            for w in works:
                if not _has(granted, rule.territory, rule, deal.licensee_id, families[w.pk]):
                    missing.append(
                        {
                            "work": w.pk,
                            "work_ref": w.ref,
                            "territory": rule.territory,
                            "media": rule.media,
                            "approval": rule.kind,
                            "per_platform": rule.per_platform,
                        }
                    )
    return missing


def require_approvals(deal: Deal, version: DealVersion, day: date) -> None:
    missing = missing_for_deal(deal, version, day)
    if missing:
        raise ApprovalsMissing(
            _("%(count)s approvals are missing before this deal can become active.") % {"count": len(missing)}, details=missing
        )


def approvals_of(actor, *, territory: str | None = None, work_id: int | None = None) -> QuerySet[Approval]:
    qs = Approval.objects.filter(organisation_id=actor.organisation_id).select_related("work", "platform")
    if territory:
        qs = qs.filter(territory=territory.upper())
    if work_id:
        qs = qs.filter(work_id=work_id)
    return qs
