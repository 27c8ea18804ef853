"""Languages: BCP 47 tags for metadata, Django codes for the interface, and the display fallback chain.

Metadata may be in any BCP 47 language (`ru`, `zh-Hans`, `zh-Hant`, `en`, `pt-BR` …). A tag is
stored in its canonical form as the IANA registry and CLDR define it, computed by `langcodes`
rather than by our own rules: case (`zh-hans` → `zh-Hans`), 3-letter codes that have a 2-letter
form (`rus` → `ru`, and the ISO 639-2/B codes media files carry: `chi` → `zh`, `ger` → `de`),
deprecated and grandfathered tags (`iw` → `he`, `in` → `id`, `i-klingon` → `tlh`, `zh-yue` → `yue`),
macrolanguages (`cmn-Hans` → `zh-Hans`) and suppressed scripts (`ja-Jpan-JP` → `ja-JP`). So `rus`
from a container, `ru` from a spreadsheet and `RU` from an API are one language everywhere.
"""

from __future__ import annotations

from functools import lru_cache

import langcodes
from langcodes.data_dicts import MACROLANGUAGES
from django.utils.translation import gettext as _

from kinomost.core.errors import InvalidInput

INTERFACE_LANGUAGES = ("en", "ru", "zh-Hans")
MAX_TAG_LENGTH = 16  # the columns that store a tag (catalog, cinema) are 16 characters wide
# ISO 639 codes that say "no particular language"; a media track marked so has no language.
NO_LANGUAGE = frozenset({"und", "unk", "mis", "mul", "zxx"})
# Below this CLDR language distance a text is a good second choice (en-GB → en 5, pt-PT → pt-BR
# 5; ru → sr is 84): langcodes' own default for "closest match".
_RELATIVE_DISTANCE = 25


@lru_cache(maxsize=4096)
def normalise_tag(tag: str) -> str:
    """Return the canonical form of a BCP 47 tag, or raise InvalidInput naming it."""
    raw = (tag or "").strip()
    try:
        canonical = langcodes.standardize_tag(raw, macro=True) if raw else ""
    except (langcodes.LanguageTagError, ValueError):
        canonical = ""
    if not canonical or not langcodes.tag_is_valid(canonical):
        raise InvalidInput(_("'%(tag)s' is not a language tag of the IANA registry (%(example)s)") % {"tag": tag, "example": _example()})
    subtags = canonical.split("-")
    if any(len(s) == 1 for s in subtags) or _private_use(canonical) or len(canonical) > MAX_TAG_LENGTH:
        raise InvalidInput(
            _("'%(tag)s' has extensions or private-use parts, which metadata does not keep (%(example)s)")
            % {"tag": tag, "example": _example()}
        )
    region = langcodes.Language.get(canonical).territory
    if region and region.isalpha():
        from kinomost.core.territories import is_current_country

        if not is_current_country(region):
            raise InvalidInput(_("'%(tag)s' has region '%(region)s', which is not a country") % {"tag": tag, "region": region})
    return canonical


def _example() -> str:
    return _("expected e.g. ru, en, zh-Hans, pt-BR")


def _private_use(canonical: str) -> bool:
    """qaa–qtz and Qaaa–Qabx mean whatever two parties agreed; no other organisation can read them."""
    language = langcodes.Language.get(canonical)
    return "qaa" <= (language.language or "") <= "qtz" or "Qaaa" <= (language.script or "") <= "Qabx"


def normalise_registry_tag(tag: str) -> str:
    """`normalise_tag`, refusing besides an ISO 639-2 code whose language the IANA registry lists
    only by its 2-letter code (`eng`: use `en`). Partners' avails files are checked as a BCP 47
    validator checks them, so their author hears of it; the catalogue just reads `eng` as `en`."""
    canonical = normalise_tag(tag)
    written = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    language = canonical.split("-")[0]
    if len(written) == 3 and len(language) == 2 and MACROLANGUAGES.get(written) != language:
        raise InvalidInput(_("'%(tag)s' is not a BCP 47 tag: use '%(language)s'") % {"tag": tag, "language": language})
    return canonical


def is_valid_tag(tag: str) -> bool:
    try:
        normalise_tag(tag)
    except InvalidInput:
        return False
    return True


def from_media_code(code: str | None) -> str:
    """A language as a media container writes it (ISO 639-2/B `chi`, `rus`, `und`) → BCP 47 (`zh`,
    `ru`, ''): the same tag the catalogue stores; '' for "undetermined" and for what no registry knows."""
    code = (code or "").strip()
    if not code or code.lower() in NO_LANGUAGE:
        return ""
    try:
        return normalise_tag(code)
    except InvalidInput:
        return ""


def canonical_or_unchanged(tag: str) -> str:
    """For migrating stored tags: the canonical form, or the stored text as it was when it is no
    tag (nothing stored is lost; the next save asks the user to correct it)."""
    try:
        return normalise_tag(tag) if tag else tag
    except InvalidInput:
        return tag


def canonical_language_uses(items: list) -> list:
    """For migrating a term's `languages` ([{'language': 'rus', 'use': 'dubbed'}]): each tag in
    its canonical form, entries that became the same dropped (order kept)."""
    out: list = []
    for item in items or []:
        if isinstance(item, dict) and isinstance(item.get("language"), str):
            item = {**item, "language": canonical_or_unchanged(item["language"])}
        if item not in out:
            out.append(item)
    return out


def from_interface_code(code: str) -> str:
    """Django's `zh-hans` → BCP 47 `zh-Hans`."""
    return normalise_tag(code)


def reader_language() -> str:
    """The reader's language as a BCP 47 tag (`ru`, `zh-Hans`, `en`): the interface language active
    for this request, English when none is. The one owner: pages and APIs pick titles, names and
    dates for the reader with it."""
    from django.utils.translation import get_language

    try:
        return from_interface_code(get_language() or "en")
    except InvalidInput:
        return "en"


@lru_cache(maxsize=8192)
def _distance(wanted: str, available: str) -> int:
    try:
        return langcodes.tag_distance(wanted, available)
    except (langcodes.LanguageTagError, ValueError):
        return 1000


@lru_cache(maxsize=4096)
def _macrolanguage(tag: str) -> str:
    """The IANA registry's macrolanguage of a tag's language (yue, cmn, nan → zh; nb → no), else
    the language itself."""
    try:
        language = langcodes.Language.get(tag).language or ""
    except (langcodes.LanguageTagError, ValueError):
        return ""
    return MACROLANGUAGES.get(language, language)


def _relatives(tag: str, available) -> list[str]:
    """The available tags a reader of `tag` reads well, nearest first by CLDR's language distance:
    regional variants (en-GB → en), and any tag of the same macrolanguage — for Chinese the other
    script too: zh-TW → zh-Hant, zh-HK, then zh-Hans; yue-Hant-HK → zh-Hant, then zh-Hans."""
    near = [(_distance(tag, other), other) for other in available]
    macro = _macrolanguage(tag)
    return [other for distance, other in sorted(near) if distance < _RELATIVE_DISTANCE or (macro and _macrolanguage(other) == macro)]


def fallback_chain(preferred: str | None, original: str | None = None, available=()) -> list[str]:
    """Viewer's language → its relatives among `available` → the original language (and its
    relatives) → English (and its relatives)."""
    return list(_chain(preferred, original, tuple(sorted(available))))


@lru_cache(maxsize=4096)
def _chain(preferred: str | None, original: str | None, available: tuple[str, ...]) -> tuple[str, ...]:
    """Cached: a page of works asks the same few (viewer, original, languages held) again and again."""
    chain: list[str] = []
    for tag in (preferred, original, "en"):
        if tag:
            for candidate in (tag, *_relatives(tag, available)):
                if candidate not in chain:
                    chain.append(candidate)
    return tuple(chain)


def pick(values: dict[str, str], preferred: str | None, original: str | None = None) -> tuple[str, str] | None:
    """The value to show from `{tag: value}`, following the fallback chain; any value at last."""
    present = sorted(tag for tag, value in values.items() if value)
    if not present:
        return None
    for tag in _chain(preferred, original, tuple(present)):
        if values.get(tag):
            return tag, values[tag]
    return present[0], values[present[0]]


def language_name(tag: str, in_language: str = "en") -> str:
    """`zh-Hans` in Russian → «китайский (упрощенная китайская)»; falls back to the tag."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-").get_display_name(Locale.parse(in_language, sep="-")) or tag
    except (ValueError, UnknownLocaleError):
        return tag


# The CLDR locale each interface language formats numbers, money and dates in. English is CLDR's
# "world English" (en_001): a reader across borders sees US$ rather than a bare $.
_CLDR_LOCALES = {"en": "en_001", "ru": "ru", "zh-hans": "zh_Hans"}


def cldr_locale(interface_code: str | None = None) -> str:
    """The Babel locale of an interface language (Django's `zh-hans` → `zh_Hans`); the active one
    when none is given."""
    if interface_code is None:
        from django.utils.translation import get_language

        interface_code = get_language() or "en"
    code = interface_code.lower()
    return _CLDR_LOCALES.get(code) or _CLDR_LOCALES.get(code.split("-")[0], "en_001")


def clean_names(names) -> dict[str, str]:
    """A name per language as given (`{"ru": "…", "zh-hans": "…"}`) → canonical tags, trimmed
    values, empty ones dropped; InvalidInput for what is not a mapping of tags to text. Organisations
    and quota rules keep their translated names in this shape, as people do (`Person.names`)."""
    if names in (None, ""):
        return {}
    if not isinstance(names, dict):
        raise InvalidInput(_('Names must be given per language, e.g. {"ru": "…", "zh-Hans": "…"}.'))
    cleaned: dict[str, str] = {}
    for tag, value in names.items():
        if not isinstance(value, str):
            raise InvalidInput(_("The name in '%(tag)s' must be text.") % {"tag": tag})
        if value.strip():
            cleaned[normalise_tag(str(tag))] = value.strip()[:200]
    return cleaned


def name_for_reader(names: dict[str, str] | None, stored: str, language: str | None = None) -> str:
    """The translated name to show a reader of `language` (the active one when None), by the same
    fallback chain as titles; the name as stored when none is translated."""
    picked = pick(names or {}, language or reader_language())
    return picked[1] if picked else stored
