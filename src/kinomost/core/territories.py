"""Territories: ISO 3166-1 countries and named groups that expand to them — the one place that
validates, expands and names territories.

A territory expression is a list of countries and groups, each optionally excluded:
`WORLD excluding CN`, `EU; -DE`, `GREATER_CHINA`, `150` (UN M.49 Europe), `CIS, GE`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from kinomost.core.errors import InvalidInput
from kinomost.core.territory_groups import M49_REGIONS, M49_SUBREGIONS, NAMED_GROUPS


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


@lru_cache(maxsize=1)
def all_countries() -> tuple[str, ...]:
    return tuple(sorted(c.alpha_2 for c in pycountry.countries))


@lru_cache(maxsize=None)
def group_members(name: str) -> frozenset[str]:
    """Countries of a named group (WORLD, CIS, EU, GREATER_CHINA) or a UN M.49 region code."""
    key = name.strip().upper()
    if key in {"WORLD", "WW", "001"}:
        return frozenset(all_countries())
    if key in NAMED_GROUPS:
        return frozenset(NAMED_GROUPS[key][1].split())
    if key in M49_SUBREGIONS:
        return frozenset(M49_SUBREGIONS[key][1].split())
    if key in M49_REGIONS:
        return frozenset(c for sub in M49_REGIONS[key][1] for c in M49_SUBREGIONS[sub][1].split())
    raise InvalidInput(f"'{name}' is neither a country nor a territory group (WORLD, CIS, EU, GREATER_CHINA, or a UN M.49 region)")


def is_group(name: str) -> bool:
    key = name.strip().upper()
    return key in {"WORLD", "WW", "001"} or key in NAMED_GROUPS or key in M49_SUBREGIONS or key in M49_REGIONS


def _members(token: str) -> frozenset[str]:
    return group_members(token) if is_group(token) else frozenset({normalise_country(token)})


def expand(include: list[str] | str, exclude: list[str] | str = ()) -> list[str]:
    """Territory expression → sorted ISO countries. Strings may use `;`/`,`, `-X` or `excluding X`."""
    inc, exc = _split(include)
    more_inc, more_exc = _split(exclude)
    countries: set[str] = set()
    for token in inc:
        countries |= _members(token)
    for token in [*exc, *more_inc, *more_exc]:
        countries -= _members(token)
    return sorted(countries)


_EXCLUDING = re.compile(r"\s+(?:excluding|except|without)\s+", re.I)
_SEPARATORS = re.compile(r"[;,\s]+")


def _split(spec: list[str] | str) -> tuple[list[str], list[str]]:
    """`"WORLD excluding CN, HK"` → (['WORLD'], ['CN', 'HK']); `-X` entries are exclusions."""
    if isinstance(spec, str):
        head, *tail = _EXCLUDING.split(spec, maxsplit=1)
        tokens = [t for t in _SEPARATORS.split(head) if t]
        excluded = [t for t in _SEPARATORS.split(tail[0]) if t] if tail else []
    else:
        tokens, excluded = list(spec), []
    include = [t for t in tokens if not t.startswith("-")]
    excluded += [t[1:] for t in tokens if t.startswith("-")]
    return include, excluded


def country_name(code: str, in_language: str = "en") -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(in_language, sep="-").territories.get(code) or code
    except (ValueError, UnknownLocaleError):
        return code
