"""Rights ledger benchmark at the `kinomost demo --scale` size (105,000 works, ~2,000,000 atoms),
Kinomost's selectors beside hand-written indexed SQL for the same question, on SQLite and PostgreSQL.

    .venv/bin/python bench/rights.py --db both                  # 5,000 films + 100,000 series
    .venv/bin/python bench/rights.py --db sqlite --films 500 --series 5000 --samples 50   # quick

Questions, each on N random samples, timed in the same run as its anchor, answers compared:
  availability   one work, a set of countries, media, a window: per cell the free sub-windows
                 and the blocking rows (`availability.availability`) vs one SQL statement (usable
                 holdings, conflicting grants and holdbacks on the work and its descendants) and
                 `core.periods` for held − blocked
  find available one country, media leaf and date: the ids of the films and series free for
                 the request (`availability.find_available(kinds=[feature, series])`) vs one SQL
                 statement (covering holding EXCEPT blocked families)
  conflict check one new grant (`ledger._refuse_conflicts`, the check `grant()` runs under its
                 lock) vs the availability statement for the same cells; target p50 <= 1 ms
  package        300 works × one country × one media leaf (`availability.availability`) vs SQL
The find anchor relies on the generated ledger having at most one holding per (work, cell), so a
window is held when one holding covers it; Kinomost's selectors take the union of holdings.
On PostgreSQL both sides run prepared on the server: the selectors with a generic plan
(`availability._fetch_prepared`), the anchor on its own connection with the default plan choice.
Libraries live in var/bench/ (SQLite) or the database kinomost_bench (PostgreSQL), shared with
bench/search.py and reused by later runs (other sizes get their own).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta

import scale_library
from scale_library import DEFAULT_SIZE, ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default=None, help="default: both if PostgreSQL answers")
    parser.add_argument("--films", type=int, default=DEFAULT_SIZE[0])
    parser.add_argument("--series", type=int, default=DEFAULT_SIZE[1])
    parser.add_argument("--samples", type=int, default=300, help="samples per question")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    for db in scale_library.databases(args.db):
        scale_library.run_worker(__file__, db, args.films, args.series, "--samples", str(args.samples))


# ---------------------------------------------------------------- worker (inside Django)


def worker(args) -> None:
    total, ready_s = scale_library.open_library(args.films, args.series)
    from django.db import connection

    from kinomost.demo.scale import OWNER
    from kinomost.parties.models import Organisation
    from kinomost.rights.models import RightAtom

    owner = Organisation.objects.get(slug=OWNER)
    atoms = RightAtom.objects.count()
    print(f"\n## {connection.vendor}: {total} works, {atoms} atoms in the scale ledger (ready in {ready_s:.0f} s)")
    rng = random.Random(3)
    holdings = _holding_terms(owner)
    session = _session_id()
    rows = [
        measure(
            "availability (1 work)",
            [_availability_sample(rng, holdings) for _ in range(args.samples)],
            owner,
            _kinomost_availability,
            _sql_availability,
            best_of=5,
        ),
        measure("find available", [_find_sample(rng, holdings) for _ in range(args.samples)], owner, _kinomost_find, _sql_find),
        measure(
            "conflict check",
            [_grant_sample(rng, holdings) for _ in range(args.samples)],
            owner,
            _kinomost_conflicts,
            _sql_conflicts,
            best_of=5,
        ),
        measure(
            "package (300 works)",
            [_package_sample(rng, holdings) for _ in range(max(10, args.samples // 10))],
            owner,
            _kinomost_availability,
            _sql_availability,
        ),
    ]
    print(
        f"{'question':<22} {'n':>4} {'kinomost p50':>13} {'p95':>9} {'SQL p50':>9} {'p95':>9} {'ratio p50':>9} {'p95':>6} {'agree':>6}  answer size"
    )
    for r in rows:
        print(
            f"{r['question']:<22} {r['n']:>4} {r['p50']:>11.2f}ms {r['p95']:>7.2f}ms {r['s50']:>7.2f}ms {r['s95']:>7.2f}ms"
            f" {r['ratio50']:>8.2f}x {r['ratio95']:>5.2f}x {r['agree']:>6.0%}  {r['size']:.0f}"
        )
    print(
        f"floor: one round trip (SELECT 1) p50 {_round_trip_ms():.3f} ms;"
        f" one database session for the whole run: {'yes' if _session_id() == session else 'NO'}"
    )
    print("best of 5 per sample (what each costs when the machine is not busy with others), p50:")
    for r in rows:
        if "b50" in r:
            print(f"  {r['question']:<22} kinomost {r['b50']:.3f} ms, SQL {r['bs50']:.3f} ms, ratio {r['b50'] / r['bs50']:.2f}x")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"rights-{connection.vendor}.json").write_text(json.dumps(rows, indent=2))


def measure(question: str, samples: list[dict], owner, ours, theirs, best_of: int = 0) -> dict:
    ours_ms, sql_ms, agree, sizes, best, best_sql = [], [], 0, [], [], []
    for sample in samples:
        ours(owner, sample)  # warm both once: the first call pays for parsing, not for the question
        theirs(owner, sample)
        t0 = time.perf_counter()
        mine = ours(owner, sample)
        ours_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        anchor = theirs(owner, sample)
        sql_ms.append((time.perf_counter() - t0) * 1000)
        agree += mine == anchor
        sizes.append(len(anchor) if not isinstance(anchor, bool) else 1)
        if best_of:
            best.append(min(_timed(ours, owner, sample) for _ in range(best_of)))
            best_sql.append(min(_timed(theirs, owner, sample) for _ in range(best_of)))
    p95 = lambda xs: statistics.quantiles(xs, n=20)[18]  # noqa: E731
    r = {
        "question": question,
        "n": len(samples),
        "p50": statistics.median(ours_ms),
        "p95": p95(ours_ms),
        "s50": statistics.median(sql_ms),
        "s95": p95(sql_ms),
        "agree": agree / len(samples),
        "size": statistics.mean(sizes),
    }
    r["ratio50"], r["ratio95"] = r["p50"] / r["s50"], r["p95"] / r["s95"]
    if best_of:
        r["b50"], r["bs50"] = statistics.median(best), statistics.median(best_sql)
    return r


def _round_trip_ms() -> float:
    """The smallest query there is, through the same driver path: the floor under every figure."""
    return statistics.median(_timed(lambda *_: _run("SELECT 1", []), None, None) for _ in range(300))


def _session_id():
    """The server process (PostgreSQL) or connection object (SQLite) behind Django's connection:
    unchanged from first to last sample means no sample paid for connecting."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    return raw.info.backend_pid if connection.vendor == "postgresql" else id(raw)


def _timed(fn, owner, sample) -> float:
    t0 = time.perf_counter()
    fn(owner, sample)
    return (time.perf_counter() - t0) * 1000


# ---------------------------------------------------------------- samples


def _holding_terms(owner) -> list[dict]:
    from kinomost.core import media, territories
    from kinomost.rights.models import Term

    terms = []
    for t in Term.objects.filter(kind="holding", contract__licensee=owner).prefetch_related("works").order_by("id"):
        terms.append(
            {
                "works": sorted(w.pk for w in t.works.all()),
                "territories": t.territories,
                "excluded": t.territories_excluded,
                "countries": territories.expand(t.territories, t.territories_excluded),
                "media": t.media,
                "leaves": media.expand(t.media),
                "start": t.start,
                "end": t.end,
                "exclusive": t.exclusive,
            }
        )
    return terms


def _window(rng: random.Random, term: dict) -> tuple[date, date | None]:
    """Mostly inside the holding, sometimes running past it (then not free)."""
    start = term["start"] + timedelta(days=rng.randint(-90, 900))
    if rng.random() < 0.1:
        return start, None
    return start, start + timedelta(days=rng.randint(180, 1500))


def _availability_sample(rng: random.Random, terms: list[dict]) -> dict:
    term = rng.choice(terms)
    countries = (
        term["countries"]
        if len(term["countries"]) <= 12 and rng.random() < 0.5
        else rng.sample(term["countries"], min(3, len(term["countries"])))
    )
    leaves = term["leaves"] if rng.random() < 0.5 else [rng.choice(term["leaves"])]
    return {
        "works": [rng.choice(term["works"])],
        "countries": countries,
        "leaves": leaves,
        "window": _window(rng, term),
        "exclusive": rng.random() < 0.5,
    }


def _find_sample(rng: random.Random, terms: list[dict]) -> dict:
    term = rng.choice(terms)
    day = term["start"] + timedelta(days=rng.randint(0, 1500))
    return {
        "country": rng.choice(term["countries"]),
        "leaf": rng.choice(term["leaves"]),
        "window": (day, day + timedelta(days=1)),
        "exclusive": rng.random() < 0.5,
    }


def _grant_sample(rng: random.Random, terms: list[dict]) -> dict:
    term = rng.choice(terms)
    leaves = term["leaves"] if len(term["leaves"]) <= 7 and rng.random() < 0.3 else [rng.choice(term["leaves"])]
    return {
        "works": [rng.choice(term["works"])],
        "countries": [rng.choice(term["countries"])],
        "leaves": leaves,
        "window": _window(rng, term),
        "exclusive": rng.random() < 0.5,
    }


def _package_sample(rng: random.Random, terms: list[dict]) -> dict:
    pool = [t for t in terms if "RU" in t["countries"] and "svod" in t["leaves"]]
    works = sorted({w for t in rng.sample(pool, min(len(pool), 40)) for w in t["works"]})
    start = date(rng.randint(2024, 2028), rng.randint(1, 12), 1)
    return {
        "works": rng.sample(works, min(300, len(works))),
        "countries": ["RU"],
        "leaves": ["svod"],
        "window": (start, start + timedelta(days=730)),
        "exclusive": rng.random() < 0.5,
    }


# ---------------------------------------------------------------- Kinomost


def _kinomost_availability(owner, s: dict) -> dict:
    """Per cell: the free sub-windows and the ids of the rows that block it."""
    from kinomost.rights.availability import availability

    result = availability(owner, s["works"], s["countries"], s["leaves"], s["window"], s["exclusive"])
    return {
        (wid, c.territory, c.media): (tuple(c.free), frozenset(g.atom_id for g in c.gaps if g.atom_id))
        for wid, w in result.items()
        for c in w.cells
    }


def _kinomost_find(owner, s: dict) -> set:
    from kinomost.rights.availability import find_available

    return set(find_available(owner, s["country"], s["leaf"], s["window"], s["exclusive"], kinds=["feature", "series"]))


def _kinomost_conflicts(owner, s: dict) -> bool:
    """True when the grant would be accepted."""
    from kinomost.core.errors import Conflict
    from kinomost.rights import ledger

    prepared = s.get("prepared")
    if prepared is None:
        term = ledger.TermInput(
            works=s["works"],
            territories=s["countries"],
            media=s["leaves"],
            start=s["window"][0],
            end=s["window"][1],
            exclusive=s["exclusive"],
        )
        prepared = s["prepared"] = ledger._prepare(term)  # validation is not the check: prepared once, outside the timing
    try:
        ledger._refuse_conflicts(owner, prepared)
    except Conflict:
        return False
    return True


# ---------------------------------------------------------------- hand-written SQL


def _sql_conflicts(owner, s: dict) -> bool:
    """Accepted when every cell is free for the whole window (the ledger also names each gap)."""
    from kinomost.core import periods

    whole = (periods.Period(s["window"][0], s["window"][1]),)
    return all(free == whole and not blockers for free, blockers in _sql_availability(owner, s).values())


def _in(values, cast: str = "") -> str:
    return "(" + ", ".join([f"%s{cast}"] * len(values)) + ")"


def _guards() -> tuple[str, str]:
    """SQLite 3.40 breaks `media IN (...) AND start < ?` on an index (..., media, start) for all
    but the first value of the list; the same test again, unindexable (`+start`), drops the
    wrong rows. PostgreSQL needs nothing (a repeated test costs it nothing either)."""
    if connection_vendor() == "sqlite":
        return "AND +start", "AND +a.start"
    return "AND start", "AND a.start"


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def _sql_availability(owner, s: dict) -> dict:
    """Per cell of top-level works: the free sub-windows and the rows that block it — what the
    selector answers. One statement lists the usable holdings of the works' cells and the
    conflicting grants and holdbacks on the works, their seasons and episodes; `core.periods`
    (the project's one place for interval arithmetic) takes held − blocked per cell."""
    from django.db import connection

    from kinomost.core import periods
    from kinomost.rights.models import OPEN_END

    cast = "::int" if connection.vendor == "postgresql" else ""
    guard, guard_a = _guards()
    ids, countries, leaves = s["works"], s["countries"], s["leaves"]
    wanted = periods.Period(s["window"][0], s["window"][1])
    start, end = s["window"][0], s["window"][1] or OPEN_END
    x = bool(s["exclusive"])
    sql = f"""
        SELECT NULL, work_id, territory, media, start, effective_end FROM rights_rightatom
         WHERE work_id IN {_in(ids, cast)} AND territory IN {_in(countries)} AND media IN {_in(leaves)}
           AND ((kind = 'holding' AND holder_id = %s{cast}) OR (kind = 'grant' AND licensee_id = %s{cast}))
           AND sublicensable AND (exclusive OR NOT %s) AND start < %s {guard} < %s AND effective_end > %s AND effective_end > start
        UNION ALL
        SELECT a.id, COALESCE(p.parent_id, w.parent_id, w.id), a.territory, a.media, a.start, a.effective_end
          FROM rights_rightatom a JOIN catalog_work w ON w.id = a.work_id LEFT JOIN catalog_work p ON p.id = w.parent_id
         WHERE a.work_id IN (SELECT id FROM catalog_work WHERE id IN {_in(ids, cast)}
                             UNION ALL SELECT id FROM catalog_work WHERE parent_id IN {_in(ids, cast)}
                             UNION ALL SELECT e.id FROM catalog_work e JOIN catalog_work se ON e.parent_id = se.id WHERE se.parent_id IN {_in(ids, cast)})
           AND a.holder_id = %s{cast} AND a.territory IN {_in(countries)} AND a.media IN {_in(leaves)}
           AND a.start < %s {guard_a} < %s AND a.effective_end > %s AND a.effective_end > a.start
           AND (a.kind = 'holdback' OR (a.kind = 'grant' AND (a.exclusive OR %s)))
    """
    params = [
        *ids,
        *countries,
        *leaves,
        owner.pk,
        owner.pk,
        x,
        end,
        end,
        start,
        *ids,
        *ids,
        *ids,
        owner.pk,
        *countries,
        *leaves,
        end,
        end,
        start,
        x,
    ]
    held, blocked, blockers = {}, {}, {}
    for atom_id, wid, country, leaf, lo, hi in _run(sql, params):
        hi = _day(hi)
        period = periods.Period(_day(lo), None if hi == OPEN_END else hi).intersection(wanted)
        cell = (wid, country, leaf)
        if atom_id is None:
            held.setdefault(cell, []).append(period)
        else:
            blocked.setdefault(cell, []).append(period)
            blockers.setdefault(cell, set()).add(atom_id)
    answer = {}
    for wid in ids:
        for country in countries:
            for leaf in leaves:
                cell = (wid, country, leaf)
                free = periods.difference(held.get(cell, ()), blocked.get(cell, ()))
                answer[cell] = (tuple(free), frozenset(blockers.get(cell, ())))
    return answer


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _sql_find(owner, s: dict) -> set:
    """Films and series with a covering usable holding of the cell, EXCEPT those whose family
    has a conflicting grant or holdback overlapping the window."""
    from django.db import connection

    from kinomost.rights.models import OPEN_END

    cast = "::int" if connection.vendor == "postgresql" else ""
    start, end = s["window"][0], s["window"][1] or OPEN_END
    sql = f"""
        SELECT a.work_id FROM rights_rightatom a JOIN catalog_work w ON w.id = a.work_id
         WHERE a.territory = %s AND a.media = %s AND a.start <= %s AND a.effective_end >= %s
           AND ((a.kind = 'holding' AND a.holder_id = %s{cast}) OR (a.kind = 'grant' AND a.licensee_id = %s{cast}))
           AND a.sublicensable AND (a.exclusive OR NOT %s) AND w.kind IN ('feature', 'series')
        EXCEPT
        SELECT COALESCE(p.parent_id, w.parent_id, w.id)
          FROM rights_rightatom a JOIN catalog_work w ON w.id = a.work_id LEFT JOIN catalog_work p ON p.id = w.parent_id
         WHERE a.territory = %s AND a.media = %s AND a.start < %s AND a.effective_end > %s AND a.effective_end > a.start
           AND a.holder_id = %s{cast} AND (a.kind = 'holdback' OR (a.kind = 'grant' AND (a.exclusive OR %s)))
    """
    params = [
        s["country"],
        s["leaf"],
        start,
        end,
        owner.pk,
        owner.pk,
        bool(s["exclusive"]),
        s["country"],
        s["leaf"],
        end,
        start,
        owner.pk,
        bool(s["exclusive"]),
    ]
    return {r[0] for r in _run(sql, params)}


def _run(sql: str, params: list) -> list:
    """Straight on the driver, as Kinomost's selectors run theirs: SQLite's own cursor with `?`
    placeholders (the driver caches the compiled statement); psycopg with server-side binding and
    prepared, on a connection of its own where the server chooses between custom and generic
    plans as it does by default (a generic plan suits the selectors' `= ANY(array)` statements
    but not these IN lists: the 300-work package took seconds under one)."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql.replace("%s", "?"), [p.isoformat() if isinstance(p, date) else p for p in params])
            return cursor.fetchall()
        finally:
            cursor.close()
    import psycopg

    global _ANCHOR_CONNECTION
    if _ANCHOR_CONNECTION is None:  # its own session: the server's default plan choice, not the selectors' generic plans
        settings = connection.settings_dict
        _ANCHOR_CONNECTION = psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            password=settings["PASSWORD"] or None,
            autocommit=True,
        )
    with _ANCHOR_CONNECTION.cursor() as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


_ANCHOR_CONNECTION = None


if __name__ == "__main__":
    main()
