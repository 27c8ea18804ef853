"""Interval arithmetic, checked day by day against sets of dates (hypothesis)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinomost.core.errors import InvalidInput
from kinomost.core.periods import Period, covers, cut_short, difference, gaps, intersection, union

ORIGIN = date(2027, 1, 1)
SPAN = 60  # days of the universe the properties are checked over; open ends reach past it


@st.composite
def periods(draw):
    a = draw(st.one_of(st.none(), st.integers(0, SPAN)))
    b = draw(st.one_of(st.none(), st.integers(0, SPAN)))
    if a is not None and b is not None:
        a, b = sorted((a, b))
        if a == b:
            b += 1
    return Period(None if a is None else ORIGIN + timedelta(a), None if b is None else ORIGIN + timedelta(b))


def days(ps):
    universe = [ORIGIN + timedelta(d) for d in range(-2, SPAN + 3)]
    return {d for d in universe if any(p.contains_date(d) for p in ps)}


@given(st.lists(periods(), max_size=6))
def test_union_covers_the_same_days_with_disjoint_sorted_periods(ps):
    u = union(ps)
    assert days(u) == days(ps)
    assert all(x.hi < y.lo for x, y in zip(u, u[1:]))


@given(st.lists(periods(), max_size=5), st.lists(periods(), max_size=5))
def test_difference_is_set_difference(a, b):
    assert days(difference(a, b)) == days(a) - days(b)


@given(st.lists(periods(), max_size=5), st.lists(periods(), max_size=5))
def test_intersection_is_set_intersection(a, b):
    assert days(intersection(a, b)) == days(a) & days(b)


@given(st.lists(periods(), max_size=5), periods())
def test_covers_and_gaps_agree(ps, wanted):
    assert covers(ps, wanted) == (not gaps(ps, wanted))
    assert days(gaps(ps, wanted)) == days([wanted]) - days(ps)


def test_half_open_windows_that_touch_do_not_overlap():
    first = Period(date(2027, 1, 1), date(2028, 1, 1))
    second = Period(date(2028, 1, 1), None)
    assert not first.overlaps(second)
    assert union([first, second]) == [Period(date(2027, 1, 1), None)]
    assert first.contains_date(date(2027, 12, 31)) and not first.contains_date(date(2028, 1, 1))


def test_a_window_must_end_after_it_starts():
    with pytest.raises(InvalidInput, match="must end after it starts"):
        Period(date(2027, 1, 1), date(2027, 1, 1))


def test_a_window_cut_short_ends_at_the_earlier_end_never_before_its_start():
    start, end = date(2027, 1, 1), date(2028, 1, 1)
    assert cut_short(start, end, None) == end  # not terminated
    assert cut_short(start, None, None) is None  # open and uncut
    assert cut_short(start, end, date(2027, 6, 1)) == date(2027, 6, 1)
    assert cut_short(start, None, date(2027, 6, 1)) == date(2027, 6, 1)  # an open window cut
    assert cut_short(start, end, date(2029, 1, 1)) == end  # a cut after the end changes nothing
    assert cut_short(start, end, date(2026, 6, 1)) == start  # cut before it began: empty, at its start


@given(periods(), st.one_of(st.none(), st.integers(-5, SPAN + 5)))
def test_a_cut_window_holds_the_days_of_the_window_before_the_cut(p, cut_day):
    start = p.start or ORIGIN - timedelta(2)  # a window cut short has a start
    window = Period(start, p.end)
    cut = None if cut_day is None else ORIGIN + timedelta(cut_day)
    end = cut_short(start, p.end, cut)
    kept = set() if end == start else days([Period(start, end)])
    assert kept == {d for d in days([window]) if cut is None or d < cut}
