"""Reads of the catalogue, always through the eyes of an Actor (tenancy lives here)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from kinomost.catalog.models import AgeRating, Credit, Genre, Work, WorkKind, WorkLocalization
from kinomost.core.errors import NotFound
from kinomost.core.languages import pick
from kinomost.core.territories import country_name


def no_such_work(*refs: str, details: list | None = None) -> NotFound:
    """The one wording of "this work does not exist for you" (also for a work that exists but is
    another's and unlisted: never a hint), in the reader's language, naming what was asked for."""
    if not refs:
        return NotFound(_("No such work."), details=details)
    return NotFound(_("No such work: %(ref)s.") % {"ref": ", ".join(map(str, refs))}, details=details)


def visible_works(actor) -> QuerySet[Work]:
    """Works the actor may read: their organisation's own, and works listed in the marketplace.
    The one owner of "who may see a work", here as a query and in `may_see` for loaded works."""
    if actor is None:
        return Work.objects.none()
    return visible_to(actor.organisation_id)


def visible_to(organisation) -> QuerySet[Work]:
    """Works an organisation (or its id) may see: its own and the listed ones."""
    return Work.objects.filter(Q(owner_id=getattr(organisation, "pk", organisation)) | Q(is_listed=True))


def may_see(organisation, work: Work) -> bool:
    """`visible_to` for a work already loaded (a batch checked without another query)."""
    return work.owner_id == getattr(organisation, "pk", organisation) or work.is_listed


def owned_works(actor) -> QuerySet[Work]:
    return works_owned_by(actor.organisation_id)


def works_owned_by(organisation) -> QuerySet[Work]:
    """The works an organisation (or its id) catalogues, listed or not: `owned_works` for code that
    acts for an organisation without a signed-in actor (the demo picks its titles by reference)."""
    return Work.objects.filter(owner_id=getattr(organisation, "pk", organisation))


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
        raise no_such_work()
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
            for child, parent in Work.objects.filter(parent_id__in=parents[start : start + 500]).values_list("id", "parent_id"):
                found[child] = level[parent]
                next_level[child] = level[parent]
        level = next_level
    return found


def work_id(work) -> int:
    """A Work or its id → the id (services take either)."""
    return work.pk if isinstance(work, Work) else int(work)


def by_ids(work_ids) -> dict[int, Work]:
    """id → Work for the ids that exist (in chunks well inside SQLite's parameter limit)."""
    ids, found = list(work_ids), {}
    for start in range(0, len(ids), 5000):
        found.update((w.pk, w) for w in Work.objects.filter(pk__in=ids[start : start + 5000]))
    return found


def refs_of(work_ids) -> dict[int, str]:
    """id → the work's catalogue reference."""
    return dict(Work.objects.filter(pk__in=list(work_ids)).values_list("id", "ref"))


def with_owners(work_ids) -> QuerySet[Work]:
    """The works, each with its owner (whose country stands in for a work's origin)."""
    return Work.objects.filter(pk__in=list(work_ids)).select_related("owner")


def of_kinds(work_ids, kinds) -> list[int]:
    """The ids among `work_ids` of works of the given kinds (feature, series, episode …)."""
    ids, found = list(work_ids), []
    for start in range(0, len(ids), 5000):
        found += Work.objects.filter(pk__in=ids[start : start + 5000], kind__in=list(kinds)).values_list("id", flat=True)
    return sorted(found)


def runtimes(works) -> dict[int, int]:
    """work id → minutes: the catalogued runtime; a series or season without one counts its
    episodes' (what the balance of the exchange weighs content by)."""
    out = {w.pk: w.runtime_minutes for w in works if w.runtime_minutes}
    missing = {w.pk for w in works if not w.runtime_minutes}
    out.update(dict.fromkeys(missing, 0))
    episodes = dict(
        Work.objects.filter(pk__in=list(descendants(missing)), kind=WorkKind.EPISODE)
        .exclude(runtime_minutes=None)
        .values_list("id", "runtime_minutes")
    )
    for episode_id, chain in lineage(episodes).items():
        for ancestor in missing.intersection(chain[1:]):  # a series and its season may both be asked
            out[ancestor] += episodes[episode_id]
    return out


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
    return qs.prefetch_related(
        Prefetch("localizations", queryset=WorkLocalization.objects.only("work_id", "language", "title", "synopsis"))
    )


def children_of(work: Work) -> QuerySet[Work]:
    return with_localizations(work.children.order_by("number", "id"))


def work_summary(work: Work) -> dict:
    """The short form of a work shared by lists, search results (API and CLI) and exports of them."""
    return {"id": work.pk, "ref": work.ref, "kind": work.kind, "year": work.year, "titles": titles_by_language(work)}


def families_under(top_ids) -> tuple[dict[int, int], dict[int, str]]:
    """For the given works — ids, or a subquery of ids (a QuerySet, e.g. a contract's works from
    rights.commercial.work_ids_of) — every work they cover → the given work it falls under (a
    film itself; a season or episode → the series or season given), and the given works' refs.
    A subquery is joined in the database: a contract of 5,000 films is not sent (and formatted by
    the driver) as 5,000 parameters three times over; royalty statements read this per statement."""
    refs = dict(Work.objects.filter(pk__in=top_ids).values_list("id", "ref"))
    covered = {w: w for w in refs}
    for child, parent in Work.objects.filter(parent_id__in=top_ids).values_list("id", "parent_id"):
        covered.setdefault(child, covered[parent])
    for child, parent in Work.objects.filter(parent__parent_id__in=top_ids).values_list("id", "parent_id"):
        covered.setdefault(child, covered[parent])
    return covered, refs


def refs_and_eidrs(work_ids) -> list[tuple[int, str, str]]:
    """(id, ref, EIDR or "") of the given works — ids or a subquery of ids — in id order: what a
    usage report may name a work by."""
    return list(Work.objects.filter(pk__in=work_ids).order_by("id").values_list("id", "ref", "eidr"))


# ---------------------------------------------------------------- reads for other apps
# Rights, the exchange and the cinema ask these questions of the catalogue; they never import
# `catalog.models` (the import-linter contract "catalog.models are read through catalog's
# selectors"). None of these decides who may see a work: the caller has done that already
# (`visible_works` / `may_see`, or the rights or visibility set it read the ids from).

# The tables behind the works, for the hand-written statements of other apps (availability's
# family walk, the storefront's rows by genre), so no one spells a table name of ours.
WORK_TABLE = Work._meta.db_table
WORK_GENRES_TABLE = Work.genres.through._meta.db_table


def among(work_ids) -> QuerySet[Work]:
    """The works with these ids — a list, or a subquery of ids that stays one statement (the
    storefront's visible titles, a catalogue of positions)."""
    return Work.objects.filter(pk__in=work_ids)


def titled(work_ids=None) -> QuerySet[Work]:
    """The works (all, for a `Prefetch`) with their titles and synopses loaded: what a list or a
    page shows through `display_title` / `display_synopsis` without a query per work."""
    return with_localizations(Work.objects.all() if work_ids is None else among(work_ids))


def by_id_or_ref(ids, refs) -> QuerySet[Work]:
    """Works whose id is among `ids` or whose reference is among `refs`, of any owner: what a
    person typed, before the caller decides which of them they may ask about."""
    return Work.objects.filter(Q(pk__in=list(ids)) | Q(ref__in=list(refs)))


def owned_or_among(organisation, work_ids) -> QuerySet[Work]:
    """The organisation's own works and the given ones (a subquery of the works it has rights
    on): a licensor's catalogue, as the exchange offers it and "find available" explains it."""
    return Work.objects.filter(Q(owner_id=getattr(organisation, "pk", organisation)) | Q(pk__in=work_ids))


def owns_any(organisation, work_ids) -> bool:
    """Whether the organisation owns any of these works (a work's family: the approvals it may
    record for an episode of its series)."""
    return Work.objects.filter(pk__in=list(work_ids), owner_id=getattr(organisation, "pk", organisation)).exists()


def with_family_identifiers() -> QuerySet[Work]:
    """Works with their season and series and every identifier of the three loaded: what an
    Avails row names (the content ids of an episode, its season and its series)."""
    return Work.objects.select_related("parent", "parent__parent").prefetch_related(
        "identifiers", "parent__identifiers", "parent__parent__identifiers"
    )


def display_titles(work_ids, language: str | None) -> dict[int, tuple[Work, str]]:
    """work id → (work, its title for a reader of `language`, by `display_title`'s fallback): a
    card's worth and nothing more, in two plain statements (a storefront's home page shows a few
    hundred cards; prefetching whole localisations would cost more than the page)."""
    ids = sorted({int(i) for i in work_ids})
    found: dict[int, tuple[Work, str]] = {}
    for start in range(0, len(ids), _CARD_CHUNK):
        chunk = ids[start : start + _CARD_CHUNK]
        titles: dict[int, dict[str, str]] = {}
        for wid, tag, title in _rows(_CARD_TITLES_SQL, chunk):
            titles.setdefault(wid, {})[tag] = title
        for row in _rows(_CARD_WORKS_SQL, chunk):
            work = Work.from_db(DEFAULT_DB_ALIAS, _CARD_FIELDS, row)  # the fields a card shows; the rest deferred
            picked = pick(titles.get(work.pk, {}), language, work.original_language or None)
            found[work.pk] = (work, picked[1] if picked else work.original_title)
    return found


# A card's statements on a plain cursor: for 50 cards the ORM's building of two `IN (...)`
# queries and of deferred instances took 1.3 of 1.4 ms (a search page's largest part); these
# take ~0.5 ms. Ids are ints (sorted, deduplicated), so the statement text depends only on
# their number; a chunk stays well inside SQLite's parameter limit.
_CARD_CHUNK = 500
# In the model's field order, which `Model.from_db` expects of a subset.
_CARD_FIELDS = [
    f.attname for f in Work._meta.concrete_fields if f.attname in {"id", "kind", "year", "poster", "original_title", "original_language"}
]
_CARD_WORKS_SQL = f"SELECT {', '.join(_CARD_FIELDS)} FROM {Work._meta.db_table} WHERE id IN ({{marks}})"
_CARD_TITLES_SQL = f"SELECT work_id, language, title FROM {WorkLocalization._meta.db_table} WHERE work_id IN ({{marks}})"


def _rows(sql: str, ids: list[int]) -> list[tuple]:
    if not ids:
        return []
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql.format(marks=", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


def genre_slugs() -> list[str]:
    """Every genre's slug, in order: the storefront's rows by genre."""
    return list(Genre.objects.order_by("slug").values_list("slug", flat=True))


def rating_rows(work_ids) -> list[tuple[int, str, int]]:
    """(work id, territory, minimum age) of every age rating of these works, in one statement:
    the visibility set's age per work and country (its rebuild asks for thousands at once)."""
    return list(AgeRating.objects.filter(work_id__in=list(work_ids)).values_list("work_id", "territory", "minimum_age"))


def works_crediting(query: str, roles, shown, limit: int) -> list[int]:
    """Ids of up to `limit` works crediting, in one of `roles`, someone whose name in any spelling
    contains the query (catalog/search/people.py says how it matches), by billing order, among
    the works `shown(work)` has rows for — `shown` returns a queryset correlated to the work (an
    OuterRef), tested per credit with EXISTS: the storefront's search by cast and director. The
    people come from the name index and their credits from the credit index, so the cost follows
    the matches, not the catalogue (an `IN (every visible title)` would read the whole set)."""
    from kinomost.catalog.search.people import people_named

    people = people_named(query)
    if not people:
        return []
    found: dict[int, None] = {}
    credited = Credit.objects.filter(Exists(shown(OuterRef("work_id"))), person_id__in=people, role__in=list(roles))
    for work_id in credited.order_by("order", "work_id").values_list("work_id", flat=True)[: limit * 4]:
        found.setdefault(work_id)
    return list(found)[:limit]
