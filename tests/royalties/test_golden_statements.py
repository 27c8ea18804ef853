"""Hand-computed statements. Each figure below is worked out in the comment beside it, from the
rules in docs/royalties.md; the code must arrive at the same digits."""

from decimal import Decimal

import pytest

from kinomost.core.errors import InvalidInput
from kinomost.royalties import periods
from kinomost.royalties.statements import close, compute

from .conftest import moment

pytestmark = pytest.mark.django_db
D = Decimal


def _doc(contract, label):
    return compute(contract, periods.parse(label)).document


def test_flat_fee_only_falls_due_in_the_signing_period(world):
    (film,) = world.works("film")
    contract = world.licence([film], {"currency": "USD", "flat_fee": "10000"}, signed_on="2027-02-10")
    world.session(film, contract, seconds=3600, at="2027-02-11T20:00")  # viewing earns nothing without a share
    q1, q2 = _doc(contract, "2027-Q1"), _doc(contract, "2027-Q2")
    assert (q1["flat_fee_due"], q1["royalty"], q1["payable"]) == ("10000.00", "0.00", "10000.00")
    assert q1["lines"] == [
        {"work": "film", "work_id": film.pk, "views": 1, "hours": "1.0000", "receipts": "0.00", "royalty": "0.00", "adjusts": None}
    ]
    assert (q2["flat_fee_due"], q2["payable"]) == ("0.00", "0.00")


def test_a_share_with_a_minimum_guarantee_recouped_over_three_periods_then_withholding(world):
    (film,) = world.works("film")
    contract = world.licence([film], {"currency": "USD", "revenue_share": "40", "minimum_guarantee": "6000", "withholding_tax": "6"})
    world.usage(contract, film, "2027-02", receipts="5000")  # Q1: 40 % → 2000 earned, all recoups the MG
    world.usage(contract, film, "2027-05", receipts="7500")  # Q2: 3000 earned, recouped 2000+3000 = 5000
    world.usage(contract, film, "2027-08", receipts="10000")  # Q3: 4000 earned, 1000 ends the MG, 3000 payable
    q1, q2, q3 = (_doc(contract, p) for p in ("2027-Q1", "2027-Q2", "2027-Q3"))
    assert q1["minimum_guarantee"] == {"amount": "6000.00", "recouped_before": "0.00", "recouped_now": "2000.00", "remaining": "4000.00"}
    assert (q1["royalty"], q1["payable"]) == ("2000.00", "0.00")
    assert q2["minimum_guarantee"] == {"amount": "6000.00", "recouped_before": "2000.00", "recouped_now": "3000.00", "remaining": "1000.00"}
    assert q2["payable"] == "0.00"
    assert q3["minimum_guarantee"] == {"amount": "6000.00", "recouped_before": "5000.00", "recouped_now": "1000.00", "remaining": "0.00"}
    # 3000 payable; withholding 6 % = 180; net 2820
    assert (q3["royalty"], q3["overage"], q3["withholding"], q3["payable"]) == ("4000.00", "3000.00", "180.00", "2820.00")
    # the advance itself fell due when the contract was signed (2026-12-01, in 2026-Q4): 6000 less 6 %
    q4 = _doc(contract, "2026-Q4")
    assert (q4["advance_due"], q4["withholding"], q4["payable"]) == ("6000.00", "360.00", "5640.00")


def test_a_per_hour_rate_pays_hours_watched(world):
    film, other = world.works("film", "other")
    contract = world.licence([film, other], {"currency": "CNY", "per_hour": "3", "period": "month"})
    world.usage(contract, film, "2027-03", receipts="0", currency="CNY", views=5000, seconds=7_200_000)  # 2000 h × ¥3 = ¥6000
    world.usage(contract, other, "2027-03", receipts="0", currency="CNY", views=1, seconds=5_401)  # 1.5003 h × ¥3 = ¥4.5009 → 4.50
    doc = _doc(contract, "2027-03")
    assert [(l["work"], l["hours"], l["royalty"]) for l in doc["lines"]] == [("film", "2000.0000", "6000.00"), ("other", "1.5003", "4.50")]
    assert (doc["royalty"], doc["payable"]) == ("6004.50", "6004.50")


@pytest.mark.parametrize(
    "crossed, expected",
    [
        # one MG of 1000 against 1500 + 100 earned: 1000 recouped, 600 payable
        (True, {"recouped_now": "1000.00", "remaining": "0.00", "payable": "600.00"}),
        # 500 per work: A recoups 500 and pays 1000 beyond it; B recoups 100 and still owes 400; payable 1000
        (False, {"recouped_now": "600.00", "remaining": "400.00", "payable": "1000.00"}),
    ],
)
def test_cross_collateralised_versus_per_work_guarantee(world, crossed, expected):
    a, b = world.works("a", "b")
    contract = world.licence(
        [a, b], {"currency": "USD", "revenue_share": "50", "minimum_guarantee": "1000", "cross_collateralised": crossed}
    )
    world.usage(contract, a, "2027-01", receipts="3000")  # 1500 earned
    world.usage(contract, b, "2027-01", receipts="200")  # 100 earned
    doc = _doc(contract, "2027-Q1")
    got = {
        "recouped_now": doc["minimum_guarantee"]["recouped_now"],
        "remaining": doc["minimum_guarantee"]["remaining"],
        "payable": doc["payable"],
    }
    assert got == expected and doc["royalty"] == "1600.00"


def test_rub_receipts_are_converted_at_the_periods_average_rate_named_with_its_source(world):
    (film,) = world.works("film")
    contract = world.licence([film], {"currency": "USD", "revenue_share": "40"})
    for _ in range(3):
        world.charge("199", at="2027-02-01T10:00", kind="rental", media="tvod", work=film, contract=contract)  # 597 RUB
    with pytest.raises(InvalidInput) as refused:
        _doc(contract, "2027-Q1")
    assert "RUB→USD" in refused.value.message and "2027-Q1" in refused.value.message
    world.rate("2027-01-10", "USD", "RUB", "100")
    world.rate("2027-02-10", "USD", "RUB", "90")
    world.rate("2027-03-10", "USD", "RUB", "95")
    world.rate("2027-04-01", "USD", "RUB", "10")  # outside the period: not averaged
    doc = _doc(contract, "2027-Q1")
    # average 95 RUB per USD → 1 RUB = 0.0105263158 USD; 597 RUB = 6.2842… → 6.28 USD; 40 % = 2.512 → 2.51
    assert doc["fx"] == [{"currency": "RUB", "into": "USD", "rate": "0.0105263158", "source": "CBR", "period": "2027-Q1", "published": 3}]
    assert (doc["lines"][0]["receipts"], doc["royalty"]) == ("6.28", "2.51")


def test_a_late_report_after_closing_goes_into_the_next_open_period_as_an_adjustment(world):
    (film,) = world.works("film")
    contract = world.licence([film], {"currency": "USD", "revenue_share": "50"})
    world.usage(contract, film, "2027-01", receipts="100")
    closed = close("2027-Q1", now=moment("2027-04-02T00:00"))
    assert len(closed) == 1
    before = _doc(contract, "2027-Q1")
    world.usage(contract, film, "2027-02", receipts="40")  # arrives after Q1 closed
    world.usage(contract, film, "2027-04", receipts="10")
    assert _doc(contract, "2027-Q1") == before and before["royalty"] == "50.00" and before["status"] == "closed"
    q2 = _doc(contract, "2027-Q2")
    assert [(l["receipts"], l["royalty"], l["adjusts"]) for l in q2["lines"]] == [("10.00", "5.00", None), ("40.00", "20.00", "2027-Q1")]
    assert q2["royalty"] == "25.00"
    close("2027-Q2", now=moment("2027-07-02T00:00"))
    assert _doc(contract, "2027-Q3")["lines"] == []  # counted once, in Q2


def test_a_shared_pool_is_split_by_largest_remainder_and_lines_add_up(world):
    a, b, c = world.works("a", "b", "c")
    contract = world.licence([a, b, c], {"currency": "RUB", "revenue_share": "50", "period": "month"})
    world.charge("100.00", at="2027-03-05T12:00")  # one subscription period in RU: the pool
    for work in (a, b, c):
        world.session(work, contract, seconds=600, at="2027-03-06T20:00")  # equal viewing
    world.session(a, contract, seconds=59, at="2027-03-07T20:00")  # below the 60 s threshold: not a view
    doc = _doc(contract, "2027-03")
    # 100.00 / 3 = 33.333…: 33.33 each, the leftover kopeck to the first; 50 % → 16.67, 16.665 → 16.66 (half-even), 16.66
    assert [(l["work"], l["views"], l["receipts"], l["royalty"]) for l in doc["lines"]] == [
        ("a", 1, "33.34", "16.67"),
        ("b", 1, "33.33", "16.66"),
        ("c", 1, "33.33", "16.66"),
    ]
    assert (doc["receipts"], doc["royalty"]) == ("100.00", "49.99")


def test_the_worked_example_of_docs_royalties(world):
    """docs/royalties.md, "A worked example", figure by figure."""
    a, b = world.works("A", "B")
    contract = world.licence([a, b], {"currency": "USD", "revenue_share": "40", "minimum_guarantee": "6000", "withholding_tax": "6"})
    world.charge("100000.00", at="2027-02-01T09:00")  # the quarter's subscription receipts in RU: the pool
    world.charge("19900.00", at="2027-02-02T09:00", kind="rental", media="tvod", work=a, contract=contract)  # 100 rentals × 199
    for _ in range(20):
        world.session(a, contract, seconds=360_000, at="2027-02-03T20:00")  # 2,000 h
        world.session(b, contract, seconds=180_000, at="2027-02-03T21:00")  # 1,000 h
    other = world.works("C")[0]
    world.session(other, None, seconds=3_600_000, at="2027-02-04T20:00")  # another licensor's film: 1,000 h of the pool
    for day, rate in (("2027-01-10", "100"), ("2027-02-10", "90"), ("2027-03-10", "95")):
        world.rate(day, "USD", "RUB", rate)
    doc = _doc(contract, "2027-Q1")
    assert [(l["work"], l["views"], l["hours"], l["receipts"], l["royalty"]) for l in doc["lines"]] == [
        ("A", 20, "2000.0000", "735.79", "294.32"),
        ("B", 20, "1000.0000", "263.16", "105.26"),
    ]
    assert doc["royalty"] == "399.58"
    assert doc["minimum_guarantee"] == {"amount": "6000.00", "recouped_before": "0.00", "recouped_now": "399.58", "remaining": "5600.42"}
    assert (doc["overage"], doc["withholding"], doc["payable"]) == ("0.00", "0.00", "0.00")


def test_pools_by_territory_are_split_alike_when_the_platform_no_longer_lists_a_territory(world):
    """Each territory's pool is shared by the viewing there only, however the platform's list of
    territories reads today: a platform that stopped selling in KZ keeps its KZ month as it was."""
    a, b = world.works("a", "b")
    contract = world.licence([a, b], {"currency": "RUB", "revenue_share": "50", "period": "month"}, territories="RU,KZ")
    world.platform.territories = ["RU", "KZ"]
    world.platform.save()
    world.charge("90.00", at="2027-03-05T12:00", territory="RU")
    world.charge("30.00", at="2027-03-05T12:00", territory="KZ")
    world.session(a, contract, seconds=600, at="2027-03-06T20:00", territory="RU")
    world.session(b, contract, seconds=1200, at="2027-03-06T20:00", territory="RU")
    world.session(b, contract, seconds=600, at="2027-03-06T21:00", territory="KZ")
    world.session(a, contract, seconds=600, at="2027-03-06T22:00", media="tvod", territory="RU")  # not SVOD: no pool weight, a view
    # RU pool 90.00 by 600 : 1200 → a 30.00, b 60.00; KZ pool 30.00 all to b → b 90.00
    expected = [("a", 2, "30.00", "15.00"), ("b", 2, "90.00", "45.00")]
    doc = _doc(contract, "2027-03")
    assert [(l["work"], l["views"], l["receipts"], l["royalty"]) for l in doc["lines"]] == expected
    world.platform.territories = ["RU"]
    world.platform.save()
    doc = _doc(contract, "2027-03")
    assert [(l["work"], l["views"], l["receipts"], l["royalty"]) for l in doc["lines"]] == expected
