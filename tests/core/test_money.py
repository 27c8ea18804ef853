"""core.money: the one validator, half-even rounding to the minor unit, largest-remainder split."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinomost.core import money
from kinomost.core.errors import InvalidInput


def test_minor_units_follow_the_currency():
    assert money.minor_unit("usd") == 2
    assert money.minor_unit("RUB") == 2
    assert money.minor_unit("JPY") == 0
    assert money.minor_unit("KWD") == 3


@pytest.mark.parametrize("code", ["XYZ", "US", "", None, "EURO"])
def test_unknown_currency_is_refused_by_name(code):
    with pytest.raises(InvalidInput) as err:
        money.currency(code)
    assert "ISO 4217" in err.value.message


def test_rounding_is_half_even_to_the_minor_unit():
    assert money.round_to(Decimal("0.125"), "USD") == Decimal("0.12")
    assert money.round_to(Decimal("0.135"), "USD") == Decimal("0.14")
    assert money.round_to(Decimal("2.5"), "JPY") == Decimal("2")
    assert money.round_to(Decimal("3.5"), "JPY") == Decimal("4")
    assert money.Money(Decimal("1.0005"), "KWD").rounded.amount == Decimal("1.000")


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "-1", "1e20", "0.00001"])
def test_bad_amounts_are_refused(value):
    with pytest.raises(InvalidInput):
        money.amount(value)


def test_amounts_read_as_typed():
    assert money.amount("6000") == Decimal("6000")
    assert money.amount(0.1) == Decimal("0.1")  # the typed value, not the binary float
    assert money.amount("") == Decimal(0)
    with pytest.raises(InvalidInput):
        money.percent("100.01")


def test_allocate_gives_leftover_units_to_the_largest_remainders():
    # 10.00 in three equal parts: 3.33 each leaves one cent; the first in order takes it.
    assert money.allocate(Decimal("10.00"), {"a": 1, "b": 1, "c": 1}, "USD") == {
        "a": Decimal("3.34"),
        "b": Decimal("3.33"),
        "c": Decimal("3.33"),
    }
    # 100 by 1:2:3 → 16.666…, 33.333…, 50: the remainders 0.666… and 0.333… decide.
    parts = money.allocate(Decimal("100.00"), {"x": 1, "y": 2, "z": 3}, "USD")
    assert parts == {"x": Decimal("16.67"), "y": Decimal("33.33"), "z": Decimal("50.00")}
    assert money.allocate(Decimal("5"), {"a": 0}, "USD") == {"a": Decimal("0.00")}


@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=30),
    code=st.sampled_from(["USD", "JPY", "KWD", "RUB"]),
)
def test_allocations_add_up_to_the_pool_to_the_minor_unit(total, weights, code):
    total = money.round_to(total, code)
    parts = money.allocate(total, dict(enumerate(weights)), code)
    if sum(weights):
        assert sum(parts.values()) == total
        step = money.quantum(code)
        for key, part in parts.items():
            exact = total * weights[key] / sum(weights)
            assert abs(part - exact) < step  # each part within one minor unit of its exact share
    else:
        assert all(p == 0 for p in parts.values())
