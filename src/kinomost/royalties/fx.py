"""Exchange rates: the import (`kinomost fx import FILE`) and the one conversion rule.

A rate row says 1 `base` = `rate` `quote` on `date`, published by `source`. Receipts are converted
to a contract's currency at the average of the rates published in the statement period
(`period_rate`); a rate quoted the other way round is inverted; with no rate in the period the
conversion is refused, naming the currency pair and the period — never guessed from another
period. The import is all or nothing, names every bad row, and importing the same rows again
changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kinomost.catalog.io.reading import read_csv
from kinomost.core import money, periods
from kinomost.core.audit import record
from kinomost.core.errors import ImportRejected, InvalidInput
from kinomost.royalties.models import ExchangeRate
from kinomost.royalties.periods import StatementPeriod

COLUMNS = ("date", "base", "quote", "rate", "source")
RATE_PLACES = Decimal("0.0000000001")


@dataclass(frozen=True)
class RatesImported:
    rows: int
    created: int
    unchanged: int


def import_rates(data: bytes, *, actor=None) -> RatesImported:
    header, rows = read_csv(data)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            _("The file lacks columns: %(columns)s") % {"columns": ", ".join(missing)},
            problems=[{"row": 1, "column": c, "message": _("missing column")} for c in missing],
        )
    problems, parsed = [], {}
    for number, row in rows:
        try:
            day = periods.parse_date(row["date"].strip())
            if day is None:
                raise InvalidInput(_("a date is needed"), details=[{"column": "date"}])
            base, quote = money.currency(row["base"]), money.currency(row["quote"])
            if base == quote:
                raise InvalidInput(_("base and quote are the same currency"), details=[{"column": "quote"}])
            rate = money.amount(row["rate"], field="rate")
            if rate <= 0:
                raise InvalidInput(_("a rate is above zero"), details=[{"column": "rate"}])
            source = row["source"].strip()
            if not source or len(source) > 40:
                raise InvalidInput(_("a source (e.g. CBR) of at most 40 characters is needed"), details=[{"column": "source"}])
        except InvalidInput as exc:
            column = next((d.get("column") or d.get("field", "") for d in exc.details), "")
            problems.append({"row": number, "column": column, "message": exc.message})
            continue
        key = (day, base, quote, source)
        if key in parsed and parsed[key] != rate:
            problems.append({"row": number, "column": "rate", "message": _("the same rate is given twice with different values")})
        parsed[key] = rate
    if problems:
        raise ImportRejected(_("%(n)d bad rows: nothing was imported.") % {"n": len(problems)}, problems=problems)
    with transaction.atomic():
        existing = {
            (r.day, r.base, r.quote, r.source): r.rate
            for r in ExchangeRate.objects.filter(day__in={k[0] for k in parsed}, base__in={k[1] for k in parsed})
        }
        clashes = [k for k, v in parsed.items() if k in existing and existing[k] != v]
        if clashes:
            raise ImportRejected(
                _("Rates already imported with other values: nothing was imported."),
                problems=[
                    {"row": None, "column": "rate", "message": f"{d} {b}/{q} {s}: {existing[(d, b, q, s)]}"} for d, b, q, s in clashes
                ],
            )
        new = [ExchangeRate(day=d, base=b, quote=q, rate=v, source=s) for (d, b, q, s), v in parsed.items() if (d, b, q, s) not in existing]
        ExchangeRate.objects.bulk_create(new)
        if new:
            record(
                "royalties.rates_imported",
                actor=getattr(actor, "user", None),
                organisation=getattr(actor, "organisation", None),
                obj=None,
                rows=len(parsed),
                created=len(new),
            )
    return RatesImported(len(parsed), len(new), len(parsed) - len(new))


@dataclass(frozen=True)
class Rate:
    currency: str  # converted from
    into: str
    rate: Decimal  # 1 currency = rate into
    source: str
    period: str
    published: int  # how many published rates were averaged

    def as_dict(self) -> dict:
        return {
            "currency": self.currency,
            "into": self.into,
            "rate": str(self.rate),
            "source": self.source,
            "period": self.period,
            "published": self.published,
        }


def period_rate(currency: str, into: str, period: StatementPeriod) -> Rate:
    """The average rate of `period` converting `currency` into `into` (direct quotes first, else
    the inverse of the other way's average)."""
    if currency == into:
        return Rate(currency, into, Decimal(1), "", period.label, 0)
    for base, quote, invert in ((currency, into, False), (into, currency, True)):
        # The mean is taken in Python's Decimal (SQLite's AVG is a float) so both databases agree.
        rows = list(
            ExchangeRate.objects.filter(base=base, quote=quote, day__gte=period.start, day__lt=period.end).values_list("rate", "source")
        )
        if rows:
            average = sum((r for r, _s in rows), Decimal(0)) / len(rows)
            rate = (Decimal(1) / average) if invert else average
            sources = ", ".join(sorted({s for _r, s in rows}))
            return Rate(currency, into, rate.quantize(RATE_PLACES), sources, period.label, len(rows))
    raise InvalidInput(
        _("No %(from)s→%(to)s exchange rate published in %(period)s: import one (kinomost fx import).")
        % {"from": currency, "to": into, "period": period.label},
        details=[{"currency": currency, "into": into, "period": period.label}],
    )
