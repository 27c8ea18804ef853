"""Properties over generated viewing and reports: a pool's shares add up to the pool to the minor
unit; no viewing or receipt is counted twice or in two periods; closing then recomputing changes
nothing. Each example runs in a savepoint that is rolled back."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kinomost.royalties import periods
from kinomost.royalties.statements import close, compute

from .conftest import World, moment

pytestmark = pytest.mark.django_db
# No shrinking: each example builds a small world in the database, and shrinking one took minutes.
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

sessions = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5000), st.integers(1, 90), st.integers(0, 23)), min_size=1, max_size=25)
pools = st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2), min_size=1, max_size=4)


def _rolled_back(test):
    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@SETTINGS
@given(viewing=sessions, charges=pools)
def test_the_pool_shares_add_up_to_the_pool_exactly(org_a, org_b, viewing, charges):
    @_rolled_back
    def check():
        world = World(org_a, org_b)
        works = world.works(*(f"w{i}" for i in range(4)))
        contract = world.licence(works, {"currency": "RUB", "revenue_share": "100", "period": "year"})
        for amount in charges:
            world.charge(str(amount), at="2027-05-01T10:00")
        for work, seconds, day, hour in viewing:
            world.session(works[work], contract, seconds=seconds, at=f"2027-03-{1 + day % 28:02d}T{hour:02d}:00")
        doc = compute(contract, periods.parse("2027")).document
        total = sum(charges, Decimal(0))
        watched = any(seconds >= world.platform.qualifying_seconds for _w, seconds, _d, _h in viewing)
        assert sum(Decimal(line["receipts"]) for line in doc["lines"]) == (total if watched else 0)

    check()


@SETTINGS
@given(viewing=sessions, reports=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3), st.integers(0, 10**6)), max_size=8))
def test_no_viewing_or_receipt_is_counted_twice_or_in_two_periods(org_a, org_b, viewing, reports):
    @_rolled_back
    def check():
        world = World(org_a, org_b)
        works = world.works(*(f"w{i}" for i in range(4)))
        contract = world.licence(works, {"currency": "USD", "revenue_share": "10", "period": "month"})
        for work, seconds, day, hour in viewing:  # spread over January to March
            world.session(works[work], contract, seconds=seconds, at=f"2027-0{1 + day % 3}-{1 + day % 28:02d}T{hour:02d}:00")
        reported = {}
        for work, month, cents in reports:  # one report per work and month
            reported.setdefault((work, month), Decimal(cents) / 100)
        for (work, month), receipts in reported.items():
            world.usage(contract, works[work], f"2027-0{month}", receipts=str(receipts), views=3)
        docs = [compute(contract, periods.parse(f"2027-0{m}")).document for m in (1, 2, 3)]
        qualifying = sum(1 for _w, seconds, _d, _h in viewing if seconds >= world.platform.qualifying_seconds)
        assert sum(d["views"] for d in docs) == qualifying + 3 * len(reported)
        assert sum(Decimal(d["receipts"]) for d in docs) == sum(reported.values())

    check()


@SETTINGS
@given(reports=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**6)), min_size=1, max_size=6), late=st.integers(0, 10**6))
def test_closing_then_recomputing_changes_nothing(org_a, org_b, reports, late):
    @_rolled_back
    def check():
        world = World(org_a, org_b)
        works = world.works("a", "b", "c")
        contract = world.licence(works, {"currency": "USD", "revenue_share": "35", "minimum_guarantee": "500", "period": "quarter"})
        for i, (work, cents) in enumerate(reports):
            world.usage(contract, works[work], "2027-02", receipts=str(Decimal(cents) / 100), platform=f"p{i}")
        q1 = periods.parse("2027-Q1")
        before = compute(contract, q1).document
        close("2027-Q1", now=moment("2027-04-05T00:00"))
        world.usage(contract, works[0], "2027-03", receipts=str(Decimal(late) / 100), platform="late")
        after = compute(contract, q1).document
        assert {k: v for k, v in after.items() if k not in ("status", "closed_at")} == {
            k: v for k, v in before.items() if k not in ("status", "closed_at")
        }
        assert compute(contract, periods.parse("2027-Q2")).document["lines"][0]["adjusts"] == "2027-Q1"

    check()
