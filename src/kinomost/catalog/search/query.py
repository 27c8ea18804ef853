"""Answering a query: normalise it, gather candidates from the indexes, rank them.

Rank classes: exact title 3 > prefix 2 > substring 1 > fuzzy (0–1, by similarity); ties by
popularity, then year. Latin-script queries (Cyrillic, Latin, pinyin) use the key indexes,
Chinese queries the bigram index. Typos are looked for only when the exact stages find too little.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from kinomost.catalog.search import engines
from kinomost.catalog.search.normalise import TYPO_MIN, query_forms, typo_variants

EXACT, PREFIX, SUBSTRING = 3.0, 2.0, 1.0
FUZZY_MIN = 80  # rapidfuzz ratio (0–100) below which a candidate is not a typo of the query


@dataclass(frozen=True)
class SearchHit:
    work_id: int
    score: float
    popularity: float = 0.0
    year: int | None = None


def _classify(query: str, key: str) -> float | None:
    if key == query:
        return EXACT
    if key.startswith(query):
        return PREFIX
    if query in key:
        return SUBSTRING
    return None


def _collect(best: dict[int, SearchHit], rows, score_of) -> None:
    for work_id, key, popularity, year in rows:
        score = score_of(key)
        if score is None:
            continue
        if work_id not in best or best[work_id].score < score:
            best[work_id] = SearchHit(work_id, score, popularity or 0.0, year)


def _latin(query: str, owner_id: int | None, limit: int, scope=None) -> dict[int, SearchHit]:
    best: dict[int, SearchHit] = {}
    _collect(best, engines.prefix_rows(query, owner_id, scope), lambda key: _classify(query, key))
    if len(query) >= 3 and len(best) < limit:
        _collect(best, engines.substring_rows(query, owner_id, scope), lambda key: _classify(query, key))
    if len(query) >= TYPO_MIN and not best:  # a typo finds nothing exactly
        _typos(best, query, owner_id, scope)
    return best


def _typos(best: dict[int, SearchHit], query: str, owner_id: int | None, scope) -> None:
    """One typo in a title's first characters (or anywhere in a shorter title) is found through
    the typo index by equality lookups; only when that finds nothing one typo away does the
    trigram similarity scan run (several typos, or a mistyped word inside a longer title)."""

    def fuzzy(key: str) -> float | None:
        # The whole title mistyped, or (for longer queries) a mistyped part of a longer title.
        ratio = fuzz.ratio(query, key)
        if len(query) >= 6 and len(key) > len(query):
            ratio = max(ratio, fuzz.partial_ratio(query, key) - 5)
        return ratio / 100 if ratio >= FUZZY_MIN else None

    rows = engines.typo_rows(typo_variants(query), owner_id, scope)
    _collect(best, rows, fuzzy)
    if not any(_one_edit_away(query, key) for _work, key, _popularity, _year in rows):
        # What the index offers is not one typo away (the folding of transliterations can turn
        # one typo into two, `steppe` → `tseppe` → `cepe`): look wider as well.
        _collect(best, engines.similar_rows(query, owner_id, scope), fuzzy)


def _one_edit_away(query: str, key: str) -> bool:
    """The key, or its beginning, is one typo (optimal string alignment) from the query."""
    return any(OSA.distance(query, key[:length]) <= 1 for length in {len(key), len(query) - 1, len(query), len(query) + 1} if length > 0)


def _han(query: str, owner_id: int | None, limit: int, scope=None) -> dict[int, SearchHit]:
    """One or two characters: the bigram index lists works in rank order (neither engine's
    trigram index can answer them). Three or more: the trigram index over the Han keys can."""
    best: dict[int, SearchHit] = {}
    if len(query) >= 3:
        _collect(best, engines.substring_rows(query, owner_id, scope), lambda key: _classify(query, key))
        return best
    per_list = max(3 * limit, 60)  # enough to rank the starts-with and the popular ones first
    ids = engines.han_candidate_ids(ord(query[0]), ord(query[1]) if len(query) == 2 else None, owner_id, per_list, scope)
    _collect(best, engines.han_rows(list(dict.fromkeys(ids))), lambda key: _classify(query, key))
    return best


def search_works(query: str, *, actor=None, scope=None, limit: int = 20, language: str | None = None) -> list[SearchHit]:
    """Works matching `query` in any script, best first.

    `actor` restricts to what that organisation may see (its own works and listed ones); None
    searches everything (operators' CLI, benchmarks). `scope` restricts further, inside the
    index's own SQL (never a filter of the results afterwards): a queryset of works, or — for a
    set kept in another table, e.g. a storefront's visible titles — a function of the SQL column
    naming a candidate's work that returns a queryset which has rows exactly when the work is in
    scope (a correlated EXISTS the index lookups can probe row by row). `language` is accepted
    for callers that display titles; matching does not depend on it.
    """
    han, latin = query_forms(query or "")
    owner_id = actor.organisation_id if actor is not None else None
    condition = _exists(scope) if scope is not None else None
    if han:
        best = _han(han, owner_id, limit, condition)
    elif latin:
        best = _latin(latin, owner_id, limit, condition)
    else:
        return []
    hits = sorted(best.values(), key=lambda h: (-h.score, -h.popularity, -(h.year or 0), h.work_id))
    return hits[:limit]


def _exists(scope):
    """`scope` as the SQL condition the engines add: EXISTS (rows of the scope for this work)."""
    if isinstance(scope, QuerySet):
        works = scope

        def scope(column: str):
            return works.filter(pk=RawSQL(column, ()))

    def condition(column: str) -> tuple[str, list]:
        sql, params = scope(column).values("pk").query.sql_with_params()
        return f"EXISTS ({sql})", list(params)

    return condition
