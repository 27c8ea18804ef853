"""The fast path of an import: works that are new and have no parent, inserted in bulk.

A first import of a catalogue is thousands of new films; one `save_work` per row costs about a
dozen queries each. Here the same rules are applied by their owners — `services.validate` (run
on every row before), `services.apply_fields` for the work's fields, `core.languages`,
`core.ratings` and `core.territories` for the normalisers, `core.audit.record` for the trail —
and only the inserts are batched. Updates, seasons and episodes still go through `save_work`.
"""

from __future__ import annotations

from kinomost.catalog import services
from kinomost.catalog.models import AgeRating, Genre, Work, WorkLocalization
from kinomost.core import audit
from kinomost.core.languages import normalise_tag
from kinomost.core.ratings import normalise_rating
from kinomost.core.territories import normalise_country

BATCH = 500


def create_fresh(owner, items: list[services.WorkInput], *, actor=None, audit_each: bool = True, source: str = "") -> list[Work]:
    """Insert new, parentless works with their titles, genres and ratings; returns them with pks.

    The catalogue's own import audits each work (`work.created`, as `save_work` does). An import
    that creates works only as a side effect of something larger — an avails file naming a
    thousand new titles — passes `audit_each=False`: one `works.created_in_bulk` event then
    lists every new work id and ref (one insert instead of one per work)."""
    works = []
    for data in items:
        work = Work(owner=owner, ref=data.ref.strip())
        services.apply_fields(work, data)
        works.append(work)
    Work.objects.bulk_create(works, batch_size=BATCH)
    WorkLocalization.objects.bulk_create([loc for work, data in zip(works, items) for loc in _localizations(work, data)], batch_size=BATCH)
    _link_genres(works, items)
    AgeRating.objects.bulk_create([r for work, data in zip(works, items) for r in _ratings(work, data)], batch_size=BATCH)
    user = getattr(actor, "user", None)
    if audit_each:
        for work in works:
            audit.record("work.created", actor=user, organisation=owner, obj=work, ref=work.ref)
    elif works:
        audit.record(
            "works.created_in_bulk", actor=user, organisation=owner, works=[w.pk for w in works], refs=[w.ref for w in works], source=source
        )
    return works


def _localizations(work: Work, data: services.WorkInput) -> list[WorkLocalization]:
    """As `save_work` does for a new work: a language with neither title nor synopsis is left out."""
    out = []
    for lang in {*data.titles, *data.synopses}:
        title = (data.titles.get(lang) or "").strip()
        synopsis = data.synopses.get(lang)
        if title or synopsis:
            out.append(
                WorkLocalization(work=work, language=normalise_tag(lang), title=title or work.original_title, synopsis=synopsis or "")
            )
    return out


def _link_genres(works: list[Work], items: list[services.WorkInput]) -> None:
    slugs = {g for data in items for g in (data.genres or [])}
    genres = {slug: Genre.objects.get_or_create(slug=slug)[0] for slug in sorted(slugs)}
    through = Work.genres.through
    links = [through(work_id=work.pk, genre_id=genres[g].pk) for work, data in zip(works, items) for g in dict.fromkeys(data.genres or [])]
    through.objects.bulk_create(links, batch_size=BATCH)


def _ratings(work: Work, data: services.WorkInput) -> list[AgeRating]:
    out = []
    for territory, system, value in data.ratings or []:
        system, value, minimum_age = normalise_rating(system, value)
        out.append(AgeRating(work=work, territory=normalise_country(territory), system=system, value=value, minimum_age=minimum_age))
    return out
