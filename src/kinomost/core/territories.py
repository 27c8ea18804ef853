"""Territories: ISO 3166-1 countries. The one place that validates and names them."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from kinomost.core.errors import InvalidInput


@lru_cache(maxsize=1024)
def normalise_country(code: str) -> str:
    """`ru`, `RUS` or `643` → `RU`; anything else is refused with the code named."""
    raw = (code or "").strip()
    found = None
    if len(raw) == 2:
        found = pycountry.countries.get(alpha_2=raw.upper())
    elif len(raw) == 3 and raw.isdigit():
        found = pycountry.countries.get(numeric=raw)
    elif len(raw) == 3:
        found = pycountry.countries.get(alpha_3=raw.upper())
    if found is None:
        raise InvalidInput(f"'{code}' is not an ISO 3166-1 country code")
    return found.alpha_2


def parse_country_list(text: str, separator: str = ";") -> list[str]:
    """`RU; cn;USA` → ['RU', 'CN', 'US'] (order kept, duplicates dropped)."""
    out: list[str] = []
    for part in (text or "").split(separator):
        if part.strip():
            code = normalise_country(part)
            if code not in out:
                out.append(code)
    return out


def country_name(code: str, in_language: str = "en") -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(in_language, sep="-").territories.get(code) or code
    except (ValueError, UnknownLocaleError):
        return code


def all_countries() -> list[str]:
    return sorted(c.alpha_2 for c in pycountry.countries)
