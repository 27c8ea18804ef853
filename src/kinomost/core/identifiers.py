"""EIDR identifiers: parsing, normalising and the ISO/IEC 7064 MOD 37,36 check character."""

from __future__ import annotations

import re

from kinomost.core.errors import InvalidInput

EIDR_CONTENT_PREFIX = "10.5240"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_FORMS = re.compile(
    r"^(?:urn:eidr:10\.5240:|https?://(?:dx\.)?doi\.org/10\.5240/|10\.5240/)?"
    r"([0-9A-F]{4})-?([0-9A-F]{4})-?([0-9A-F]{4})-?([0-9A-F]{4})-?([0-9A-F]{4})-?([0-9A-Z])$",
    re.IGNORECASE,
)


def eidr_check_character(hex20: str) -> str:
    """Check character over the 20 hex digits (ISO/IEC 7064 MOD 37,36 hybrid)."""
    p = 36
    for ch in hex20.upper():
        s = (p + int(ch, 16)) % 36
        p = (2 * (s or 36)) % 37
    return _ALPHABET[(37 - p) % 36]


def normalise_eidr(value: str) -> str:
    """Any usual spelling (DOI, URN, URL, bare suffix) → `10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C`.

    Raises InvalidInput when the form is wrong or the check character does not match.
    """
    match = _FORMS.match((value or "").strip())
    if not match:
        raise InvalidInput(f"'{value}' is not an EIDR content ID (10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C)")
    groups = [g.upper() for g in match.groups()]
    expected = eidr_check_character("".join(groups[:5]))
    if groups[5] != expected:
        raise InvalidInput(f"EIDR '{value}' has check character {groups[5]}, expected {expected}")
    return f"{EIDR_CONTENT_PREFIX}/{'-'.join(groups[:5])}-{groups[5]}"


def eidr_urn(value: str) -> str:
    """A valid EIDR in its URN spelling `urn:eidr:10.5240:XXXX-…-C` (RFC 7972), the form the
    avails `*EIDR-URN` elements name; raises InvalidInput like normalise_eidr."""
    return f"urn:eidr:{EIDR_CONTENT_PREFIX}:{normalise_eidr(value).partition('/')[2]}"
