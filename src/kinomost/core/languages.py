"""Languages: BCP 47 tags for metadata, Django codes for the interface, and the display fallback chain.

Metadata may be in any BCP 47 language (`ru`, `zh-Hans`, `zh-Hant`, `en`, `pt-BR` …). Tags are
stored in their canonical case (language lower, script title, region upper) so that `zh-hans`
typed in a spreadsheet and `zh-Hans` from an API meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from kinomost.core.errors import InvalidInput

INTERFACE_LANGUAGES = ("en", "ru", "zh-Hans")
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?$")


@lru_cache(maxsize=4096)
def normalise_tag(tag: str) -> str:
    """Return the canonical spelling of a BCP 47 tag, or raise InvalidInput naming it."""
    match = _TAG.match((tag or "").strip())
    if not match:
        raise InvalidInput(f"'{tag}' is not a language tag (expected e.g. ru, en, zh-Hans, pt-BR)")
    language, script, region = match.groups()
    language = language.lower()
    found = pycountry.languages.get(alpha_2=language) if len(language) == 2 else None
    found = found or pycountry.languages.get(alpha_3=language)
    if found is None:
        raise InvalidInput(f"'{tag}' is not a known language (ISO 639)")
    parts = [language]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def is_valid_tag(tag: str) -> bool:
    try:
        normalise_tag(tag)
    except InvalidInput:
        return False
    return True


def from_interface_code(code: str) -> str:
    """Django's `zh-hans` → BCP 47 `zh-Hans`."""
    return normalise_tag(code)


def _relatives(tag: str) -> list[str]:
    """Tags that are a good second choice for `tag`: its base, and for Chinese the other script."""
    base = tag.split("-")[0]
    if base == "zh":
        order = ["zh-Hant", "zh", "zh-Hans"] if "Hant" in tag else ["zh-Hans", "zh", "zh-Hant"]
        return [t for t in order if t != tag]
    return [base] if base != tag else []


def fallback_chain(preferred: str | None, original: str | None = None) -> list[str]:
    """Viewer's language → its relatives → the original language → English."""
    chain: list[str] = []
    for tag in [preferred, *(_relatives(preferred) if preferred else []), original, "en"]:
        if tag and tag not in chain:
            chain.append(tag)
    return chain


def pick(values: dict[str, str], preferred: str | None, original: str | None = None) -> tuple[str, str] | None:
    """The value to show from `{tag: value}`, following the fallback chain; any value at last."""
    if not values:
        return None
    for tag in fallback_chain(preferred, original):
        if values.get(tag):
            return tag, values[tag]
    tag = sorted(values)[0]
    return tag, values[tag]


def language_name(tag: str, in_language: str = "en") -> str:
    """`zh-Hans` in Russian → «китайский (упрощенная китайская)»; falls back to the tag."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-").get_display_name(Locale.parse(in_language, sep="-")) or tag
    except (ValueError, UnknownLocaleError):
        return tag
