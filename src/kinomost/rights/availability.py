"""Reads of the rights ledger: availability, holdings and grants (the licence check on a day is `rights.licensed`).

Availability of a cell (work, country, media leaf) for a licensor L and a requested window W:

    free = (W ∩ L's qualifying holdings) − L's conflicting grants − L's holdbacks

A holding qualifies when it may be sublicensed (and is exclusive, for an exclusive request); a
grant *received* by L counts as L's holding, so chains A → B → C need no copied rows. A grant
by L conflicts when either it or the request is exclusive. Episodes inherit the holdings of
their season or series unless they have holdings of their own for that cell; grants and holdbacks
anywhere in the family (ancestors and descendants) conflict, since granting a series grants its
episodes. Everything is fetched in a few queries and computed with `core.periods`.

Languages (asked for with `languages=[...]`, see docs/rights.md "Languages"): a holding is usable
for a (language, use) pair when its term names no language or names that pair; a request naming
pairs needs each pair covered for the whole window, a request naming none needs holdings naming
none. Grants and holdbacks block whatever their languages: atoms carry no language.
"""

from __future__ import annotations

import json
import weakref
from collections import defaultdict
from functools import lru_cache
from datetime import date
from typing import Iterable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q, QuerySet

from kinomost.catalog import selectors as catalog
from kinomost.catalog.choices import TOP_LEVEL_KINDS
from kinomost.core import media as media_taxonomy
from kinomost.core import periods, territories
from kinomost.core.periods import Period
from kinomost.parties.models import Organisation
from kinomost.rights import availability_rules as rules
from kinomost.rights import language_pairs
from kinomost.rights.availability_rules import (  # noqa: F401 (the names callers read from here)
    ALL_LANGUAGES,
    CONFLICTING_GRANT,
    HOLDBACK,
    MISSING_HOLDING,
    Cell,
    Gap,
    WorkAvailability,
)
from kinomost.rights.models import OPEN_END, AtomKind, Contract, LanguageUse, RightAtom, Term


def org_id(actor_or_org) -> int:
    """An Actor, an Organisation or an id → the organisation id (tenancy key)."""
    value = getattr(actor_or_org, "organisation_id", None) or getattr(actor_or_org, "pk", None) or actor_or_org
    return int(value)


def to_period(window) -> Period:
    if isinstance(window, Period):
        return window
    start, end = window
    return Period(periods.parse_date(start), periods.parse_date(end))


def availability(
    licensor, works: Iterable, territory_codes, media_codes, window, exclusive: bool, languages: Iterable | None = None
) -> dict[int, WorkAvailability]:
    """Per work: is the whole request free, the free sub-windows per cell, and every gap's reason.

    `territory_codes` and `media_codes` may be groups (expanded here); `window` is a Period or
    (start, end). One statement per 500 works fetches the works' family and every atom that
    matters, whatever the number of cells; the rules then run in Python with `core.periods`.

    `languages`: None answers without regard to language (the overview pages); a list of
    {"language", "use"} (or (language, use)) — empty meaning "names no language" — makes only
    the holdings covering them usable (a grant's rule 1), and a gap due to language alone names it.
    """
    wanted = to_period(window)
    wanted_languages = None if languages is None else language_pairs.as_pairs(languages)
    countries = _expanded(territories.expand, territory_codes)
    leaves = _expanded(media_taxonomy.expand, media_codes)
    work_ids = [catalog.work_id(w) for w in works]
    lid = org_id(licensor)
    db = connections[DEFAULT_DB_ALIAS]
    result: dict[int, WorkAvailability] = {}
    for start in range(0, len(work_ids), _CHUNK):
        chunk = work_ids[start : start + _CHUNK]
        family, atoms, term_languages = _family_and_atoms(db, lid, chunk, countries, leaves, wanted, wanted_languages is not None)
        rule = None if wanted_languages is None else rules.LanguageRule(wanted_languages, term_languages)
        for wid in chunk:
            result[wid] = rules.work_availability(lid, wid, family, atoms, countries, leaves, wanted, exclusive, rule)
    return result


# Works per statement: with their seasons and episodes well inside SQLite's 32,766 parameters.
_CHUNK = 500


def _expanded(expand, codes) -> list[str]:
    """Territory or media codes → their expansion, remembered: a request names the same few
    sets again and again, and expanding a group is slower than the query that follows."""
    if not codes:
        return []
    return list(_expand_cached(expand, codes if isinstance(codes, str) else tuple(codes)))


@lru_cache(maxsize=1024)
def _expand_cached(expand, codes) -> tuple[str, ...]:
    return tuple(expand(codes if isinstance(codes, str) else list(codes)))


def _family_and_atoms(
    db, licensor_id: int, work_ids: list[int], countries: list[str], leaves: list[str], wanted: Period, with_languages: bool = False
):
    """The works' ancestors and descendants, and the licensor's atoms (held, granted, held back,
    received) on all of them for these cells overlapping `wanted` — one statement.

    Raw SQL because at one work the ORM's query building costs more than the query itself; one
    statement because a round trip to a busy server costs more than anything else here.
    `with_languages`: the statement's variant that also reads each atom's term languages
    (returned per atom id); the plain one, which the overview pages run, does not join terms."""
    if not work_ids or not countries or not leaves:
        return rules.Family({}, {}), {}, {}
    pg = db.vendor == "postgresql"
    ids = _bound(pg, work_ids)
    rows = _fetch(
        db,
        _family_atoms_sql(pg, len(work_ids), len(countries), len(leaves), with_languages),
        [*ids, *ids, *ids, *_bound(pg, countries), *_bound(pg, leaves), licensor_id, licensor_id, wanted.hi, wanted.hi, wanted.lo],
    )
    term_languages: dict[int, frozenset] = {}
    if with_languages:
        term_languages, rows = _split_languages(rows)
    wanted_ids = set(work_ids)
    ancestors: dict[int, list[int]] = {}
    descendants: dict[int, list[int]] = defaultdict(list)
    by_cell: dict[tuple, list[rules.Atom]] = defaultdict(list)
    for atom_id, wid, parent, grandparent, kind, country, leaf, start, end, holder, licensee, name, excl, subl, ref in rows:
        if atom_id is None:  # a requested work with its parent and grandparent
            ancestors[wid] = [a for a in (parent, grandparent) if a]
            continue
        for ancestor in (parent, grandparent):  # set only on the works' seasons and episodes
            if ancestor in wanted_ids and wid not in descendants[ancestor]:
                descendants[ancestor].append(wid)
        end = _day(end)
        atom = rules.Atom(
            atom_id,
            kind,
            wid,
            country,
            leaf,
            Period(_day(start), None if end == OPEN_END else end),
            holder,
            licensee,
            name or "",
            bool(excl),
            bool(subl),
            ref,
        )
        by_cell[(wid, country, leaf)].append(atom)
    return rules.Family(ancestors, dict(descendants)), by_cell, term_languages


def _split_languages(rows) -> tuple[dict[int, frozenset], list[tuple]]:
    """The variant's last column (the term's languages, JSON text or decoded) → {atom id: pairs}."""
    parsed: dict = {}
    found: dict[int, frozenset] = {}
    for row in rows:
        if row[0] is None or not row[15]:
            continue
        raw = row[15]
        key = raw if isinstance(raw, str) else json.dumps(raw)
        if key not in parsed:
            value = json.loads(raw) if isinstance(raw, str) else raw
            parsed[key] = frozenset((d["language"], d.get("use") or LanguageUse.ORIGINAL) for d in value or ())
        if parsed[key]:
            found[row[0]] = parsed[key]
    return found, [row[:15] for row in rows]


_TABLES = {
    "atom": RightAtom._meta.db_table,
    "work": catalog.WORK_TABLE,
    "org": Organisation._meta.db_table,
    "contract": Contract._meta.db_table,
    "term": Term._meta.db_table,
}
# `fam`: the works (lvl 0), their children and grandchildren, each with its parent and
# grandparent; the atoms are read on those and on the works' ancestors. Only the works' own
# family rows come back (their ancestors); an atom on a descendant carries its parent and
# grandparent, so descendants without atoms cost nothing in Python. On PostgreSQL the CTE, used
# several times, is planned apart, which keeps the main join small.
_FAMILY_ATOMS_SQL = """
WITH fam (lvl, id, parent_id, grandparent_id) AS (
  SELECT 0, w.id, w.parent_id, p.parent_id FROM {work} w LEFT JOIN {work} p ON p.id = w.parent_id WHERE w.id {ids}
  UNION ALL
  SELECT 1, w.id, w.parent_id, p.parent_id FROM {work} w JOIN {work} p ON p.id = w.parent_id WHERE w.parent_id {ids}
  UNION ALL
  SELECT 2, w.id, w.parent_id, p.parent_id FROM {work} w JOIN {work} p ON p.id = w.parent_id WHERE p.parent_id {ids}
)
SELECT NULL, id, parent_id, grandparent_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL{no_languages} FROM fam WHERE lvl = 0
UNION ALL
SELECT a.id, a.work_id, f.parent_id, f.grandparent_id, a.kind, a.territory, a.media, a.start, a.effective_end,
       a.holder_id, a.licensee_id, o.name, a.exclusive, a.sublicensable, c.reference{languages}
  FROM {atoms} LEFT JOIN {org} o ON o.id = a.licensee_id JOIN {contract} c ON c.id = a.contract_id{term_join}
       LEFT JOIN (SELECT DISTINCT id, parent_id, grandparent_id FROM fam WHERE lvl > 0) f ON f.id = a.work_id
{atoms_where}
"""
_MEMBERS = "SELECT id FROM fam UNION SELECT parent_id FROM fam UNION SELECT grandparent_id FROM fam"
_ATOM_TESTS = """a.territory {countries} AND a.media {leaves}
   AND (a.holder_id = %s{cast} OR (a.kind = 'grant' AND a.licensee_id = %s{cast}))
   AND a.start < %s {start_guard} AND a.effective_end > %s AND a.effective_end > a.start"""
# SQLite: the atoms of the family as a semi-join, which its planner drives from the family.
_ATOMS_SQLITE = ("{atom} a", " WHERE a.work_id IN (" + _MEMBERS + ") AND " + _ATOM_TESTS)
# PostgreSQL: probed member by member (LATERAL, the `rights_atom_cell` index on work, territory,
# media, start). As a semi-join, the one generic plan kept for the prepared statement was chosen
# for the table's size: at 10 % and 50 % of the scale library it scanned every atom of the
# territory and media by date (15,447 rows for one work at 10 %: availability 4.8× and 19× the
# hand SQL, the conflict check 2.9 and 9 ms) where the family has a handful of atoms.
# (`OFFSET 0` keeps the planner from flattening the subquery back into that semi-join.)
_ATOMS_PG = (
    "(" + _MEMBERS + ") m (id) CROSS JOIN LATERAL (SELECT * FROM {atom} a WHERE a.work_id = m.id AND " + _ATOM_TESTS + " OFFSET 0) a",
    "",
)


@lru_cache(maxsize=512)
def _family_atoms_sql(pg: bool, ids: int, countries: int, leaves: int, with_languages: bool = False) -> str:
    """The plain statement, or (`with_languages`) the same with the term's languages as a 16th
    column — holdbacks' terms are not read, their languages never matter."""
    extra = {"no_languages": "", "languages": "", "term_join": ""}
    if with_languages:
        extra = {
            "no_languages": ", NULL",
            "languages": ", t.languages",
            # PostgreSQL: one probe per atom; joined, the generic plan hashed the whole term table
            # (2 of a conflict check's ~4 ms at 50 % of the scale library)
            "term_join": (
                " LEFT JOIN LATERAL (SELECT t0.languages FROM {term} t0 WHERE t0.id = a.term_id AND a.kind <> 'holdback' OFFSET 0) t ON true"
                if pg
                else " LEFT JOIN {term} t ON t.id = a.term_id AND a.kind <> 'holdback'"
            ).format(**_TABLES),
        }
    atoms, atoms_where = _ATOMS_PG if pg else _ATOMS_SQLITE
    sql = (
        _FAMILY_ATOMS_SQL.replace("{atoms}", atoms)
        .replace("{atoms_where}", atoms_where)
        .format(
            ids=_in(pg, ids, "int"),
            countries=_in(pg, countries),
            leaves=_in(pg, leaves),
            cast=_int_cast(pg),
            start_guard=_start_guard(pg),
            **extra,
            **_TABLES,
        )
    )
    return _for(pg, sql)


def _for(pg: bool, sql: str) -> str:
    """SQLite's driver takes `?` placeholders."""
    return sql if pg else sql.replace("%s", "?")


def _int_cast(pg: bool) -> str:
    return "::int" if pg else ""


def _start_guard(pg: bool) -> str:
    """`AND start < %s` once more, which the index cannot use. SQLite 3.40 returns rows that
    break `media IN (...) AND start < ?` when it seeks an index on (..., media, start) for all
    but the first value of the list; the repeated test, evaluated row by row, drops them."""
    return "AND a.start < %s" if pg else "AND +a.start < %s"


def _in(pg: bool, count: int, sql_type: str = "text") -> str:
    """`IN (...)` on SQLite; `= ANY(array)` on PostgreSQL, so that the statement's text does not
    depend on how many values there are and the server can keep it prepared."""
    if pg:
        return f"= ANY(%s::{sql_type}[])"
    return "IN (" + ", ".join(["%s"] * count) + ")"


def _bound(pg: bool, values) -> list:
    """The parameters for an `_in` fragment."""
    return [list(values)] if pg else list(values)


def _fetch(db, sql: str, params: list) -> list[tuple]:
    """Run a selector statement straight on the driver: at one work, Django's cursor wrapper
    (its placeholder rewriting, its logging) costs as much as the query. SQLite: `?`
    placeholders, dates as ISO text, the driver's statement cache. PostgreSQL: a server-side
    prepared statement (psycopg prepares it on this connection), because planning these joins
    costs more than running them; ids carry explicit casts since psycopg would send small ints
    as int2."""
    db.ensure_connection()
    with db.wrap_database_errors:
        if db.vendor != "postgresql":
            cursor = db.connection.cursor()
            try:
                cursor.execute(sql, [p.isoformat() if isinstance(p, date) else p for p in params])
                return cursor.fetchall()
            finally:
                cursor.close()
        return _fetch_prepared(db.connection, sql, params)


def _fetch_prepared(conn, sql: str, params: list) -> list[tuple]:
    """Django turns psycopg's statement preparation off for the whole connection
    (`prepare_threshold = None`, for the sake of transaction-pooling proxies), and then psycopg
    ignores `prepare=True` too: every call was planned afresh, and planning these joins costs
    the server several times what running them does (~1.2 ms against ~0.2 ms at one work).
    Preparation is switched on for this statement only, and the session is told to keep one
    generic plan: left to itself the server re-plans `= ANY(array)` statements on every call."""
    import psycopg

    _use_generic_plans(conn)
    saved = conn.prepare_threshold
    conn.prepare_threshold = _PREPARE_THRESHOLD
    try:
        with psycopg.Cursor(conn) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()
    finally:
        conn.prepare_threshold = saved


# Anything but None: `prepare=True` then prepares at once, whatever the number.
_PREPARE_THRESHOLD = 5

# psycopg connections whose session already plans prepared statements generically.
_GENERIC_PLANS: "weakref.WeakSet" = weakref.WeakSet()


def _use_generic_plans(conn) -> None:
    """`plan_cache_mode` touches only statements bound on the server: on Django's connections
    (client-side binding, nothing prepared) those are the selectors' own. Set outside a
    transaction it stays for the session; inside one it would go with a rollback, so it is
    set again on the next call (one round trip, ~0.1 ms)."""
    from psycopg.pq import TransactionStatus

    if conn in _GENERIC_PLANS:
        return
    conn.execute("SET plan_cache_mode = force_generic_plan")
    if conn.info.transaction_status == TransactionStatus.IDLE:
        _GENERIC_PLANS.add(conn)


def _day(value) -> date:
    """SQLite hands raw dates back as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def find_available(
    licensor, territory: str, media: str, window, exclusive: bool, kinds: Iterable[str] | None = None, languages: Iterable | None = None
) -> list[int]:
    """Ids of works free for the whole request ("features free for exclusive SVOD in CN 2027–29").

    For films and series only (`kinds` all top-level), one statement over the
    (territory, media, start, effective_end) index answers it: the works with usable holdings of
    the cell, and those whose family has a conflicting grant or holdback. Otherwise one indexed
    query finds the works (or their series/seasons) the licensor holds anything on for that cell,
    their episodes join them, and `availability` decides. Same rules either way. With
    `languages` (see `availability`) the second way always, since it alone reads languages.
    """
    wanted = to_period(window)
    lid = org_id(licensor)
    country = territories.normalise_country(territory)
    leaf = media_taxonomy.expand([media])
    if kinds and set(kinds) <= set(TOP_LEVEL_KINDS) and languages is None:
        return _find_top_level(lid, country, leaf, wanted, exclusive, list(kinds))
    held = set(
        RightAtom.objects.filter(
            Q(kind=AtomKind.HOLDING, holder_id=lid) | Q(kind=AtomKind.GRANT, licensee_id=lid),
            territory=country,
            media__in=leaf,
            start__lt=wanted.hi if wanted.end else OPEN_END,
            effective_end__gt=wanted.lo,
            sublicensable=True,
        ).values_list("work_id", flat=True)
    )
    family = held | set(catalog.descendants(held))
    ids = list(catalog.of_kinds(family, kinds)) if kinds else sorted(family)
    found = availability(lid, ids, [country], leaf, wanted, exclusive, languages)
    return sorted(wid for wid, result in found.items() if result.available)


def _find_top_level(licensor_id: int, country: str, leaves: list[str], wanted: Period, exclusive: bool, kinds: list[str]) -> list[int]:
    """Works that stand alone have no ancestors to inherit from: a work is free when its own
    usable holdings cover the window in every leaf and nothing in its family blocks it."""
    db = connections[DEFAULT_DB_ALIAS]
    pg = db.vendor == "postgresql"
    cast = _int_cast(pg)
    usable = "AND a.exclusive" if exclusive else ""
    blocking = "x.kind IN ('holdback', 'grant')" if exclusive else "(x.kind = 'holdback' OR (x.kind = 'grant' AND x.exclusive))"
    sql = _FIND_TOP_LEVEL_SQL.format(
        leaves=_in(pg, len(leaves)),
        kinds=_in(pg, len(kinds)),
        cast=cast,
        usable=usable,
        blocking=blocking,
        start_guard=_start_guard(pg),
        start_guard_x=_start_guard(pg).replace("a.", "x."),
        **_TABLES,
    )
    sql = _for(pg, sql)
    rows = _fetch(
        db,
        sql,
        [
            wanted.lo,
            wanted.hi,
            wanted.lo,
            wanted.hi,
            country,
            *_bound(pg, leaves),
            wanted.hi,
            wanted.hi,
            wanted.lo,
            licensor_id,
            licensor_id,
            *_bound(pg, kinds),
            country,
            *_bound(pg, leaves),
            wanted.hi,
            wanted.hi,
            wanted.lo,
            licensor_id,
        ],
    )
    covered: dict[int, set[str]] = defaultdict(set)
    partial: dict[tuple[int, str], list[Period]] = defaultdict(list)
    for wid, leaf, start, end in rows:  # dates only where one holding does not cover the window
        if start is None:
            covered[wid].add(leaf)
        else:
            end = _day(end)
            partial[(wid, leaf)].append(Period(_day(start), None if end == OPEN_END else end))
    for (wid, leaf), held in partial.items():
        if leaf not in covered.get(wid, ()) and not periods.gaps(held, wanted):
            covered[wid].add(leaf)  # several holdings that together cover the window
    return sorted(wid for wid, got in covered.items() if len(got) == len(leaves))


_FIND_TOP_LEVEL_SQL = """
SELECT a.work_id, a.media,
       CASE WHEN a.start <= %s AND a.effective_end >= %s THEN NULL ELSE a.start END,
       CASE WHEN a.start <= %s AND a.effective_end >= %s THEN NULL ELSE a.effective_end END
  FROM {atom} a JOIN {work} w ON w.id = a.work_id
 WHERE a.territory = %s AND a.media {leaves} AND a.start < %s {start_guard} AND a.effective_end > %s AND a.effective_end > a.start
   AND ((a.kind = 'holding' AND a.holder_id = %s{cast}) OR (a.kind = 'grant' AND a.licensee_id = %s{cast}))
   AND a.sublicensable {usable} AND w.kind {kinds}
   AND a.work_id NOT IN (
       SELECT COALESCE(p.parent_id, b.parent_id, b.id)
         FROM {atom} x JOIN {work} b ON b.id = x.work_id LEFT JOIN {work} p ON p.id = b.parent_id
        WHERE x.territory = %s AND x.media {leaves} AND x.start < %s {start_guard_x} AND x.effective_end > %s AND x.effective_end > x.start
          AND x.holder_id = %s{cast} AND {blocking})
"""


def holdings_of(actor) -> QuerySet[RightAtom]:
    """Rights the organisation holds: its acquisitions and the grants made to it."""
    lid = org_id(actor)
    return RightAtom.objects.filter(Q(kind=AtomKind.HOLDING, holder_id=lid) | Q(kind=AtomKind.GRANT, licensee_id=lid))


def grants_by(actor) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(kind=AtomKind.GRANT, holder_id=org_id(actor))


def grants_to(actor) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(kind=AtomKind.GRANT, licensee_id=org_id(actor))


def holdbacks_of(actor) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(kind=AtomKind.HOLDBACK, holder_id=org_id(actor))
