"""Search benchmark at the `kinomost demo --scale` size, beside the raw engine, on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py --db both                 # 5,000 films + 100,000 series
    .venv/bin/python bench/search.py --db sqlite --films 500 --series 5000 --queries 50   # quick

For each query class it times Kinomost's `search_works` (normalise, gather candidates, rank) and,
in the same run, the nearest plain query of the engine itself: an FTS5 trigram MATCH on SQLite
(a LIKE scan where FTS5 cannot answer: Chinese under three characters), `LIKE '%q%'` over the
pg_trgm GIN index on PostgreSQL. Correct = the work the query was made from is among the first 20
(for one- and two-character Chinese queries: every result contains the characters).
The scale library is bench/scale_library.py's: var/bench/ (SQLite) or the database kinomost_bench
(PostgreSQL), other sizes beside them, reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

import scale_library
from scale_library import ROOT

CLASSES = ["cyrillic", "latin translit", "english", "pinyin", "chinese 1 char", "chinese 2 chars", "chinese 3+ chars", "latin typo"]
# An independent transliteration (BGN/PCGN-like), so the benchmark does not reuse the code it measures.
TRANSLIT = dict(
    zip(
        "абвгдезийклмнопрстуфхцчшщыэюяё",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "ye",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "y",
            "e",
            "yu",
            "ya",
            "yo",
        ],
    )
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--films", type=int, default=5000)
    parser.add_argument("--series", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=200, help="queries per class")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    for db in scale_library.databases(args.db):
        scale_library.run_worker(__file__, db, args.films, args.series, "--queries", str(args.queries))


def worker(args) -> None:
    total, ready_s = scale_library.open_library(args.films, args.series)
    from django.db import connection

    print(f"\n## {connection.vendor}: {total} works in the scale library (ready in {ready_s:.0f} s)")
    queries = build_queries(args.queries)
    rows = []
    for cls in CLASSES:
        rows.append(measure(cls, queries[cls]))
    print(f"{'query class':<18} {'n':>4} {'kinomost p50':>13} {'p95':>8} {'engine p50':>11} {'p95':>8} {'ratio p95':>9} {'correct':>8}")
    for r in rows:
        print(
            f"{r['class']:<18} {r['n']:>4} {r['p50']:>11.2f}ms {r['p95']:>6.2f}ms {r['e50']:>9.2f}ms {r['e95']:>6.2f}ms {r['ratio']:>8.2f}x {r['correct']:>7.0%}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"search-{connection.vendor}.json").write_text(json.dumps(rows, indent=2))


def build_queries(per_class: int) -> dict[str, list[tuple[str, int | None]]]:
    from pypinyin import Style, lazy_pinyin

    from kinomost.catalog.models import WorkLocalization

    rng = random.Random(7)
    locs = list(
        WorkLocalization.objects.filter(work__owner__slug="scale-cinema", work__kind__in=["feature", "series"]).values_list(
            "work_id", "language", "title"
        )[:300000]
    )
    by_lang: dict[str, list[tuple[int, str]]] = {}
    for wid, lang, title in locs:
        by_lang.setdefault(lang, []).append((wid, title))
    pick = lambda lang: rng.sample(by_lang[lang], per_class)  # noqa: E731
    q: dict[str, list] = {}
    q["cyrillic"] = [(t, w) for w, t in pick("ru")]
    q["latin translit"] = [("".join(TRANSLIT.get(ch, ch) for ch in t.lower()), w) for w, t in pick("ru")]
    q["english"] = [(t, w) for w, t in pick("en")]
    q["pinyin"] = [(" ".join(lazy_pinyin(t, style=Style.TONE if i % 2 else Style.NORMAL)), w) for i, (w, t) in enumerate(pick("zh-Hans"))]
    q["chinese 1 char"] = [(t[0], None) for w, t in pick("zh-Hans")]
    q["chinese 2 chars"] = [(t[:2], None) for w, t in pick("zh-Hans")]
    q["chinese 3+ chars"] = [(t, w) for w, t in pick("zh-Hans")]
    q["latin typo"] = [(_typo(t, rng), w) for w, t in pick("en")]
    return q


def _typo(title: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(title) - 2)
    return title[:i] + title[i + 1] + title[i] + title[i + 2 :]  # two neighbours swapped


def measure(cls: str, queries) -> dict:
    from kinomost.catalog.search import search_works

    ours, engine, correct = [], [], 0
    for text, expected in queries:
        t0 = time.perf_counter()
        hits = search_works(text, limit=20)
        ours.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        engine_query(text)
        engine.append((time.perf_counter() - t0) * 1000)
        correct += is_correct(text, expected, hits)
    p = lambda xs, q: statistics.quantiles(xs, n=100)[q - 1]  # noqa: E731
    r = {
        "class": cls,
        "n": len(queries),
        "p50": statistics.median(ours),
        "p95": p(ours, 95),
        "e50": statistics.median(engine),
        "e95": p(engine, 95),
    }
    r["ratio"] = r["p95"] / r["e95"] if r["e95"] else float("nan")
    r["correct"] = correct / len(queries)
    return r


def is_correct(text: str, expected: int | None, hits) -> bool:
    ids = [h.work_id for h in hits]
    if expected is not None:
        return expected in ids
    from kinomost.catalog.models import SearchKey

    keys = SearchKey.objects.filter(work_id__in=ids, kind="han").values_list("work_id", "key")
    matching = {w for w, k in keys if text in k}
    return bool(ids) and set(ids) <= matching


def engine_query(text: str) -> list:
    from django.db import connection

    from kinomost.catalog.search.normalise import query_forms

    han, latin = query_forms(text)
    key = han or latin
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and len(key) >= 3:
            cursor.execute("SELECT rowid FROM catalog_searchkey_fts WHERE catalog_searchkey_fts MATCH %s LIMIT 20", ['"' + key + '"'])
        else:
            cursor.execute("SELECT work_id FROM catalog_searchkey WHERE key LIKE %s LIMIT 20", ["%" + key + "%"])
        return cursor.fetchall()


if __name__ == "__main__":
    main()
