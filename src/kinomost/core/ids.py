"""What a record id is: the one rule every way in (API schemas, references typed as text, pages)
asks, so that no number reaches the database that the database cannot hold.

Primary keys are 64-bit signed integers (BigAutoField: PostgreSQL bigint, SQLite INTEGER). A
larger number is not "an id that does not exist": the drivers refuse to bind it (OverflowError)
and the request died with a 500. `str.isdigit()` is no test either: it accepts superscripts and
other Unicode digits ("²") that `int()` then refuses.
"""

from __future__ import annotations

import re

MAX_RECORD_ID = 2**63 - 1
"""The largest primary key either database can store."""

MAX_INTEGER = 2**31 - 1
"""The largest value of an integer column (PostgreSQL `integer`: years, numbers, counts)."""

MAX_OFFSET = MAX_INTEGER
"""The furthest a list may be paged: more rows than any list holds, and a number every database
and driver binds."""

_ASCII_DIGITS = re.compile(r"[0-9]+")


def record_id(text: str | int) -> int | None:
    """`text` as a record id when it is one (ASCII digits, 1 ≤ id ≤ MAX_RECORD_ID), else None:
    the caller then reads it as a reference, or refuses it as it refuses an unknown id."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        number = text
    elif isinstance(text, str) and _ASCII_DIGITS.fullmatch(text) and len(text) <= len(str(MAX_RECORD_ID)):
        number = int(text)
    else:
        return None
    return number if 1 <= number <= MAX_RECORD_ID else None
