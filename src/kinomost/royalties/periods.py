"""Statement periods as people write them — `2027-04`, `2027-Q1`, `2027-H1`, `2027` — the one
owner of their labels. Each is a half-open date range (core.periods.Period) of a kind (month,
quarter, half, year: the accounting periods of rights.commercial)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from kinomost.core.errors import InvalidInput
from kinomost.core.periods import Period

_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
]


@dataclass(frozen=True, order=True)
class StatementPeriod:
    start: date
    kind: str

    @property
    def months(self) -> int:
        return _MONTHS[self.kind]

    @property
    def end(self) -> date:
        return _add_months(self.start, self.months)

    @property
    def range(self) -> Period:
        return Period(self.start, self.end)

    @property
    def label(self) -> str:
        y, m = self.start.year, self.start.month
        return {"month": f"{y}-{m:02d}", "quarter": f"{y}-Q{(m - 1) // 3 + 1}", "half": f"{y}-H{(m - 1) // 6 + 1}", "year": str(y)}[
            self.kind
        ]

    def next(self) -> "StatementPeriod":
        return StatementPeriod(self.end, self.kind)

    def previous(self) -> "StatementPeriod":
        return StatementPeriod(_add_months(self.start, -self.months), self.kind)

    def contains(self, day: date) -> bool:
        return Period(self.start, self.end).contains_date(day)

    def __str__(self) -> str:
        return self.label


def parse(label: str) -> StatementPeriod:
    text = str(label or "").strip().upper()
    for pattern, kind in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        year = int(m.group(1))
        part = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 1
        if kind == "month" and not 1 <= part <= 12:
            break
        first_month = 1 + (part - 1) * _MONTHS[kind]
        if not 1900 <= year <= 9998:
            break
        return StatementPeriod(date(year, first_month, 1), kind)
    raise InvalidInput(
        _("'%(period)s' is not a period: write 2027-04, 2027-Q1, 2027-H1 or 2027.") % {"period": label},
        details={"period": str(label or "")},
    )


def containing(day: date, kind: str) -> StatementPeriod:
    months = _MONTHS[kind]
    first = 1 + ((day.month - 1) // months) * months
    return StatementPeriod(date(day.year, first, 1), kind)


def parse_month(text: str) -> date:
    """A usage report's `period` column: YYYY-MM → the first day of that month."""
    found = parse(text)
    if found.kind != "month":
        raise InvalidInput(_("'%(period)s' is not a month: write YYYY-MM.") % {"period": text})
    return found.start


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
