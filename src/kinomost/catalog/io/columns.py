"""The columns of a works file, shared by import and export so the two always agree."""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation

from kinomost.catalog.models import WorkKind
from kinomost.core.errors import InvalidInput
from kinomost.core.genres import GENRES
from kinomost.core.languages import normalise_tag
from kinomost.core.territories import normalise_country

PLAIN = [
    "ref",
    "kind",
    "original_title",
    "original_language",
    "year",
    "runtime",
    "countries",
    "genres",
    "keywords",
    "eidr",
    "series_ref",
    "season",
    "episode",
]
PREFIXED = ("title", "synopsis", "rating")


def parse_header(name: str) -> tuple[str, str | None]:
    """`Title:ZH-hans` → ('title', 'zh-Hans'); `Year` → ('year', None). Raises InvalidInput."""
    raw = (name or "").strip()
    base, _, suffix = raw.partition(":")
    base = base.strip().lower()
    if suffix:
        if base not in PREFIXED:
            raise InvalidInput(f"unknown column '{raw}'")
        return base, (normalise_country(suffix) if base == "rating" else normalise_tag(suffix))
    if base not in PLAIN:
        raise InvalidInput(f"unknown column '{raw}'; known: {', '.join(PLAIN)}, title:<lang>, synopsis:<lang>, rating:<country>")
    return base, None


@lru_cache(maxsize=1)
def _kind_names() -> dict[str, str]:
    """Slug and display names in every interface language; cached, since a file asks once per row."""
    names = {value: value for value in WorkKind.values}
    for language in ("en", "ru", "zh-hans"):
        with translation.override(language):
            names.update({str(label).casefold(): value for value, label in WorkKind.choices})
    return names


@lru_cache(maxsize=1)
def _genre_names() -> dict[str, str]:
    """Slug and gettext names (en/ru/zh-Hans) of every genre; cached like the kinds."""
    names = {slug: slug for slug in GENRES}
    for language in ("en", "ru", "zh-hans"):
        with translation.override(language):
            names.update({str(label).casefold(): slug for slug, label in GENRES.items()})
    return names


def kind_from_text(text: str) -> str:
    kind = _kind_names().get(text.strip().casefold())
    if kind is None:
        raise InvalidInput(f"unknown kind '{text}'; one of: {', '.join(WorkKind.values)}")
    return kind


def genres_from_text(text: str) -> list[str]:
    names = _genre_names()
    out, unknown = [], []
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        slug = names.get(part.casefold()) or names.get(part.casefold().replace(" ", "_"))
        (out if slug else unknown).append(slug or part)
    if unknown:
        raise InvalidInput(f"unknown genre(s): {', '.join(unknown)}")
    return list(dict.fromkeys(out))
