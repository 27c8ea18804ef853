"""Territories: ISO 3166-1 countries and named groups that expand to them — the one place that
validates, expands and names territories and countries of origin.

A territory expression is a list of countries and groups, each optionally excluded:
`WORLD excluding CN`, `EU; -DE`, `GREATER_CHINA`, `150` (UN M.49 Europe), `CIS, GE`.

Two kinds of country, because a licence and a film's history differ:
- **licence territories** are the countries that exist today (ISO 3166-1) plus Kosovo (`XK`, the
  code the trade and GeoIP use) — a right is sold where a viewer can be; a historical code is
  refused with its successor states named;
- **countries of origin** also accept the ISO 3166-3 historical countries a back catalogue needs
  (`SU`, `YU`, `CS`, `DD`, `AN`, …, in alpha-2, alpha-3 or alpha-4 form), stored in the
  unambiguous alpha-4 form (`SUHH`, as IMDb writes them too): `CS` alone was Czechoslovakia
  until 1993 and Serbia and Montenegro from 2003, so it is read as Czechoslovakia, the one back
  catalogues mean; Serbia and Montenegro is `SCG` or `CSXX`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from django.utils.translation import gettext as _
from django.utils.text import capfirst
from django.utils.translation import override

from kinomost.core.errors import InvalidInput
from kinomost.core.historic_countries import HISTORIC_NAMES, SUCCESSORS
from kinomost.core.territory_groups import M49_REGIONS, M49_SUBREGIONS, NAMED_GROUPS

# Codes that mean the whole world, in every reader (avails ZZ/WW, our WORLD, UN M.49 001).
WORLD_CODES = frozenset({"WORLD", "WW", "ZZ", "001"})
# Territories outside ISO 3166-1 that the trade licenses: Kosovo (user-assigned XK, used by the
# EU, CLDR, GeoIP databases and the avails of every studio).
EXTRA_COUNTRIES = {"XK": ("XKX", "Kosovo")}
# Codes people write for a country whose ISO code is another: read as that country, with a note.
ALIASES = {"UK": "GB"}


@lru_cache(maxsize=1024)
def _current(raw: str):
    """The ISO 3166-1 country (or XK) for an alpha-2, alpha-3 or numeric code; None when none."""
    upper = raw.upper()
    if upper in EXTRA_COUNTRIES or upper in {a3 for a3, _name in EXTRA_COUNTRIES.values()}:
        return next(a2 for a2, (a3, _name) in EXTRA_COUNTRIES.items() if upper in {a2, a3})
    found = None
    if len(raw) == 2:
        found = pycountry.countries.get(alpha_2=upper)
    elif len(raw) == 3 and raw.isdigit():
        found = pycountry.countries.get(numeric=raw)
    elif len(raw) == 3:
        found = pycountry.countries.get(alpha_3=upper)
    return found.alpha_2 if found is not None else None


def _historic(raw: str):
    """The ISO 3166-3 alpha-4 code of a former country written in alpha-2, -3 or -4 form; None
    when none. An alpha-2 code that is a country today (BY, GE, AI, BQ) is that country."""
    upper = raw.upper()
    if len(upper) == 4 and upper in HISTORIC_NAMES:
        return upper
    if len(upper) == 3 and upper.isalpha():
        found = pycountry.historic_countries.get(alpha_3=upper)
        return found.alpha_4 if found is not None else None
    if len(upper) == 2 and upper.isalpha() and _current(upper) is None:
        matches = sorted(c.alpha_4 for c in pycountry.historic_countries if c.alpha_2 == upper)
        return "CSHH" if upper == "CS" else (matches[0] if matches else None)
    return None


def is_current_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code or XK (what a language tag's region may be)."""
    return len(code) == 2 and _current(code) is not None


def read_country(code: str) -> tuple[str, str | None]:
    """A licence territory's country: `ru`, `RUS` or `643` → ('RU', None); `UK` → ('GB', note).
    A former country is refused with what to write instead; anything else with the code named."""
    raw = (code or "").strip()
    alias = ALIASES.get(raw.upper())
    if alias:
        return alias, _("'%(code)s' read as %(country)s (%(name)s), its ISO 3166 code") % {
            "code": raw,
            "country": alias,
            "name": country_name(alias, _current_language()),
        }
    found = _current(raw)
    if found is not None:
        return found, None
    historic = _historic(raw)
    if historic is not None:
        raise InvalidInput(historic_refusal(raw, historic), details=[{"code": raw, "successors": list(successors(historic))}])
    raise InvalidInput(_("'%(code)s' is not an ISO 3166-1 country code") % {"code": code})


def normalise_country(code: str) -> str:
    """`ru`, `RUS` or `643` → `RU`; `UK` → `GB`; anything else is refused with the code named."""
    return read_country(code)[0]


@lru_cache(maxsize=1024)
def normalise_origin_country(code: str) -> str:
    """A country of origin: a country of today as `normalise_country` reads it, or a former
    country (`SU`, `SUN`, `SUHH` → `SUHH`)."""
    raw = (code or "").strip()
    if raw.upper() in ALIASES:
        return ALIASES[raw.upper()]
    found = _current(raw) or _historic(raw)
    if found is None:
        raise InvalidInput(_("'%(code)s' is neither an ISO 3166-1 country code nor a former country of ISO 3166-3") % {"code": code})
    return found


def successors(alpha_4: str) -> tuple[str, ...]:
    """The countries of today that cover a former one (ISO 3166-3's alpha-4 names the single
    successor in its last two letters; a split country, HH/XX, comes from our table)."""
    if alpha_4 in SUCCESSORS:
        return SUCCESSORS[alpha_4][0]
    return (alpha_4[2:],) if _current(alpha_4[2:]) else ()


def historic_refusal(written: str, alpha_4: str) -> str:
    """The message that refuses a former country as a licence territory and names what to write."""
    names = {"code": written, "name": country_name(alpha_4, _current_language())}
    group = SUCCESSORS.get(alpha_4, ((), None))[1]
    names["successors"] = "; ".join(successors(alpha_4))
    if group:
        names["group"] = group
        return (
            _(
                "'%(code)s' (%(name)s) is a former country; a licence names countries of today: write its "
                "successor states (%(successors)s) or a group such as %(group)s"
            )
            % names
        )
    return _("'%(code)s' (%(name)s) is a former country; a licence names countries of today: write %(successors)s") % names


def _current_language() -> str:
    from django.utils.translation import get_language

    return get_language() or "en"


def split_codes(text: str | None, *, spaces: bool = False) -> list[str]:
    """A typed list of codes `RU; cn, USA` → ['RU', 'cn', 'USA']: commas or semicolons (and
    spaces, where no entry has one: `US CA` in an avails TerritoryExclusion). The one reading of a
    list a person types or a file carries; each code is then read by its own rule."""
    return [part.strip() for part in re.split(r"[,;\s]+" if spaces else r"[,;]", text or "") if part.strip()]


def parse_country_list(text: str | None) -> list[str]:
    """Countries of origin `RU; cn, USA; SU` → ['RU', 'CN', 'US', 'SUHH'] (order kept, duplicates dropped)."""
    return list(dict.fromkeys(normalise_origin_country(part) for part in split_codes(text)))


def parse_territory_list(text: str | None, *, spaces: bool = False) -> list[str]:
    """Licence countries `US, CA` → ['US', 'CA'] (order kept, duplicates dropped)."""
    return list(dict.fromkeys(normalise_country(part) for part in split_codes(text, spaces=spaces)))


@lru_cache(maxsize=1)
def all_countries() -> tuple[str, ...]:
    """Every licence territory: ISO 3166-1 and Kosovo (which WORLD therefore includes)."""
    return tuple(sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_COUNTRIES)))


@lru_cache(maxsize=None)
def group_members(name: str) -> frozenset[str]:
    """Countries of a named group (WORLD, CIS, EU, GREATER_CHINA) or a UN M.49 region code."""
    key = name.strip().upper()
    if key in WORLD_CODES:
        return frozenset(all_countries())
    if key in NAMED_GROUPS:
        return frozenset(NAMED_GROUPS[key][1].split())
    if key in M49_SUBREGIONS:
        return frozenset(M49_SUBREGIONS[key][1].split())
    if key in M49_REGIONS:
        return frozenset(c for sub in M49_REGIONS[key][1] for c in M49_SUBREGIONS[sub][1].split())
    raise InvalidInput(
        _("'%(name)s' is neither a country nor a territory group (WORLD, CIS, EU, GREATER_CHINA, or a UN M.49 region)") % {"name": name}
    )


def is_group(name: str) -> bool:
    key = name.strip().upper()
    return key in WORLD_CODES or key in NAMED_GROUPS or key in M49_SUBREGIONS or key in M49_REGIONS


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
    """A country's name in an interface language: CLDR's (Babel) for countries of today, ours
    (translated in the .po files) for the former countries CLDR no longer names."""
    from babel import Locale, UnknownLocaleError

    if code in HISTORIC_NAMES:
        with override(in_language.lower()):
            return str(HISTORIC_NAMES[code])
    try:
        return Locale.parse(in_language, sep="-").territories.get(code) or code
    except (ValueError, UnknownLocaleError):
        return code


def describe_territories(countries, limit: int = 12) -> str:
    """Countries → the shortest readable name (the one owner of naming a set of countries): WORLD, "WORLD excluding CN", "CIS", a group less
    a few countries, or the countries themselves (abbreviated past `limit`)."""
    have = frozenset(countries)
    world = frozenset(all_countries())
    if have == world:
        return "WORLD"
    if len(world - have) <= 15 and len(have) > len(world) // 2:
        return "WORLD excluding " + ", ".join(sorted(world - have))
    for key in (*NAMED_GROUPS, *M49_REGIONS, *M49_SUBREGIONS):
        members = group_members(key)
        if have == members:
            return _group_name(key)
        if len(members) > 5 and have < members and len(members - have) <= 3:
            return f"{_group_name(key)} excluding {', '.join(sorted(members - have))}"
    listed = sorted(have)
    if len(listed) <= limit:
        return ", ".join(listed)
    return ", ".join(listed[:limit]) + f" +{len(listed) - limit}"


def _group_name(key: str) -> str:
    return key if key in NAMED_GROUPS else f"{(M49_REGIONS.get(key) or M49_SUBREGIONS[key])[0]} ({key})"


# Our own groups, named in the .po files; UN M.49 regions and the EU have CLDR names (Babel).
_GROUP_NAMES = {"CIS": "Commonwealth of Independent States", "GREATER_CHINA": "Greater China"}


def territory_name(code: str, in_language: str | None = None) -> str:
    """A country or group as the reader says it: `RU` → «Россия», `GREATER_CHINA` → «Большой
    Китай», `WORLD` → «весь мир», `150` → «Европа»; an unknown code is shown as it is."""
    from babel import Locale, UnknownLocaleError

    from kinomost.core.languages import cldr_locale

    language = in_language or _current_language()
    key = (code or "").strip().upper()
    if key in _GROUP_NAMES:
        with override(language.lower()):
            return _(_GROUP_NAMES[key])
    cldr_key = "001" if key in WORLD_CODES else key
    if cldr_key in M49_REGIONS or cldr_key in M49_SUBREGIONS or cldr_key in ("001", "EU"):
        try:
            return Locale.parse(cldr_locale(language)).territories.get(cldr_key) or key
        except (ValueError, UnknownLocaleError):
            return key
    return country_name(key, language)


def territories_text(include, exclude=(), in_language: str | None = None) -> str:
    """A territory expression in words: ['GREATER_CHINA', 'CIS'], ['HK'] → «Большой Китай,
    Содружество Независимых Государств, кроме Гонконга (САР)»."""
    include = include.replace(";", ",").split(",") if isinstance(include, str) else list(include or [])
    exclude = exclude.replace(";", ",").split(",") if isinstance(exclude, str) else list(exclude or [])
    language = in_language or _current_language()
    named = capfirst(", ".join(territory_name(c, language) for c in include if c.strip()))
    if not [c for c in exclude if c.strip()]:
        return named
    with override(language.lower()):
        return _("%(territories)s excluding %(excluded)s") % {
            "territories": named,
            "excluded": ", ".join(territory_name(c, language) for c in exclude if c.strip()),
        }
