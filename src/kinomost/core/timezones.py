"""Time zones people read times in: a user's own setting, or else the one of their organisation's
country — the one owner of "which zone does this reader see".

Babel (CLDR) lists every zone of a country; for the countries that span several zones, the zone
where most of their people live and business is done is named here (Moscow for Russia, not
Kaliningrad, which sorts first).
"""

from __future__ import annotations

import zoneinfo
from functools import lru_cache

from babel.core import get_global

# Countries of several zones: the zone of the capital's business day.
PRIMARY_ZONES = {
    "RU": "Europe/Moscow",
    "US": "America/New_York",
    "CA": "America/Toronto",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "MX": "America/Mexico_City",
    "KZ": "Asia/Almaty",
    "ID": "Asia/Jakarta",
    "CN": "Asia/Shanghai",
    "MN": "Asia/Ulaanbaatar",
    "UA": "Europe/Kyiv",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "DE": "Europe/Berlin",
    "AR": "America/Argentina/Buenos_Aires",
    "CL": "America/Santiago",
    "NZ": "Pacific/Auckland",
    "MY": "Asia/Kuala_Lumpur",
    "UZ": "Asia/Tashkent",
    "CD": "Africa/Kinshasa",
}
DEFAULT_ZONE = "UTC"


@lru_cache(maxsize=1)
def all_zones() -> tuple[str, ...]:
    """Every IANA zone a person may choose (sorted)."""
    return tuple(
        sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/")))
        + ["UTC"]
    )


def is_zone(name: str) -> bool:
    return name in all_zones()


def zone_of_country(country: str | None) -> str:
    """The zone a reader in `country` (ISO alpha-2) expects; UTC when unknown."""
    code = (country or "").upper()
    if code in PRIMARY_ZONES:
        return PRIMARY_ZONES[code]
    zones = get_global("territory_zones").get(code) or []
    return zones[0] if zones and is_zone(zones[0]) else DEFAULT_ZONE


def zone_for(user, organisation) -> str:
    """The user's own zone when they chose one, else their organisation's country's."""
    chosen = getattr(user, "time_zone", "") or ""
    if chosen and is_zone(chosen):
        return chosen
    return zone_of_country(getattr(organisation, "country", None))


def format_time(moment, zone: str | None = None, language: str | None = None) -> str:
    """A moment as the reader reads it, with its zone said: «2026-12-03 16:23 (Москва, GMT+03:00)»,
    «2026-12-03 21:23 (上海, GMT+08:00)», «2026-12-03 13:23 (UTC)». `zone` defaults to Django's
    active zone (the reader's, set per request)."""
    from babel.dates import format_datetime, get_timezone, get_timezone_location
    from django.utils import timezone

    from kinomost.core.languages import cldr_locale

    if moment is None:
        return ""
    locale = cldr_locale(language)
    name = zone or timezone.get_current_timezone_name()
    tz = get_timezone(name)
    shown = format_datetime(moment, "yyyy-MM-dd HH:mm", tzinfo=tz, locale=locale)
    if name in ("UTC", "Etc/UTC"):
        return f"{shown} (UTC)"
    city = get_timezone_location(tz, locale=locale, return_city=True)
    return f"{shown} ({city}, {format_datetime(moment, 'ZZZZ', tzinfo=tz, locale=locale)})"
