"""Cell and element values → normalised Python values: the one owner of every avails value rule.

Both readers hand raw values (strings from XML; strings, numbers, dates, booleans from a
spreadsheet) to these functions, so a date, a keyword or a language means the same thing in
either encoding. Each parser raises `InvalidInput` with a message that names the value; callers
add where it was. Countries, languages and EIDRs are delegated to `kinomost.core`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pycountry

from kinomost.core.errors import InvalidInput
from kinomost.core.identifiers import normalise_eidr
from kinomost.core.languages import normalise_registry_tag
from kinomost.core.ratings import SYSTEMS, normalise_rating
from kinomost.core.territories import WORLD_CODES, is_group, parse_territory_list, read_country
from kinomost.rights.avails.model import CONDITIONS

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31
_CONDITION = {c.lower(): c for c in CONDITIONS}
_TRUE = {"1", "true", "yes", "y", "=true()", "=true"}
_FALSE = {"0", "false", "no", "n", "=false()", "=false"}
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.I)
_CLOCK = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")


def blank(value) -> bool:
    """Empty cell, empty element, or whitespace only."""
    return value is None or (value.__class__ is str and not value.strip())


def text(value) -> str:
    """Any cell value as the text a person typed: 4 → '4', 7.99 → '7.99', '  x ' → 'x'."""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Vocabulary:
    """A closed list of values matched case-insensitively; calling it returns the canonical spelling."""

    def __init__(self, allowed: tuple[str, ...], what: str):
        self.allowed, self.what = allowed, what
        self.index = {option.lower(): option for option in allowed}

    def __call__(self, value) -> str:
        wanted = text(value)
        found = self.index.get(wanted.lower())
        if found is None:
            raise InvalidInput(f"'{wanted}' is not a {self.what}; one of: {', '.join(self.allowed)}")
        return found


def boolean(value) -> bool:
    """1/0, Yes/No, Y/N, TRUE/FALSE, and the constant formulas =TRUE()/=FALSE() of the templates."""
    if isinstance(value, bool):
        return value
    key = text(value).lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise InvalidInput(f"'{text(value)}' is not a yes/no value (1/0, Yes/No, TRUE/FALSE)")


def is_constant_boolean_formula(value) -> bool:
    """The MovieLabs templates type booleans as =TRUE()/=FALSE(); these are values, not formulas."""
    return isinstance(value, str) and value.strip().lower() in {"=true()", "=false()", "=true", "=false"}


def integer(value) -> int:
    """Whole numbers from 4, 4.0 or '4'."""
    if isinstance(value, bool):
        raise InvalidInput(f"'{value}' is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = text(value)
    if re.fullmatch(r"[+-]?\d+", raw):
        return int(raw)
    raise InvalidInput(f"'{raw}' is not a whole number")


def year(value) -> int:
    """ReleaseYear 2006 / '2006', or the year of an XML ReleaseDate '2005-05-19'."""
    raw = text(value)
    if not re.match(r"^\d{4}(?:$|-)", raw):
        raise InvalidInput(f"'{raw}' is not a year (YYYY)")
    return int(raw[:4])


# --- dates and keywords -------------------------------------------------------------------------


def _tidy(moment: dt.datetime) -> dt.date | dt.datetime:
    """A naive midnight is a date: Excel cannot tell them apart, so neither do we."""
    if moment.tzinfo is None and moment.time() == dt.time(0):
        return moment.date()
    return moment


def excel_serial(value: float) -> dt.date | dt.datetime:
    """Excel day number (origin 1899-12-30, so 41439 = 2013-06-14), fraction = time of day."""
    if not 1 <= value <= _MAX_SERIAL:
        raise InvalidInput(f"{value} is outside the range of Excel dates")
    seconds = round(value * 86400)
    return _tidy(EXCEL_EPOCH + dt.timedelta(seconds=seconds))


def iso_moment(raw: str) -> dt.date | dt.datetime:
    """YYYY-MM-DD or an ISO 8601 date-time (with Z or an offset); refused with the value named."""
    try:
        if len(raw) == 10:
            return dt.date.fromisoformat(raw)
        return _tidy(dt.datetime.fromisoformat(raw))
    except ValueError:
        raise InvalidInput(f"'{raw}' is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)") from None


def moment(value) -> dt.date | dt.datetime:
    """A date from any spelling a file uses: a date cell, an Excel serial, or ISO text."""
    if isinstance(value, dt.datetime):
        return _tidy(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return excel_serial(value)
    raw = text(value)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", raw):
        return excel_serial(float(raw))
    return iso_moment(raw)


def when(value, *, is_end: bool) -> tuple[dt.date | dt.datetime | None, str | None]:
    """Start/End cell → (moment, None) or (None, keyword).

    The MovieLabs converter rule: a value that starts with four digits (or is a date/number
    cell) is a date; anything else is a DateTimeCondition keyword. `Open` only ends a window.
    """
    if not isinstance(value, str) or re.match(r"^\s*\d{4}", value):
        return moment(value), None
    keyword = _CONDITION.get(value.strip().lower())
    if keyword is None:
        raise InvalidInput(f"'{value.strip()}' is neither a date (YYYY-MM-DD or an Excel date) nor a keyword ({', '.join(CONDITIONS)})")
    if keyword == "Open" and not is_end:
        raise InvalidInput("'Open' can only end a window; a start needs a date, Immediate or TBD")
    return None, keyword


def iso_moment_text(value: dt.date | dt.datetime) -> str:
    """The XML spelling of a moment: dates become midnight date-times (read back as dates)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return f"{value.isoformat()}T00:00:00"


# --- durations ----------------------------------------------------------------------------------


def iso_duration(value) -> dt.timedelta:
    """XML RunLength `PT01H37M49S` (days, hours, minutes, seconds)."""
    match = _DURATION.match(text(value))
    if not match or not any(match.groups()):
        raise InvalidInput(f"'{text(value)}' is not a duration (e.g. PT1H56M20S)")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=round(seconds))


def iso_duration_text(value: dt.timedelta) -> str:
    total = int(value.total_seconds())
    return f"PT{total // 3600}H{total % 3600 // 60}M{total % 60}S"


def runtime(value) -> tuple[dt.timedelta, str | None]:
    """TotalRunTime → (duration, warning). Excel time or day fraction (0.0807 = 1:56:20),
    H:MM:SS, H:MM, or an ISO duration.

    A two-part `A:B` is H:MM as the template says, except that ten hours or more cannot be one
    title's running time: then it is read as MM:SS (the TV samples' '56:20') and a warning says so.
    """
    if isinstance(value, dt.time):
        return dt.timedelta(hours=value.hour, minutes=value.minute, seconds=value.second), None
    if isinstance(value, dt.timedelta):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 < value < 1:
            raise InvalidInput(f"{value} is not a running time (an Excel time is a fraction of a day)")
        return dt.timedelta(seconds=round(value * 86400)), None
    raw = text(value)
    if raw.upper().startswith("P"):
        return iso_duration(raw), None
    match = _CLOCK.match(raw)
    if not match:
        raise InvalidInput(f"'{raw}' is not a running time (H:MM:SS, H:MM or an Excel time)")
    first, second, third = match.groups()
    if third is not None:
        return dt.timedelta(hours=int(first), minutes=int(second), seconds=int(third)), None
    if int(first) >= 10:
        note = f"'{raw}' read as {int(first)} min {int(second)} s (as H:MM it would be {first} hours); write H:MM:SS"
        return dt.timedelta(minutes=int(first), seconds=int(second)), note
    return dt.timedelta(hours=int(first), minutes=int(second)), None


def clock_text(value: dt.timedelta) -> str:
    """The unambiguous spreadsheet spelling H:MM:SS."""
    total = int(value.total_seconds())
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


# --- places, languages, money, identifiers ------------------------------------------------------


def territory(value) -> tuple[str, str | None]:
    """ISO country (alpha-2/alpha-3/numeric) → alpha-2; world (ZZ, WW, 001) → '001'; a UN M.49
    region code is kept (core.territories expands it). Returns (code, warning)."""
    raw = text(value).upper()
    if raw in WORLD_CODES:
        note = None if raw == "001" else f"'{raw}' read as the whole world (UN M.49 001)"
        return "001", note
    if raw.isdigit() and is_group(raw):
        return raw, None
    return read_country(raw)


def country_list(value) -> tuple[str, ...]:
    """TerritoryExclusion 'US, CA' (commas, semicolons or spaces) → ('US', 'CA')."""
    return tuple(parse_territory_list(text(value), spaces=True))


@lru_cache(maxsize=2048)
def language(value: str) -> str:
    """BCP 47 tag in its canonical form, as core.languages reads every tag; 'eng' is refused
    (use 'en') as a validator refuses it."""
    return normalise_registry_tag(text(value).split(":")[0].strip())  # 1.7 wrote 'EN:audio'


def language_list(value) -> tuple[str, ...]:
    """AllowedLanguages 'es:subdub, fr:subdub' → ('es', 'fr'); every bad tag is named at once."""
    tags, errors = [], []
    for part in re.split(r"[,;]\s*", text(value)):
        if part.strip():
            try:
                tags.append(language(part))
            except InvalidInput as exc:
                errors.append(exc.message)
    if errors:
        raise InvalidInput("; ".join(errors))
    return tuple(tags)


def currency(value) -> str:
    raw = text(value).upper()
    if not re.fullmatch(r"[A-Z]{3}", raw) or pycountry.currencies.get(alpha_3=raw) is None:
        raise InvalidInput(f"'{text(value)}' is not an ISO 4217 currency code")
    return raw


def rating(system, value) -> tuple[str, str]:
    """Checked against core.ratings when we know the system; other systems are kept as given."""
    return _rating(text(system), text(value))


@lru_cache(maxsize=1024)
def _rating(system: str, value: str) -> tuple[str, str]:
    if system.upper() in SYSTEMS:
        checked_system, checked_value, _ = normalise_rating(system, value)
        return checked_system, checked_value
    return system, value


def eidr(value) -> tuple[str, str | None]:
    """(normalised EIDR, None), or (the value as given, warning). No avails field makes an EIDR
    required, so a wrong one is never a reason to refuse a row."""
    return _eidr(text(value))


@lru_cache(maxsize=4096)
def _eidr(raw: str) -> tuple[str, str | None]:
    try:
        return normalise_eidr(raw), None
    except InvalidInput as exc:
        return raw, f"{exc.message}; kept as given"
