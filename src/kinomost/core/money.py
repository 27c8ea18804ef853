"""Money: an amount in an ISO 4217 currency, rounded to that currency's minor unit — the one owner.

Every money figure in Kinomost (prices, fees, guarantees, receipts, royalties) is made and
checked here: `currency` validates a code (pycountry's ISO 4217 list), `minor_unit` says how
many decimals it has (Babel's CLDR currency data: 2 for USD/RUB/CNY/EUR, 0 for JPY, 3 for
KWD), `amount` is the one validator of an amount typed by a person or read from a file,
`Money.rounded` rounds half-even to the minor unit (banker's rounding: no upward drift over
many lines), and `allocate` splits a total by weights with the largest-remainder method so the
parts add up exactly to the total. Percentages (`percent`) are checked here too, because a
revenue share and a withholding rate are the same kind of number.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Hashable, Mapping

import pycountry
from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import gettext as _

from kinomost.core.errors import InvalidInput

# The largest amount anyone may state: 10^13 units (ten trillion) with up to 4 decimals fits
# the DecimalField(max_digits=18, decimal_places=4) every money column uses.
MAX_DIGITS = 18
DECIMAL_PLACES = 4
MAX_AMOUNT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES - 1)


def currency(code) -> str:
    """An ISO 4217 alphabetic code in upper case, or InvalidInput naming what was given."""
    text = str(code or "").strip().upper()
    if len(text) != 3 or pycountry.currencies.get(alpha_3=text) is None:
        raise InvalidInput(_("'%(code)s' is not an ISO 4217 currency code") % {"code": code}, details={"currency": str(code or "")})
    return text


@functools.lru_cache(maxsize=512)
def minor_unit(code: str) -> int:
    """Decimals of the currency's minor unit (kopeck, fen, cent: 2; yen: 0). Cached: a statement
    rounds every line, and the ISO 4217 and CLDR look-ups cost more than the rounding (an invalid
    code raises, which is not cached)."""
    return get_currency_precision(currency(code))


@functools.lru_cache(maxsize=512)
def quantum(code: str) -> Decimal:
    """The currency's smallest unit as a Decimal (0.01 for RUB, 1 for JPY); cached: a statement
    rounds every line twice."""
    return Decimal(1).scaleb(-minor_unit(code))


def amount(value, *, field: str = "amount", allow_negative: bool = False) -> Decimal:
    """The one validator of an amount: a finite decimal (string, int or Decimal; never a float,
    whose binary value is not what was typed), not negative unless allowed, at most MAX_AMOUNT
    and DECIMAL_PLACES decimals. Errors name `field`."""
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip()) if value not in (None, "") else Decimal(0)
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("'%(value)s' is not an amount") % {"value": value}, details={field: str(value)}) from None
    if not number.is_finite():
        raise InvalidInput(_("'%(value)s' is not an amount") % {"value": value}, details={field: str(value)})
    if number < 0 and not allow_negative:
        raise InvalidInput(_("an amount cannot be negative"), details={field: str(value)})
    if abs(number) >= MAX_AMOUNT:
        raise InvalidInput(_("an amount must be below %(max)s") % {"max": MAX_AMOUNT}, details={field: str(value)})
    if number.as_tuple().exponent < -DECIMAL_PLACES and number != number.quantize(Decimal(1).scaleb(-DECIMAL_PLACES)):
        raise InvalidInput(_("an amount has at most %(n)d decimals") % {"n": DECIMAL_PLACES}, details={field: str(value)})
    return number


def percent(value, *, field: str = "percent") -> Decimal:
    """A percentage 0–100 with at most DECIMAL_PLACES decimals (revenue share, withholding tax)."""
    number = amount(value, field=field)
    if number > 100:
        raise InvalidInput(_("a percentage is between 0 and 100"), details={field: str(value)})
    return number


def round_to(value: Decimal, code: str) -> Decimal:
    """Half-even to the currency's minor unit."""
    return Decimal(value).quantize(quantum(code), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Money:
    """An amount in a currency. Arithmetic is on `amount` (Decimal); `rounded` is the figure a
    statement, price or receipt shows."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, value, code, *, field: str = "amount") -> "Money":
        return cls(amount(value, field=field), currency(code))

    @property
    def rounded(self) -> "Money":
        return Money(round_to(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return f"{round_to(self.amount, self.currency)} {self.currency}"


def format_money(value, code: str, language: str | None = None) -> str:
    """An amount as a reader of the interface language writes it, by CLDR (Babel): ru
    `189 800,00 $`, zh `US$189,800.00`, en `US$189,800.00`; rounded to the currency's minor unit.
    The one formatter of money on pages, exports and messages."""
    from kinomost.core.languages import cldr_locale

    code = currency(code)
    return format_currency(round_to(Decimal(value or 0), code), code, locale=cldr_locale(language))


def allocate(total: Decimal, weights: Mapping[Hashable, int | Decimal], code: str) -> dict:
    """Split `total` (already rounded to the minor unit) among keys by weight, each part rounded
    down to the minor unit, then the leftover minor units given one each to the largest
    remainders (ties: the larger weight, then the key's order as given). The parts add up to
    `total` exactly. Keys with weight 0 get 0; no positive weight at all → every part is 0."""
    step = quantum(code)
    total = round_to(total, code)
    positive = {k: Decimal(w) for k, w in weights.items() if Decimal(w) > 0}
    parts = {k: Decimal(0).quantize(step) for k in weights}
    weight_sum = sum(positive.values(), Decimal(0))
    if not positive or weight_sum == 0:
        return parts
    exact = {k: total * w / weight_sum for k, w in positive.items()}
    for k, value in exact.items():
        parts[k] = value.quantize(step, rounding=ROUND_DOWN)
    left = int((total - sum(parts[k] for k in positive)) / step)
    position = {k: i for i, k in enumerate(positive)}
    ranked = sorted(positive, key=lambda k: (-(exact[k] - parts[k]), -positive[k], position[k]))
    for k in ranked[:left]:
        parts[k] += step
    return parts
