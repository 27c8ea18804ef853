"""The balance of the exchange: works, hours and money flowing each way between two
organisations or two countries, by period, with the royalties paid beside the content they paid
for. A read model for the balance page, its CSV/XLSX export and the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from kinomost.catalog.selectors import runtimes
from kinomost.core import periods
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.exchange import proposals
from kinomost.exchange.models import SIGNED_STATES, Deal, DealVersion
from kinomost.parties.models import Organisation


PERIODS = ("month", "quarter", "year")


def period_label(day: date, by: str) -> str:
    if by == "month":
        return f"{day.year}-{day.month:02d}"
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


@dataclass
class Flow:
    """Content licensed in one direction in a period, and the money committed for it (paid the
    other way, by the licensee)."""

    runtimes: dict = field(default_factory=dict)  # work id → minutes; a work licensed twice counts once
    money: dict = field(default_factory=lambda: defaultdict(Decimal))
    royalties: dict = field(default_factory=lambda: defaultdict(Decimal))  # beyond the guarantees, from closed statements

    @property
    def works(self) -> set:
        return set(self.runtimes)

    @property
    def minutes(self) -> int:
        return sum(self.runtimes.values())

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    def as_dict(self) -> dict:
        return {
            "works": len(self.works),
            "hours": str(self.hours),
            "money": {c: str(v) for c, v in sorted(self.money.items())},
            "royalties": {c: str(v) for c, v in sorted(self.royalties.items())},
        }


@dataclass
class BalanceRow:
    period: str
    a_to_b: Flow
    b_to_a: Flow

    def index(self) -> dict:
        """Equal-exchange index: the smaller flow divided by the larger (1 = equal; None when
        nothing moved either way)."""
        out = {"works": _ratio(len(self.a_to_b.works), len(self.b_to_a.works)), "hours": _ratio(self.a_to_b.minutes, self.b_to_a.minutes)}
        for currency in sorted(set(self.a_to_b.money) | set(self.b_to_a.money)):
            out[f"money_{currency}"] = _ratio(self.a_to_b.money.get(currency, 0), self.b_to_a.money.get(currency, 0))
        return out

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "a_to_b": self.a_to_b.as_dict(),
            "b_to_a": self.b_to_a.as_dict(),
            "index": {k: (None if v is None else str(v)) for k, v in self.index().items()},
        }


def _ratio(x, y) -> Decimal | None:
    hi, lo = max(x, y), min(x, y)
    return None if not hi else (Decimal(lo) / Decimal(hi)).quantize(Decimal("0.001"))


@dataclass
class Balance:
    scope: str
    a: str
    b: str
    by: str
    rows: list[BalanceRow]
    total: BalanceRow


def balance(actor, a: str, b: str, *, scope: str = "organisation", by: str = "year", start=None, end=None) -> Balance:
    """Works, hours and money flowing each way between two organisations (the actor's own must
    be one of them) or two countries (aggregates of every signed deal between organisations
    based there: numbers only, no deal, party or work named). Content flows licensor → licensee;
    the money counted is fees + minimum guarantee, shown with the content it paid for."""
    if by not in PERIODS:
        raise InvalidInput(_("Group by month, quarter or year."), details=[{"by": by}])
    window = periods.Period(periods.parse_date(start), periods.parse_date(end))
    if scope == "country":
        a, b = (a or "").upper(), (b or "").upper()
    side_a, side_b = _sides(actor, a, b, scope)
    deals = Deal.objects.filter(state__in=SIGNED_STATES, signed_on__isnull=False)
    if scope == "organisation":
        deals = deals.filter(Q(licensor__in=side_a, licensee__in=side_b) | Q(licensor__in=side_b, licensee__in=side_a))
    else:
        deals = deals.filter(Q(licensor__country=a, licensee__country=b) | Q(licensor__country=b, licensee__country=a))
    deals = deals.prefetch_related(Prefetch("versions", queryset=DealVersion.objects.order_by("-number").prefetch_related("works")))
    rows: dict[str, BalanceRow] = {}
    total = BalanceRow(_("total"), Flow(), Flow())
    a_ids = set(side_a.values_list("pk", flat=True)) if scope == "organisation" else None
    for deal in deals:
        if not window.contains_date(deal.signed_on):
            continue
        version = deal.versions.all()[0]
        works = list(version.works.all())
        minutes = runtimes(works)
        money = proposals.committed_money(version, len(works))
        from_a = deal.licensor_id in a_ids if a_ids is not None else deal.licensor.country == a
        label = period_label(deal.signed_on, by)
        row = rows.setdefault(label, BalanceRow(label, Flow(), Flow()))
        for target in (row, total):
            flow = target.a_to_b if from_a else target.b_to_a
            flow.runtimes.update(minutes)
            flow.money[version.currency] += money
    if scope == "organisation":
        _add_royalties(rows, total, side_a, side_b, by, window)
    return Balance(scope, a, b, by, [rows[k] for k in sorted(rows)], total)


def _add_royalties(rows: dict, total: "BalanceRow", side_a, side_b, by: str, window) -> None:
    """Royalties paid each way (closed statements: what was earned beyond the guarantees), shown
    beside the content they paid for: on the licensor → licensee flow. The royalties app sits
    above the exchange (docs/decisions.md), so it is asked only when installed."""
    try:
        from kinomost.royalties.statements import royalties_between
    except ImportError:
        return
    for from_a, (licensors, licensees) in ((True, (side_a, side_b)), (False, (side_b, side_a))):
        paid = royalties_between(licensors.values_list("pk", flat=True), licensees.values_list("pk", flat=True), window)
        for start, by_currency in paid.items():
            label = period_label(date.fromisoformat(start), by)
            row = rows.setdefault(label, BalanceRow(label, Flow(), Flow()))
            for target in (row, total):
                flow = target.a_to_b if from_a else target.b_to_a
                for currency, amount in by_currency.items():
                    flow.royalties[currency] += amount


def _sides(actor, a: str, b: str, scope: str):
    if scope == "country":
        codes = [(a or "").upper(), (b or "").upper()]
        if any(len(c) != 2 for c in codes) or codes[0] == codes[1]:
            raise InvalidInput(_("Give two different ISO country codes."), details=[{"a": a, "b": b}])
        return None, None
    if scope != "organisation":
        raise InvalidInput(_("Compare organisations or countries."), details=[{"scope": scope}])
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=[a, b])}
    if a not in found or b not in found or a == b:
        raise NotFound(_("No such organisation."))
    if actor.organisation_id not in (found[a].pk, found[b].pk):
        raise NotFound(_("No such organisation."))
    return Organisation.objects.filter(pk=found[a].pk), Organisation.objects.filter(pk=found[b].pk)
