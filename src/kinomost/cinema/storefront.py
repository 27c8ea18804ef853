"""What a viewer may see and play on a platform: the one visibility rule, read from its set.

Playable = the platform's organisation holds an active holding or received grant for the work
(or its season or series) in the viewer's territory and one of the platform's media today, the
approvals the regulator requires exist, a ready asset of the organisation exists, and the
viewer's profile allows the work's age rating. `cinema.visibility` keeps that rule precomputed
per platform (rows with validity intervals, rewritten in the transaction of every change to the
ledger, approvals, assets or ratings), so a page reads only the works it shows: a page of rows,
a page of results, one title with its episodes. Home rows, search, the title page and playback
start all ask here, so they cannot disagree.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from kinomost.catalog import selectors as catalog
from kinomost.cinema.models import Asset, Platform
from kinomost.cinema.visibility_models import VisibleTitle, VisibleWork
from kinomost.core import territories
from kinomost.core.errors import InvalidInput

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

FREE_MEDIA = {"avod", "fvod"}  # no payment: advertising-funded or free


@dataclass(frozen=True)
class Viewing:
    """Who is looking: the platform, the viewer's territory, the profile's age limit, the day."""

    platform: Platform
    territory: str
    max_age: int | None = None  # None = no limit
    day: date | None = None

    @property
    def on(self) -> date:
        return self.day or timezone.localdate()


@dataclass(frozen=True)
class Playable:
    work_id: int
    top_id: int  # the film itself, or the series an episode belongs to
    asset_id: int
    asset_public_id: str
    media: frozenset[str]  # the platform's media it is licensed and cleared for
    minimum_age: int | None
    master_playlist: str = ""  # the asset's master playlist, in its package (read with the row)


def viewing_territory(account_country: str, client_ip: str | None) -> str:
    """The account's country, unless the operator configured a GeoIP2 country database and the
    request comes from elsewhere: then the country the request comes from."""
    located = _geoip_country(client_ip) if client_ip else None
    return located or account_country


def _geoip_country(ip: str) -> str | None:
    path = getattr(settings, "CINEMA_GEOIP2_COUNTRY_DB", "")
    if not path:
        return None
    try:
        import geoip2.database
        import geoip2.errors
    except ImportError:  # the operator set a database without installing geoip2: fall back to the account
        return None
    try:
        with geoip2.database.Reader(path) as reader:
            return reader.country(ip).country.iso_code or None
    except (geoip2.errors.AddressNotFoundError, ValueError, OSError):
        return None


def playable_works(viewing: Viewing, only: int | None = None) -> dict[int, Playable]:
    """Every work (film or episode) the viewer may play now, by work id; `only`: just that one.
    Read from the visibility set; over a whole large catalogue this is big — pages ask for the
    few works they show (`playable`, `playable_under`, `playable_among`)."""
    return _playable(viewing) if only is None else _playable(viewing, "work", [int(only)])


def playable(viewing: Viewing, work_id: int) -> Playable | None:
    return playable_works(viewing, only=int(work_id)).get(int(work_id))


def playable_among(viewing: Viewing, work_ids) -> dict[int, Playable]:
    """The playable ones of these works (films or episodes), in one query."""
    ids = [int(w) for w in work_ids]
    return _playable(viewing, "work", ids) if ids else {}


def visible_titles(viewing: Viewing) -> QuerySet[Work]:
    """Top-level works (films, series) with something playable: what rows and search list."""
    return catalog.among(_visible_title_rows(viewing).values("top_id"))


def title_rows(viewing: Viewing, top) -> QuerySet[VisibleTitle]:
    """The visibility rows that show title `top` (an id, or an OuterRef inside another query) to
    this viewing: for an EXISTS that probes the set title by title instead of reading all of it."""
    return _visible_title_rows(viewing).filter(top_id=top)


def playable_under(viewing: Viewing, top_id: int) -> dict[int, Playable]:
    """The playable film, or the playable episodes of a series; empty if the title is not visible."""
    return _playable(viewing, "top", [int(top_id)])


def _country(viewing: Viewing) -> str:
    try:
        country = territories.normalise_country(viewing.territory) if viewing.territory else ""
    except InvalidInput:
        return ""
    return country if country in viewing.platform.territories else ""


def _now_and_allowed_terms(viewing: Viewing) -> list[tuple[str, str, object]]:
    """The rule, once: rows valid on the viewing's day, of an age the profile allows (an unrated
    work is not shown to a limited profile), as (column, lookup, value) terms that the querysets
    (`_now_and_allowed`) and the plain statement (`_playable`) both apply."""
    terms = [("valid_from", "lte", viewing.on), ("valid_to", "gt", viewing.on)]
    if viewing.max_age is not None:
        terms += [("minimum_age", "isnull", False), ("minimum_age", "lte", int(viewing.max_age))]
    return terms


def _now_and_allowed(rows, viewing: Viewing):
    return rows.filter(**{f"{column}__{lookup}": value for column, lookup, value in _now_and_allowed_terms(viewing)})


_SQL_LOOKUPS = {"lte": "<= %s", "gt": "> %s"}


def _now_and_allowed_sql(viewing: Viewing, alias: str) -> tuple[str, list]:
    sql, params = [], []
    for column, lookup, value in _now_and_allowed_terms(viewing):
        if lookup == "isnull":
            sql.append(f"{alias}.{column} IS {'' if value else 'NOT '}NULL")
            continue
        sql.append(f"{alias}.{column} {_SQL_LOOKUPS[lookup]}")
        params.append(connection.ops.adapt_datefield_value(value) if isinstance(value, date) else value)
    return " AND ".join(sql), params


def _visible_title_rows(viewing: Viewing) -> QuerySet[VisibleTitle]:
    country = _country(viewing)
    if not country:
        return VisibleTitle.objects.none()
    return _now_and_allowed(VisibleTitle.objects.filter(platform=viewing.platform, territory=country), viewing)


def _playable(viewing: Viewing, by: str | None = None, ids: list[int] | None = None) -> dict[int, Playable]:
    """The visibility set's rows valid today of an age the profile allows, with their packages:
    all of the platform's, or (`by` "work" or "top") those of these works or of these titles'
    films and episodes.

    One statement on a plain cursor: a title page, a start and every heartbeat-free check ask this
    for one work, where the ORM's building of the query cost several times the indexed read
    (0.6 against 0.05–0.3 ms at 10 % of the scale library)."""
    country = _country(viewing)
    if not country:
        return {}
    rule, rule_params = _now_and_allowed_sql(viewing, "w")
    sql, params = [_PLAYABLE_SQL, " AND ", rule], [viewing.platform.pk, country, *rule_params]
    if by is not None:
        sql.append(f" AND w.{_PLAYABLE_BY[by]} IN ({', '.join(['%s'] * len(ids))})")
        params += [int(i) for i in ids]
    with connection.cursor() as cursor:
        cursor.execute("".join(sql) + " ORDER BY w.work_id, w.media", params)
        rows = cursor.fetchall()
    media: dict[int, set[str]] = {}
    first: dict[int, tuple] = {}
    for work_id, top_id, asset_id, public_id, master, medium, age in rows:
        media.setdefault(work_id, set()).add(medium)
        first.setdefault(work_id, (top_id, asset_id, str(_PUBLIC_ID.to_python(public_id)), age, master or ""))
    return {
        wid: Playable(wid, top, asset, public, frozenset(media[wid]), age, master)
        for wid, (top, asset, public, age, master) in first.items()
    }


_PLAYABLE_BY = {"work": "work_id", "top": "top_id"}
_PLAYABLE_SQL = (
    f"SELECT w.work_id, w.top_id, w.asset_id, a.public_id, a.master_playlist, w.media, w.minimum_age "
    f"FROM {VisibleWork._meta.db_table} w JOIN {Asset._meta.db_table} a ON a.id = w.asset_id "
    f"WHERE w.platform_id = %s AND w.territory = %s"
)


# A UUID column as the driver reads it (PostgreSQL's a UUID, SQLite's 32 hex digits), made a UUID
# by the field itself.
_PUBLIC_ID = Asset._meta.get_field("public_id")


# --- what the pages show: rows, search, a title -------------------------------------------------

ROW_LENGTH = 20


@dataclass(frozen=True)
class Card:
    work: Work
    title: str
    position: float = 0.0  # continue watching: seconds into the programme
    duration: float | None = None
    play_work_id: int | None = None  # the episode to resume, for a series


def home_rows(viewing: Viewing, profile, language: str) -> list[tuple[str, list[Card]]]:
    """(label, cards): continue watching, recently added, then one row per genre — every row a
    bounded walk of the visibility set (newest first), the titles of all the cards read once;
    all but the profile's own row kept by the process until the set changes (`_shelves`)."""
    from django.utils.translation import gettext as _

    resumed = _continue_watching(viewing, profile)
    shelves, tops = _shelves(viewing, language)
    missing = {c[0] for c in resumed} - tops.keys()
    if missing:
        tops = {**tops, **_titles(missing, language)}
    rows: list[tuple[str, list[Card]]] = []
    if resumed:
        rows.append(
            (_("Continue watching"), [Card(*tops[top], position, duration, work_id) for top, work_id, position, duration in resumed])
        )
    return rows + [(label, [Card(*tops[t]) for t in ids]) for label, ids in shelves]


SHELF_SECONDS = 60  # the longest a process shows a title's old name or poster (renames do not change the set)
_SHELVES_KEPT = 256
_shelves_kept: dict[tuple, tuple[float, list[tuple[str, list[int]]], dict]] = {}


def _shelves(viewing: Viewing, language: str) -> tuple[list[tuple[str, list[int]]], dict[int, tuple[Work, str]]]:
    """Recently added and the genre rows, (label, title ids), with their titles: the same for every
    viewer of a platform in one territory, age limit and language on one day, so the process
    keeps them until the platform's `visibility_version` changes — it is given a new value in the
    transaction of every change to the set, so a grant, a revocation (the 24-hour takedown) or a
    new package shows at the next request, as before — or SHELF_SECONDS pass. The version costs
    one primary-key read; computing the rows ~25–45 ms at the `--scale` size."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from kinomost.core.genres import GENRES

    version = Platform.objects.filter(pk=viewing.platform.pk).values_list("visibility_version", flat=True).first()
    key = (viewing.platform.pk, version, viewing.territory, viewing.max_age, viewing.on, language, get_language())
    now = time.monotonic()
    kept = _shelves_kept.get(key)
    if kept is not None and kept[0] > now:
        return kept[1], kept[2]
    genres = catalog.genre_slugs()
    newest, *by_genre = _newest_titles(viewing, [None, *genres])
    tops = _titles(set(newest) | {t for ids in by_genre for t in ids}, language)
    labelled = sorted(((str(GENRES.get(slug, slug)), ids) for slug, ids in zip(genres, by_genre) if ids), key=lambda row: row[0])
    shelves = [(_("Recently added"), newest), *labelled]
    if len(_shelves_kept) >= _SHELVES_KEPT:
        _shelves_kept.clear()  # a bound, not an LRU: keys are few (platform × territory × age × language × day)
    _shelves_kept[key] = (now + SHELF_SECONDS, shelves, tops)
    return shelves, tops


def forget_shelves() -> None:
    """Drop every kept shelf: bench/storefront.py measures what a page costs when its shelves are
    not kept (a change of the set needs no call: it is seen by its version)."""
    _shelves_kept.clear()


WALK = 4000  # the newest visible titles a genre row looks among before asking the genre's own list


def _newest_titles(viewing: Viewing, genres: list[str | None], length: int = ROW_LENGTH) -> list[list[int]]:
    """Per genre (None: any), the first `length` distinct visible titles, newest package first.

    One UNION ALL of index walks down (platform, territory, ready_at, top), each stopping after a
    page, so a row costs the same at 10,000 titles as at 100,000. The walks go no further back
    than the WALK newest titles; a genre too rare to fill its row there is then read from its own
    list (the genre index, as long as the genre is), in a second statement for those alone."""
    rows = _visible_title_rows(viewing)
    if not genres or not rows.query.where:
        return [[] for _ in genres]
    bound = rows.order_by("-ready_at", "-top_id").values_list("ready_at", flat=True)[WALK - 1 : WALK].first()
    where, params = _where(rows)
    near, near_params = _where(rows.filter(ready_at__gte=bound)) if bound is not None else (where, params)
    table = f'"{VisibleTitle._meta.db_table}"'
    order = f"ORDER BY {table}.ready_at DESC, {table}.top_id DESC LIMIT {length * 2}"
    arms = [
        f"SELECT {n} AS arm, top_id FROM (SELECT {table}.top_id FROM {table} WHERE {where} {order}) AS arm{n}"
        if genre is None
        else f"SELECT {n} AS arm, top_id FROM (SELECT {table}.top_id FROM {table} CROSS JOIN {_GENRE_LINKS} g WHERE {near} "
        f"AND g.work_id = {table}.top_id AND g.genre_id = %s {order}) AS arm{n}"  # CROSS JOIN: SQLite walks the titles first
        for n, genre in enumerate(genres)
    ]
    found = _arms(arms, [a for genre in genres for a in (params if genre is None else [*near_params, genre])], len(genres), length)
    short = [n for n, genre in enumerate(genres) if genre is not None and len(found[n]) < length and bound is not None]
    if short:
        own = [
            f"SELECT {n} AS arm, top_id FROM (SELECT {table}.top_id FROM {_GENRE_LINKS} g JOIN {table} ON {table}.top_id = g.work_id "
            f"WHERE {where} AND g.genre_id = %s {order}) AS arm{n}"
            for n in short
        ]
        again = _arms(own, [a for n in short for a in [*params, genres[n]]], len(genres), length)
        for n in short:
            found[n] = again[n]
    return found


_GENRE_LINKS = catalog.WORK_GENRES_TABLE


def _where(rows: QuerySet) -> tuple[str, list]:
    """The WHERE clause Django writes for these rows, to reuse inside hand-written statements."""
    sql, params = rows.values("top_id").query.sql_with_params()
    return sql.partition(" WHERE ")[2], list(params)


def _arms(arms: list[str], params: list, count: int, length: int) -> list[list[int]]:
    found: list[list[int]] = [[] for _ in range(count)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(arms), params)
        for arm, top_id in cursor.fetchall():
            if top_id not in found[arm] and len(found[arm]) < length:
                found[arm].append(top_id)
    return found


def _continue_watching(viewing: Viewing, profile) -> list[tuple[int, int, float, float | None]]:
    """(title, work to resume, position, duration) of the profile's unfinished plays, latest
    first, one per title, only what is still playable."""
    from kinomost.cinema.viewing_models import PlaybackSession

    if profile is None:  # browsing signed out
        return []
    recent = list(
        PlaybackSession.objects.filter(profile=profile)
        .order_by("-last_heartbeat_at", "-id")
        .values_list("work_id", "position", "asset__duration")[:100]
    )
    found = playable_among(viewing, {work_id for work_id, _p, _d in recent})
    out, seen = [], set()
    for work_id, position, duration in recent:
        if work_id not in found or found[work_id].top_id in seen:
            continue
        top = found[work_id].top_id
        seen.add(top)
        if position > 0 and not (duration and position >= duration * 0.95):
            out.append((top, work_id, position, duration))
    return out[:ROW_LENGTH]


def search(viewing: Viewing, query: str, language: str, limit: int = 50) -> list[Card]:
    """The catalogue's cross-script search inside the visibility set: the index lookups probe the
    viewer's visible titles row by row, so a page of results costs the same however large the
    catalogue."""
    from kinomost.catalog.search.query import search_works

    rows = _visible_title_rows(viewing)
    hits = search_works(query, scope=lambda column: rows.filter(top_id=RawSQL(column, ())), limit=limit)
    tops = _titles({h.work_id for h in hits}, language)
    return [Card(*tops[h.work_id]) for h in hits if h.work_id in tops]


def _titles(work_ids, language: str) -> dict[int, tuple[Work, str]]:
    """work id → (work, its title in the reader's language): what a card shows, and nothing more
    (the titles as plain rows: a home page has a few hundred cards; `catalog.display_titles`)."""
    return catalog.display_titles(work_ids, language)
