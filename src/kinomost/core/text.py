"""Text that comes in is what it claims to be: the one rule on characters a text field may hold.

NUL and the other C0/C1 control characters have no place in a title, a name or a message: they
are invisible on every page, PostgreSQL refuses NUL outright (a 500 where SQLite would have
stored it), and they are the usual sign of a file read in the wrong encoding. Tab, line feed and
carriage return are ordinary text. Every way in (the API, the pages, the imports) asks this
module, so the rule and its wording live once.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from kinomost.core.errors import InvalidInput

# C0 controls except \t \n \r, DEL, and the C1 controls U+0080–U+009F.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_control_character(text: str) -> str | None:
    """The first forbidden character of `text`, or None when it is clean."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def describe(char: str) -> str:
    """A forbidden character as a person can read it in a message: U+0000."""
    return f"U+{ord(char):04X}"


def refusal(char: str) -> str:
    """The one wording of the refusal, for callers that collect problems instead of raising."""
    return _("contains the control character %(char)s, which text may not hold") % {"char": describe(char)}


def check_clean(text: str, *, field: str) -> str:
    """`text` unchanged, or InvalidInput naming the field and the character."""
    char = first_control_character(text)
    if char is not None:
        raise InvalidInput(
            _("%(field)s %(reason)s.") % {"field": field, "reason": refusal(char)},
            details=[{"field": field, "problem": "control_character", "character": describe(char)}],
        )
    return text


def controls_in(cells: dict) -> list[tuple[object, str]]:
    """(key, first forbidden character) of every text value of `cells` that holds one. A large
    import asks this once per row, so the whole row is searched at once first: rows are clean."""
    texts = [value for value in cells.values() if value.__class__ is str]
    if not texts or _CONTROL.search("".join(texts)) is None:
        return []
    return [(key, char) for key, value in cells.items() if value.__class__ is str and (char := first_control_character(value)) is not None]
