"""Reads of the quotas: what counts against a rule in a year (works of signed deals nationwide,
or the share of foreign works in a platform's catalogue) and the counters the pages show.
`exchange.quotas` (the gate at signing) asks these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from typing import TYPE_CHECKING

from kinomost.catalog.selectors import with_owners
from kinomost.core import media as media_taxonomy
from kinomost.core import periods
from kinomost.exchange import proposals
from kinomost.exchange.models import SIGNED_STATES, Deal, DealVersion, QuotaMeasure, QuotaRule, QuotaScope
from kinomost.rights.licensed import licensed_within

if TYPE_CHECKING:
    from kinomost.catalog.models import Work


def origin_countries(work: Work) -> list[str]:
    """Countries of origin as catalogued, else the owner's country."""
    return list(work.countries or []) or ([work.owner.country] if work.owner.country else [])


def is_foreign(work: Work, territory: str) -> bool:
    return territory not in origin_countries(work)


def _counted(rule: QuotaRule, work: Work, version: DealVersion) -> bool:
    if rule.scope == QuotaScope.ALL:
        return True
    if rule.scope == QuotaScope.REVENUE_SHARE_FOREIGN and version.revenue_share <= 0:
        return False
    return is_foreign(work, rule.territory)


def deal_works_for(rule: QuotaRule, version: DealVersion, works: list[Work], year: int) -> set[int]:
    """The works of a version that count against `rule` in `year`: a term covering the rule's
    territory and media whose window starts that year."""
    leaves = set(media_taxonomy.expand(rule.media))
    for term in version.terms:
        countries, term_leaves, window = proposals.term_cells(term)
        if rule.territory in countries and leaves & set(term_leaves) and window.start.year == year:
            return {w.pk for w in works if _counted(rule, w, version)}
    return set()


def years_of(version: DealVersion) -> set[int]:
    return {periods.parse_date(t["start"]).year for t in version.terms}


def count_used(rule: QuotaRule, year: int, *, exclude_deal: int | None = None) -> set[int]:
    """Works counted against a count rule in a year, over every signed deal (nationwide)."""
    used: set[int] = set()
    deals = (
        Deal.objects.filter(state__in=SIGNED_STATES)
        .exclude(pk=exclude_deal)
        .prefetch_related(Prefetch("versions", queryset=DealVersion.objects.order_by("-number").prefetch_related("works__owner")))
    )
    for deal in deals:
        version = deal.versions.all()[0]
        used |= deal_works_for(rule, version, list(version.works.all()), year)
    return used


def platform_catalogue(rule: QuotaRule, licensee_id: int, year: int) -> set[int]:
    """Works the licensee may show in the rule's territory and media at some time that year: the
    storefront's rule (`rights.licensed`), so a series licensed brings its seasons and episodes."""
    year_window = periods.Period(date(year, 1, 1), date(year + 1, 1, 1))
    return set(licensed_within(licensee_id, rule.territory, media_taxonomy.expand(rule.media), year_window))


def foreign_share(rule: QuotaRule, work_ids: set[int]) -> Decimal:
    if not work_ids:
        return Decimal("0")
    works = with_owners(work_ids)
    foreign = sum(1 for w in works if is_foreign(w, rule.territory))
    return (Decimal(foreign) * 100 / Decimal(len(work_ids))).quantize(Decimal("0.1"))


@dataclass
class QuotaCounter:
    rule: QuotaRule
    year: int
    used: Decimal | int | None
    limit: Decimal

    @property
    def near_limit(self) -> bool:
        return self.used is not None and Decimal(self.used) >= self.limit * Decimal("0.9")

    @property
    def over_limit(self) -> bool:
        """Only a soft quota can be over (a hard one refuses the signature); the page says so."""
        return self.used is not None and Decimal(self.used) > self.limit

    def as_dict(self) -> dict:
        return {
            "rule": self.rule.pk,
            "name": self.rule.name,
            "names": self.rule.names,
            "territory": self.rule.territory,
            "media": self.rule.media,
            "measure": self.rule.measure,
            "scope": self.rule.scope,
            "hard": self.rule.hard,
            "year": self.year,
            "used": None if self.used is None else str(self.used),
            "limit": format(self.limit.normalize(), "f"),
            "near_limit": self.near_limit,
            "over_limit": self.over_limit,
        }


def quota_counters(actor=None, *, territory: str | None = None, year: int | None = None) -> list[QuotaCounter]:
    """used / limit for every rule. Count rules are nationwide (a number, no deal named); share
    rules are per platform, so they are filled in only for the actor's own organisation."""
    year = year or timezone.localdate().year
    rules = QuotaRule.objects.all()
    if territory:
        rules = rules.filter(territory=territory.upper())
    out = []
    for rule in rules:
        if rule.measure == QuotaMeasure.COUNT:
            used = len(count_used(rule, year))
        elif actor is not None:
            used = foreign_share(rule, platform_catalogue(rule, actor.organisation_id, year))
        else:
            used = None
        out.append(QuotaCounter(rule, year, used, rule.limit))
    return out
