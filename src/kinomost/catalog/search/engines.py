"""The SQL that differs between databases, behind one small interface.

Each engine answers candidate lookups with rows `(work_id, key, popularity, year)`; ranking is
done once, in query.py. `owner_id` restricts to an organisation's tenancy, `scope` (query.Scope)
to a set the caller defines (a storefront's visible titles) — both inside the SQL, so the
candidate limit counts only works the caller may show.
"""

from __future__ import annotations

from django.db import connection

CANDIDATES = 400


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tenancy(alias: str, owner_id: int | None, scope=None) -> tuple[str, list]:
    sql, params = "", []
    if owner_id is not None:
        sql, params = f" AND ({alias}.owner_id = %s OR {alias}.is_listed)", [owner_id]
    if scope is not None:
        cond, more = scope(f"{alias}.work_id")
        sql, params = f"{sql} AND {cond}", [*params, *more]
    return sql, params


def prefix_rows(key: str, owner_id: int | None, scope=None) -> list[tuple]:
    """Keys equal to or starting with `key` (btree range scan on both databases)."""
    cond, params = _tenancy("k", owner_id, scope)
    return _fetch(
        "SELECT k.work_id, k.key, k.popularity, k.year FROM catalog_searchkey k "
        f"WHERE k.key >= %s AND k.key < %s AND k.kind <> 'han'{cond} LIMIT {CANDIDATES}",
        [key, key + "\uffff", *params],
    )


def substring_rows(key: str, owner_id: int | None, scope=None) -> list[tuple]:
    """Keys containing `key` (3 characters or more): FTS5 trigram / pg_trgm GIN."""
    cond, params = _tenancy("k", owner_id, scope)
    if connection.vendor == "sqlite":
        sql = (
            "SELECT k.work_id, k.key, k.popularity, k.year FROM catalog_searchkey_fts f "
            "JOIN catalog_searchkey k ON k.id = f.rowid "
            f"WHERE catalog_searchkey_fts MATCH %s{cond} LIMIT {CANDIDATES}"
        )
        return _fetch(sql, ['"' + key.replace('"', "") + '"', *params])
    sql = f"SELECT k.work_id, k.key, k.popularity, k.year FROM catalog_searchkey k WHERE k.key LIKE %s{cond} LIMIT {CANDIDATES}"
    return _fetch(sql, ["%" + key.replace("%", "").replace("_", "") + "%", *params])


def similar_rows(key: str, owner_id: int | None, scope=None) -> list[tuple]:
    """Keys sharing trigrams with `key`, best first — candidates for typo tolerance."""
    cond, params = _tenancy("k", owner_id, scope)
    if connection.vendor == "sqlite":
        grams = sorted({key[i : i + 3] for i in range(len(key) - 2)})
        match = " OR ".join('"' + g.replace('"', "") + '"' for g in grams)
        sql = (
            "SELECT k.work_id, k.key, k.popularity, k.year FROM "
            f"(SELECT rowid, rank FROM catalog_searchkey_fts WHERE catalog_searchkey_fts MATCH %s ORDER BY rank LIMIT {CANDIDATES}) f "
            f"JOIN catalog_searchkey k ON k.id = f.rowid WHERE 1=1{cond}"
        )
        return _fetch(sql, [match, *params])
    sql = (
        "SELECT k.work_id, k.key, k.popularity, k.year FROM catalog_searchkey k "
        f"WHERE k.key %% %s{cond} ORDER BY similarity(k.key, %s) DESC LIMIT {CANDIDATES}"
    )
    return _fetch(sql, [key, *params, key])


TYPO_CANDIDATES = 5000


def typo_rows(variants: set[int], owner_id: int | None, scope=None) -> list[tuple]:
    """Keys sharing an entry of the typo index with the query (an equality lookup per entry,
    the same SQL on both databases) — candidates for typo tolerance, checked by ranking."""
    if not variants:
        return []
    cond, params = _tenancy("k", owner_id, scope)
    marks = ",".join(["%s"] * len(variants))
    return _fetch(
        "SELECT DISTINCT k.work_id, k.key, k.popularity, k.year FROM catalog_searchtypovariant v "
        f"JOIN catalog_searchkey k ON k.id = v.key_id WHERE v.variant IN ({marks}){cond} LIMIT {TYPO_CANDIDATES}",  # noqa: S608
        [*sorted(variants), *params],
    )


def han_candidate_ids(a: int, b: int | None, owner_id: int | None, per_list: int = CANDIDATES, scope=None) -> list[int]:
    """Works with the character `a` (b=None) or the bigram (a, b): those where it starts the
    title first, then the most popular others; each list walks an index in popularity order.

    Code points are cast to integer in the SQL: psycopg 3 sends Python ints below 32768 as
    int2, and PostgreSQL then cannot use the integer index (many CJK characters are below it).
    """
    cond, params = _tenancy("g", owner_id, scope)
    match = "g.a = CAST(%s AS INTEGER)" + ("" if b is None else " AND g.b = CAST(%s AS INTEGER)")
    args = [a] if b is None else [a, b]
    first = _fetch(
        f"SELECT g.work_id FROM catalog_hangram g WHERE {match} AND g.position = 0{cond} ORDER BY g.popularity DESC LIMIT {int(per_list)}",
        [*args, *params],
    )
    rest = _fetch(
        f"SELECT g.work_id FROM catalog_hangram g WHERE {match}{cond} ORDER BY g.popularity DESC LIMIT {int(per_list)}", [*args, *params]
    )
    return [r[0] for r in first + rest]


def han_rows(work_ids: list[int]) -> list[tuple]:
    if not work_ids:
        return []
    marks = ",".join(["%s"] * len(work_ids))
    return _fetch(
        f"SELECT work_id, key, popularity, year FROM catalog_searchkey WHERE kind = 'han' AND work_id IN ({marks})",  # noqa: S608
        list(work_ids),
    )
