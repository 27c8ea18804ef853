"""Reads of the catalogue, always through the eyes of an Actor (tenancy lives here)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from kinomost.catalog.models import AgeRating, Credit, Work, WorkLocalization
from kinomost.core.errors import NotFound
from kinomost.core.languages import pick
from kinomost.core.territories import country_name


def visible_works(actor) -> QuerySet[Work]:
    """Works the actor may read: their organisation's own, and works listed in the marketplace."""
    if actor is None:
        return Work.objects.none()
    return Work.objects.filter(Q(owner_id=actor.organisation_id) | Q(is_listed=True))


def owned_works(actor) -> QuerySet[Work]:
    return Work.objects.filter(owner_id=actor.organisation_id)


def work_for(actor, work_id: int, *, owned: bool = False) -> Work:
    """The work if the actor may see it (or owns it); otherwise NotFound, never a hint that it exists."""
    qs = owned_works(actor) if owned else visible_works(actor)
    work = (
        qs.select_related("owner", "parent", "parent__parent")
        .prefetch_related(
            "localizations",
            "genres",
            "identifiers",
            "production_companies",
            Prefetch("ratings", queryset=AgeRating.objects.order_by("territory")),
            Prefetch("credits", queryset=Credit.objects.select_related("person")),
        )
        .filter(pk=work_id)
        .first()
    )
    if work is None:
        raise NotFound("No such work.")
    return work


def lineage(work_ids) -> dict[int, tuple[int, ...]]:
    """work → (work, its season or series, its series): the works whose rights, ratings and
    approvals an episode inherits, nearest first. The one owner of a work's family (episode →
    season → series); other apps ask here rather than walking `parent` themselves."""
    rows = Work.objects.filter(pk__in=list(work_ids)).values_list("id", "parent_id", "parent__parent_id")
    return {wid: tuple(w for w in (wid, parent, grandparent) if w) for wid, parent, grandparent in rows}


def descendants(work_ids) -> dict[int, int]:
    """child → the given work it belongs to, for the seasons and episodes (two levels) of the
    given works: what a series' or season's licence covers."""
    tops = list(work_ids)
    found: dict[int, int] = {}
    level = {wid: wid for wid in tops}
    for _depth in range(2):
        if not level:
            break
        next_level: dict[int, int] = {}
        parents = list(level)
        for start in range(0, len(parents), 500):
            for child, parent in Work.objects.filter(parent_id__in=parents[start:start + 500]).values_list("id", "parent_id"):
                found[child] = level[parent]
                next_level[child] = level[parent]
        level = next_level
    return found


def titles_by_language(work: Work) -> dict[str, str]:
    return {loc.language: loc.title for loc in work.localizations.all()}


def display_title(work: Work, language: str | None) -> str:
    """The title to show a reader of `language`: their language → original language → English."""
    picked = pick(titles_by_language(work), language, work.original_language or None)
    return picked[1] if picked else work.original_title


def person_name(person, language: str | None) -> str:
    """A credited person's name as a reader of `language` writes it (安德烈·奥尔洛夫 for Андрей
    Орлов on a Chinese page), by the same fallback as titles; the name as stored when no spelling fits."""
    picked = pick(person.names or {}, language)
    return picked[1] if picked else person.name


def display_synopsis(work: Work, language: str | None) -> str:
    synopses = {loc.language: loc.synopsis for loc in work.localizations.all() if loc.synopsis}
    picked = pick(synopses, language, work.original_language or None)
    return picked[1] if picked else ""


def display_countries(work: Work, language: str | None) -> list[str]:
    """Countries of origin by name in the reader's language (`SUHH` → «СССР» for a Russian reader)."""
    return [country_name(code, language or "en") for code in work.countries or []]


def with_localizations(qs: QuerySet[Work]) -> QuerySet[Work]:
    return qs.prefetch_related(Prefetch("localizations", queryset=WorkLocalization.objects.only("work_id", "language", "title", "synopsis")))


def children_of(work: Work) -> QuerySet[Work]:
    return with_localizations(work.children.order_by("number", "id"))


def work_summary(work: Work) -> dict:
    """The short form of a work shared by lists, search results (API and CLI) and exports of them."""
    return {"id": work.pk, "ref": work.ref, "kind": work.kind, "year": work.year, "titles": titles_by_language(work)}
