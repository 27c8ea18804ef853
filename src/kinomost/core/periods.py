"""Half-open date ranges `[start, end)` and the arithmetic on them — the one owner of it.

A window ends the day *before* `end`; `end=None` is open (runs forever); `start=None` has always
run. Every rule about windows (rights, holdbacks, grants, quotas) calls these functions instead
of comparing dates by hand, so off-by-one mistakes have one place to live and be tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from kinomost.core.errors import InvalidInput

MIN_DATE = date.min
MAX_DATE = date.max


@dataclass(frozen=True, order=True)
class Period:
    start: date | None = None
    end: date | None = None  # exclusive; None = open

    def __post_init__(self):
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise InvalidInput(f"a window must end after it starts ({self.start} → {self.end})")

    @property
    def lo(self) -> date:
        return self.start or MIN_DATE

    @property
    def hi(self) -> date:
        return self.end or MAX_DATE

    @property
    def is_open(self) -> bool:
        return self.end is None

    def contains_date(self, day: date) -> bool:
        return self.lo <= day < self.hi

    def contains(self, other: Period) -> bool:
        return self.lo <= other.lo and other.hi <= self.hi

    def overlaps(self, other: Period) -> bool:
        return self.lo < other.hi and other.lo < self.hi

    def intersection(self, other: Period) -> Period | None:
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return _make(lo, hi) if lo < hi else None

    def __str__(self) -> str:
        return f"[{self.start or '−∞'}, {self.end or '∞'})"


def _make(lo: date, hi: date) -> Period:
    return Period(None if lo == MIN_DATE else lo, None if hi == MAX_DATE else hi)


def _bounds(p: Period) -> tuple[date, date]:
    return p.lo, p.hi


def union(periods: Iterable[Period]) -> list[Period]:
    """Sorted, disjoint, non-adjacent periods covering exactly the same days."""
    items = periods if isinstance(periods, list) else list(periods)
    if len(items) < 2:  # the usual case of a rights cell: nothing to merge
        return list(items)
    out: list[Period] = []
    for p in sorted(items, key=_bounds):
        if out and p.lo <= out[-1].hi:
            if p.hi > out[-1].hi:
                out[-1] = _make(out[-1].lo, p.hi)
        else:
            out.append(p)
    return out


def difference(base: Iterable[Period], remove: Iterable[Period]) -> list[Period]:
    """The days of `base` that are in no period of `remove` (e.g. free = held − sold − held back)."""
    result = union(base)
    cuts = union(remove)
    if not cuts or not result:
        return result
    for cut in cuts:
        nxt: list[Period] = []
        for p in result:
            if not p.overlaps(cut):
                nxt.append(p)
                continue
            if p.lo < cut.lo:
                nxt.append(_make(p.lo, cut.lo))
            if cut.hi < p.hi:
                nxt.append(_make(cut.hi, p.hi))
        result = nxt
    return result


def intersection(a: Iterable[Period], b: Iterable[Period]) -> list[Period]:
    out = [x.intersection(y) for x in union(a) for y in union(b)]
    return union(p for p in out if p is not None)


def covers(periods: Iterable[Period], wanted: Period) -> bool:
    """Do the periods together cover every day of `wanted`?"""
    return not difference([wanted], periods)


def gaps(periods: Iterable[Period], within: Period) -> list[Period]:
    """Parts of `within` that no period covers."""
    return difference([within], periods)


def earlier_end(a: date | None, b: date | None) -> date | None:
    """The earlier of two exclusive ends, None being open (a term cut short by a termination)."""
    if a is None or b is None:
        return b if a is None else a
    return min(a, b)


def cut_short(start: date, end: date | None, cut: date | None) -> date | None:
    """Where a window [start, end) really ends when a termination cuts it on `cut`: the earlier of
    the two ends, never before its start (a cut on or before the start leaves it empty, ending at
    its start). No cut: its own end; None (open) only when it is open and uncut."""
    if cut is None:
        return end
    return max(start, earlier_end(end, cut))


def has_ended(end: date | None, day: date) -> bool:
    """Is a window ending (exclusively) at `end` over on `day`? Never, for an open end."""
    return end is not None and end <= day


def is_empty(start: date | None, end: date | None) -> bool:
    """Would [start, end) hold no day (an end on or before its start)? `Period` refuses it."""
    return start is not None and end is not None and end <= start


def parse_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text or text.lower() in {"open", "none", "∞"}:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(f"'{value}' is not a date (YYYY-MM-DD)") from None
