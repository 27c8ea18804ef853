"""A work's rights timeline: one bar per position, placed in lanes for the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kinomost.rights import availability as avail
from kinomost.rights.models import Term
from kinomost.rights.overview.contracts import own_contracts_q, counterparty, side_of, term_end
from kinomost.rights.overview.works import work_levels

if TYPE_CHECKING:
    from kinomost.catalog.models import Work


@dataclass
class Bar:
    term: Term
    side: str
    counterparty: str
    start: date
    end: date | None  # effective end (None = open)
    signed_end: date | None
    terminated_on: date | None
    inherited: bool
    left: float = 0.0  # per cent of the axis
    width: float = 0.0
    cut_left: float = 0.0
    cut_width: float = 0.0  # the terminated remainder, drawn hatched


@dataclass
class Timeline:
    bars: list[Bar]
    lo: date | None = None
    hi: date | None = None
    ticks: list[tuple[int, float]] = field(default_factory=list)  # (year, per cent)
    today: float | None = None


def work_timeline(actor, work: Work, today: date | None = None) -> Timeline:
    """Every term of the organisation's holdings, grants (made and received) and holdbacks on
    the work or its season/series, as bars on one axis."""
    oid = avail.org_id(actor)
    terms = (
        Term.objects.filter(works__in=work_levels(work))
        .filter(own_contracts_q(oid, "contract__"))
        .select_related("contract", "contract__licensor", "contract__licensee")
        .prefetch_related("works")
        .distinct()
        .order_by("start", "id")
    )
    bars = []
    for term in terms:
        on_work = {w.pk for w in term.works.all()}
        bars.append(
            Bar(
                term,
                side_of(actor, term.contract),
                counterparty(actor, term.contract),
                term.start,
                term_end(term),
                term.end,
                term.ends_early_on,
                work.pk not in on_work,
            )
        )
    return _place(bars, today or date.today())


def _place(bars: list[Bar], today: date) -> Timeline:
    if not bars:
        return Timeline([])
    lo = min(b.start for b in bars)
    finite = [d for b in bars for d in (b.end, b.signed_end) if d]
    hi = max([*finite, today, max(b.start for b in bars)]) + timedelta(days=365)
    span = (hi - lo).days or 1

    def pct(day: date) -> float:
        return round(100 * (min(max(day, lo), hi) - lo).days / span, 2)

    for b in bars:
        b.left = pct(b.start)
        b.width = max(pct(b.end or hi) - b.left, 0.3)
        if b.terminated_on and (b.signed_end is None or b.signed_end > (b.end or hi)):
            b.cut_left = pct(b.end or hi)
            b.cut_width = pct(b.signed_end or hi) - b.cut_left
    ticks = [(y, pct(date(y, 1, 1))) for y in range(lo.year + 1, hi.year + 1)]
    step = max(1, len(ticks) // 12)
    return Timeline(bars, lo, hi, ticks[::step], pct(today) if lo <= today <= hi else None)
