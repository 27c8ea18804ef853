"""The paged "find available" of the rights page and API, and the size limit of an
availability answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kinomost.catalog import selectors as catalog
from kinomost.core import media as media_taxonomy
from kinomost.core import periods, territories
from kinomost.core.errors import InvalidInput
from kinomost.core.periods import Period
from kinomost.rights import availability as avail

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

MAX_CELLS = 200_000  # one availability answer; beyond it the caller narrows the request


def check_size(works: int, territory_codes, media_codes) -> None:
    """Refuse an answer too large to send (300 works × WORLD × all media is 1.9 M cells)."""
    countries = len(territories.expand(territory_codes)) if territory_codes else 0
    leaves = len(media_taxonomy.expand(media_codes)) if media_codes else 0
    if works * countries * leaves > MAX_CELLS:
        raise InvalidInput(
            f"The request has {works * countries * leaves} cells; ask for at most {MAX_CELLS} (fewer works, countries or media).",
            details=[{"cells": works * countries * leaves}],
        )


def countries_of(include, exclude=()) -> list[str]:
    return territories.expand(include, exclude)


@dataclass
class Found:
    work: Work
    free: Period | None  # the longest free stretch that contains the requested window


@dataclass
class FoundPage:
    total: int
    rows: list[Found]


def find_available_page(
    actor, territory: str, media: str, window: Period, exclusive: bool, kinds=None, *, limit: int = 50, offset: int = 0, languages=None
) -> FoundPage:
    """`availability.find_available`, one page of it, with the works' titles and how far each
    free stretch reaches beyond the request ("free 2026-01-01 → open"). `languages` as for
    `availability`: None leaves languages out of it."""
    ids = avail.find_available(actor, territory, media, window, exclusive, kinds, languages)
    page_ids = ids[offset : offset + limit]
    works = {w.pk: w for w in catalog.titled(page_ids)}
    stretches = _free_stretches(actor, page_ids, territory, media, window, exclusive, languages)
    return FoundPage(len(ids), [Found(works[i], stretches.get(i)) for i in page_ids if i in works])


def _free_stretches(
    actor, work_ids: list[int], territory: str, media: str, window: Period, exclusive: bool, languages=None
) -> dict[int, Period]:
    if not work_ids:
        return {}
    result = avail.availability(actor, work_ids, [territory], [media], Period(None, None), exclusive, languages)
    out = {}
    for wid, work in result.items():
        free = [Period(None, None)]
        for cell in work.cells:
            free = periods.intersection(free, cell.free)
        out[wid] = next((p for p in free if p.contains(window)), None)
    return out
