"""Age-rating systems (after the MovieLabs Common Ratings file) and the minimum age each value means.

The minimum age is what a kids profile compares against; the label is what the law requires to
be shown (Russia's 436-FZ labels 0+ … 18+ on every playable item).
"""

from __future__ import annotations

from kinomost.core.errors import InvalidInput

# system code → (territory, {value: minimum age})
SYSTEMS: dict[str, tuple[str, dict[str, int]]] = {
    "MKRF": ("RU", {"0+": 0, "6+": 6, "12+": 12, "16+": 16, "18+": 18}),
    "MPAA": ("US", {"G": 0, "PG": 8, "PG-13": 13, "R": 17, "NC-17": 18}),
    "BBFC": ("GB", {"U": 0, "PG": 8, "12A": 12, "12": 12, "15": 15, "18": 18, "R18": 18}),
    "FSK": ("DE", {"0": 0, "6": 6, "12": 12, "16": 16, "18": 18}),
    "HK-FCO": ("HK", {"I": 0, "IIA": 10, "IIB": 15, "III": 18}),
}
DEFAULT_SYSTEM = {territory: system for system, (territory, _) in SYSTEMS.items()}
_ALIASES = {"MKRF": {"0": "0+", "6": "6+", "12": "12+", "16": "16+", "18": "18+"}}


def normalise_rating(system: str, value: str) -> tuple[str, str, int]:
    """→ (system, canonical value, minimum age); refuses unknown systems and values by name."""
    system = (system or "").strip().upper()
    if system not in SYSTEMS:
        raise InvalidInput(f"unknown rating system '{system}'; one of: {', '.join(SYSTEMS)}")
    values = SYSTEMS[system][1]
    raw = (value or "").strip().upper()
    raw = _ALIASES.get(system, {}).get(raw, raw)
    if raw not in values:
        raise InvalidInput(f"'{value}' is not a {system} rating; one of: {', '.join(values)}")
    return system, raw, values[raw]
