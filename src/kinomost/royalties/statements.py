"""Royalty statements: what a licensee owes a licensor under one contract for one period — the
one owner of the rules (docs/royalties.md explains them with a worked example).

Receipts come from three places, all read here:
- the cinema's own transactional charges (rentals, purchases: cinema.Revenue naming the
  contract) belong to the title sold;
- an SVOD period's subscription receipts on a platform in a territory form a pool shared among
  every title watched there, pro rata to qualifying seconds (sessions from the platform's
  `qualifying_seconds`), split by largest remainder so the shares add up to the pool exactly;
- usage imported from platforms outside Kinomost (royalties.usage).
Per work: receipts converted to the contract currency at the period's average rate (royalties.fx),
royalty = receipts × share + hours × per-hour rate, each line rounded half-even to the minor unit;
totals are sums of rounded lines. The minimum guarantee is recouped first (across the works, or
work by work when not cross-collateralised); only royalty beyond it is payable; the flat fee and
the guarantee itself fall due in the period the contract was signed; withholding tax is taken
from what is payable. A closed period's statement is read back frozen (ClosedStatement); usage
that arrives for a closed period after it closed is counted in the next open period as an
adjustment line naming the period it belongs to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.catalog import selectors as catalog
from kinomost.cinema import selectors as cinema
from kinomost.cinema.playback import STALE_AFTER
from kinomost.core import money
from kinomost.core.audit import record
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.parties.roles import CLOSE_STATEMENTS
from kinomost.rights import commercial
from kinomost.royalties import fx, periods
from kinomost.royalties.models import ClosedStatement, UsageRow
from kinomost.royalties.periods import StatementPeriod

HOURS = Decimal("0.0001")  # hours are shown (and paid per hour) to 0.36 s
SECONDS = Decimal("0.001")


@dataclass
class _Line:
    views: int = 0
    seconds: Decimal = Decimal(0)
    receipts: list = field(default_factory=list)  # (amount, currency, fx period)


@dataclass
class Statement:
    document: dict
    usage_row_ids: list[int]
    recouped: dict  # "all" or work id (str) → total recouped up to and including this period


class Computation:
    """One run's caches: a platform-territory pool is allocated once however many contracts share
    it, a rate is averaged once, a statement computed once (the chain of earlier periods)."""

    def __init__(self):
        self.pools: dict[tuple, dict] = {}
        self.usage: dict[tuple, list] = {}
        self.rates: dict[tuple, fx.Rate] = {}
        self.statements: dict[tuple, Statement] = {}

    def rate(self, currency: str, into: str, period: StatementPeriod) -> fx.Rate:
        key = (currency, into, period)
        if key not in self.rates:
            self.rates[key] = fx.period_rate(currency, into, period)
        return self.rates[key]

    def platform_usage(self, platform_id: int, period: StatementPeriod) -> list[_Usage]:
        """The platform's qualifying sessions in the period, per (contract, work): one pass over
        its viewing serves every contract and every pool."""
        key = (platform_id, period)
        if key not in self.usage:
            rows = cinema.qualifying_viewing(platform_id, _moment(period.start), _moment(period.end))
            self.usage[key] = [
                _Usage(contract_id, work_id, views, _seconds(seconds), {t: _seconds(s) for t, s in svod.items()})
                for work_id, contract_id, views, seconds, svod in rows
            ]
        return self.usage[key]

    def pool_shares(self, platform_id: int, territory: str, currency: str, pool: Decimal, period: StatementPeriod) -> dict:
        """(contract id, work id) → its share of this pool, by qualifying seconds watched under SVOD."""
        key = (platform_id, territory, currency, period)
        if key not in self.pools:
            weights = {
                (u.contract_id, u.work_id): u.svod[territory] for u in self.platform_usage(platform_id, period) if u.svod.get(territory)
            }
            self.pools[key] = money.allocate(pool, dict(sorted(weights.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1]))), currency)
        return self.pools[key]


@dataclass
class _Usage:
    """A (contract, work)'s qualifying viewing on one platform in a period: views and seconds under
    every medium (the statement's line), and seconds under SVOD per territory (its pool weights)."""

    contract_id: int | None
    work_id: int
    views: int
    seconds: Decimal
    svod: dict[str, Decimal]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def _seconds(value) -> Decimal:
    return Decimal(repr(float(value or 0))).quantize(SECONDS)


# ---------------------------------------------------------------- reading statements (tenancy)


def contracts_between(actor, *, counterparty: str | None = None, reference: str | None = None):
    """Contracts with commercial terms the actor's organisation is party to (licensor or licensee),
    optionally with one counterparty (slug, or the name of a licensor outside Kinomost) or one reference."""
    org = actor.organisation
    qs = commercial.contracts_with_terms(org).order_by("reference", "id")
    if counterparty:
        qs = qs.filter(
            Q(licensor__slug=counterparty, licensee=org)
            | Q(licensee__slug=counterparty, licensor=org)
            | Q(licensor__isnull=True, licensor_name=counterparty, licensee=org)
        )
    if reference:
        qs = qs.filter(reference=reference)
    return qs


def statements_for(actor, period_label: str, *, counterparty: str | None = None, reference: str | None = None) -> list[dict]:
    """The actor's statements for the period: one per contract whose accounting period is of that
    kind (a quarterly contract has no statement for a month). A reference that matches nothing,
    or names a contract of another organisation, answers NotFound."""
    period = periods.parse(period_label)
    contracts = list(contracts_between(actor, counterparty=counterparty, reference=reference))
    if reference and not contracts:
        raise NotFound(_("No such contract."))
    run = Computation()
    found = [compute(c, period, run=run).document for c in contracts if commercial.terms_of(c).period == period.kind]
    if reference and not found:
        terms = commercial.terms_of(contracts[0])
        raise InvalidInput(
            _("This contract is accounted %(kind)s: ask for a period such as %(example)s.")
            % {"kind": terms.period_label, "example": periods.containing(period.start, terms.period).label},
            details=[{"period": period.label, "accounting": terms.period}],
        )
    return found


# ---------------------------------------------------------------- computing


def compute(contract, period: StatementPeriod, *, run: Computation | None = None) -> Statement:
    """The statement (frozen if the period is closed), computing the earlier periods first for the
    minimum guarantee's recoupment. Recomputing an open period is idempotent: it reads, never writes."""
    run = run or Computation()
    terms = commercial.terms_of(contract)
    if terms is None:
        raise InvalidInput(_("This contract states no commercial terms."))
    if period.kind != terms.period:
        raise InvalidInput(_("This contract is accounted %(kind)s.") % {"kind": terms.period_label}, details={"period": period.label})
    closed = _closed(contract)
    # Earlier periods matter only for the guarantee's recoupment, so the chain starts at the first
    # period with any usage under the contract (before it nothing was earned).
    first = periods.containing(min(_first_activity(contract) or period.start, period.start), period.kind)
    recouped: dict = {}
    current = first
    while current <= period:
        key = (contract.pk, current)
        if key not in run.statements:
            run.statements[key] = (
                _frozen(closed[current.label]) if current.label in closed else _compute(contract, terms, current, recouped, closed, run)
            )
        recouped = run.statements[key].recouped
        current = current.next()
    return run.statements[(contract.pk, period)]


def _first_activity(contract) -> date | None:
    """The first day anything was watched, sold or reported under the contract (each an indexed read)."""
    found = [
        cinema.first_use_under_contract(contract.pk),
        UsageRow.objects.filter(contract=contract).order_by("month").values_list("month", flat=True).first(),
    ]
    days = [timezone.localtime(d).date() if isinstance(d, datetime) else d for d in found if d is not None]
    return min(days) if days else None


def _beginning(contract) -> date:
    starts = [t.start for t in contract.terms.all()]
    return min([d for d in [contract.signed_on, *starts] if d] or [date.today()])


def _closed(contract) -> dict[str, ClosedStatement]:
    return {c.period: c for c in ClosedStatement.objects.filter(contract=contract)}


def _frozen(closed: ClosedStatement) -> Statement:
    return Statement(closed.document, list(closed.usage_rows), closed.document.get("recouped", {}))


def _compute(
    contract,
    terms: commercial.CommercialTerms,
    period: StatementPeriod,
    recouped_before: dict,
    closed: dict[str, ClosedStatement],
    run: Computation,
) -> Statement:
    code = terms.currency
    own_id = contract.pk
    # Every work the contract covers → the contract's own work it falls under (a film itself; an
    # episode or season → the series or season the contract names), and those works' refs: each
    # level one join on the contract's terms, not a list of 5,000 ids sent as parameters.
    covered, refs = catalog.families_under(commercial.work_ids_of(contract))
    lines: dict[tuple[int, str | None], _Line] = defaultdict(_Line)

    def line(work_id, adjusts=None) -> _Line | None:
        top = covered.get(work_id)
        return None if top is None else lines[(top, adjusts)]

    # The cinema's own facts, on the licensee's platforms.
    start, end = _moment(period.start), _moment(period.end)
    for work_id, currency, total in cinema.sales_under_contract(own_id, start, end):
        target = line(work_id)
        if target is not None:
            target.receipts.append((Decimal(total), currency, period))
    if contract.licensee_id:
        for platform_id, territory, currency, total in cinema.subscription_receipts(contract.licensee_id, start, end):
            total = money.round_to(Decimal(total), currency)
            shares = run.pool_shares(platform_id, territory, currency, total, period)
            for (contract_id, work_id), share in shares.items():
                if contract_id == own_id and share:
                    target = line(work_id)
                    if target is not None:
                        target.receipts.append((share, currency, period))
        for platform_id in cinema.platform_ids_of(contract.licensee_id):
            for usage in run.platform_usage(platform_id, period):
                target = line(usage.work_id) if usage.contract_id == own_id else None
                if target is not None:
                    target.views += usage.views
                    target.seconds += usage.seconds

    # Usage reported from outside, and late usage of closed periods (adjustments).
    counted_elsewhere = {i for c in closed.values() for i in c.usage_rows}
    usage_ids = []
    for row in UsageRow.objects.filter(contract=contract, month__lt=period.end).exclude(pk__in=counted_elsewhere).order_by("month", "id"):
        own = periods.containing(row.month, period.kind)
        if own == period:
            adjusts = None
        elif own.label in closed and _first_open_after(own, closed) == period:
            adjusts = own.label
        else:
            continue  # an earlier open period's own usage: counted there
        target = line(row.work_id, adjusts)
        if target is None:
            continue
        target.views += row.views
        target.seconds += Decimal(row.seconds)
        target.receipts.append((row.receipts, row.currency, own))
        usage_ids.append(row.pk)

    rates: dict[tuple, fx.Rate] = {}
    out_lines = []
    for (work_id, adjusts), item in sorted(lines.items(), key=lambda kv: (kv[0][1] is not None, kv[0][1] or "", refs.get(kv[0][0], ""))):
        converted = Decimal(0)
        for amount, currency, fx_period in item.receipts:
            rate = run.rate(currency, code, fx_period)
            if currency != code:
                rates[(currency, fx_period.label)] = rate
            converted += amount * rate.rate
        receipts = money.round_to(converted, code)
        hours = (item.seconds / 3600).quantize(HOURS)
        royalty = money.round_to(receipts * terms.revenue_share / 100 + hours * terms.per_hour, code)
        out_lines.append(
            {
                "work": refs.get(work_id, str(work_id)),
                "work_id": work_id,
                "views": item.views,
                "hours": str(hours),
                "receipts": str(receipts),
                "royalty": str(royalty),
                "adjusts": adjusts,
            }
        )

    mg, recouped = _recoup(terms, covered, out_lines, recouped_before)
    signing = _beginning(contract) if contract.signed_on is None else contract.signed_on
    flat_fee_due = money.round_to(terms.flat_fee, code) if period.contains(signing) else money.round_to(Decimal(0), code)
    advance_due = money.round_to(terms.minimum_guarantee, code) if period.contains(signing) else money.round_to(Decimal(0), code)
    royalty_total = sum((Decimal(l["royalty"]) for l in out_lines), money.round_to(Decimal(0), code))
    overage = royalty_total - mg["recouped_now"]
    before_tax = overage + flat_fee_due + advance_due
    withholding = money.round_to(before_tax * terms.withholding_tax / 100, code)
    document = {
        "licensor": contract.licensor.slug if contract.licensor_id else contract.licensor_name,
        "licensee": contract.licensee.slug if contract.licensee_id else "",
        "contract": contract.reference,
        "contract_id": contract.pk,
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": "open",
        "closed_at": None,
        "currency": code,
        "lines": out_lines,
        "views": sum(l["views"] for l in out_lines),
        "hours": str(sum((Decimal(l["hours"]) for l in out_lines), Decimal(0)).quantize(HOURS)),
        "receipts": str(sum((Decimal(l["receipts"]) for l in out_lines), money.round_to(Decimal(0), code))),
        "royalty": str(royalty_total),
        "revenue_share": str(terms.revenue_share),
        "per_hour": str(terms.per_hour),
        "minimum_guarantee": {k: str(v) for k, v in mg.items()},
        "cross_collateralised": terms.cross_collateralised,
        "overage": str(overage),
        "flat_fee_due": str(flat_fee_due),
        "advance_due": str(advance_due),
        "payable_before_tax": str(before_tax),
        "withholding_tax": str(terms.withholding_tax),
        "withholding": str(withholding),
        "payable": str(before_tax - withholding),
        "fx": [r.as_dict() for _k, r in sorted(rates.items())],
        "recouped": {k: str(v) for k, v in recouped.items()},
    }
    return Statement(document, usage_ids, document["recouped"])


def _first_open_after(own: StatementPeriod, closed: dict) -> StatementPeriod:
    target = own.next()
    while target.label in closed:
        target = target.next()
    return target


def _recoup(terms: commercial.CommercialTerms, covered: dict, lines: list[dict], before: dict) -> tuple[dict, dict]:
    """The minimum guarantee's recoupment this period: {amount, recouped_before, recouped_now,
    remaining} and the running totals to carry on. One guarantee across the works when
    cross-collateralised; else the guarantee split equally among the contract's works (largest
    remainder) and each work recoups only its own part."""
    code = terms.currency
    zero = money.round_to(Decimal(0), code)
    amount = money.round_to(terms.minimum_guarantee, code)
    earned: dict[str, Decimal] = defaultdict(lambda: zero)
    for l in lines:
        earned["all" if terms.cross_collateralised else str(l["work_id"])] += Decimal(l["royalty"])
    if terms.cross_collateralised:
        guarantees = {"all": amount}
    else:
        own = sorted(set(covered.values()))
        guarantees = {str(k): v for k, v in money.allocate(amount, {w: 1 for w in own}, code).items()}
    totals = {"amount": amount, "recouped_before": zero, "recouped_now": zero, "remaining": zero}
    carried = {}
    for key, guarantee in guarantees.items():
        already = Decimal(before.get(key, 0))
        now = min(guarantee - already, earned[key])
        carried[key] = already + now
        totals["recouped_before"] += already
        totals["recouped_now"] += now
        totals["remaining"] += guarantee - already - now
    return totals, carried


# ---------------------------------------------------------------- closing


def close(period_label: str, *, actor=None, organisation=None, now: datetime | None = None) -> list[ClosedStatement]:
    """Freeze the period's statements of every contract accounted by that kind of period (those
    the organisation is party to, or all): a closed statement never changes. A period closes only
    once it has ended and its last playback sessions went stale; closing it again changes nothing."""
    if actor is not None:
        actor.require(CLOSE_STATEMENTS, _("close royalty periods"))
        organisation = actor.organisation
    period = periods.parse(period_label)
    now = now or timezone.now()
    if _moment(period.end) + STALE_AFTER > now:
        raise Conflict(
            _("%(period)s has not ended: it can be closed from %(day)s.") % {"period": period.label, "day": period.end.isoformat()},
            details={"period": period.label},
        )
    contracts = commercial.contracts_with_terms(organisation).order_by("id")
    made = []
    run = Computation()
    with transaction.atomic():
        for contract in contracts:
            if commercial.terms_of(contract).period != period.kind:
                continue
            if ClosedStatement.objects.filter(contract=contract, period=period.label).exists():
                continue
            statement = compute(contract, period, run=run)
            document = {**statement.document, "status": "closed", "closed_at": now.isoformat()}
            made.append(
                ClosedStatement.objects.create(
                    contract=contract, period=period.label, document=document, usage_rows=statement.usage_row_ids, closed_at=now
                )
            )
        if made:
            record(
                "royalties.period_closed",
                actor=getattr(actor, "user", None),
                organisation=organisation,
                obj=made[0],
                period=period.label,
                statements=len(made),
            )
    return made


def royalties_between(licensor_ids, licensee_ids, window) -> dict[str, dict[str, Decimal]]:
    """Royalties (beyond the guarantees) of closed statements from licensors to licensees, by
    period label's year and currency — what the balance of the exchange adds each way."""
    out: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for c in ClosedStatement.objects.filter(contract__licensor_id__in=list(licensor_ids), contract__licensee_id__in=list(licensee_ids)):
        start = date.fromisoformat(c.document["start"])
        if window.contains_date(start):
            out[start.isoformat()][c.document["currency"]] += Decimal(c.document["overage"])
    return out
