"""Speed of an EMA avails import into the rights ledger, beside its anchors, in one run.

    .venv/bin/python bench/avails_import.py                  # SQLite, 20,000 rows
    .venv/bin/python bench/avails_import.py --db postgres --rows 20000
    .venv/bin/python bench/avails_import.py --repeat 3       # best of 3 fresh runs (shared machine)

The file is written with Kinomost's own writer (`write_xlsx`): 1,000 titles × 10 territories ×
SD and HD — EST, VOD, SVOD by title, a quarter open-ended — the shape of a studio's movie avails
(each SD/HD pair is one right: 10,000 terms, 10,000 atoms, 1,000 new works).

Timed, on a fresh database:
  * anchor 1 — the raw parse alone (`read_xlsx`, as bench/avails_parse.py);
  * anchor 2 — a plain `executemany` of the same atoms into a scratch copy of the atom table;
  * Kinomost — `import_avails` as a licensee: parse, match or create works, merge formats,
    record contracts, terms, work links and atoms in one transaction, audited;
  * the same file again (recognised as recorded: nothing written).
Target: ≥ 10,000 rows/s for the import on SQLite.

On a busy machine one run says little: `--repeat N` runs the whole thing N times, each on a
fresh database, and prints each run and then the best time of every step (wall and CPU apart).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("KINOMOST_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/kinomost_bench_avails")
COUNTRIES = ("US", "CA", "GB", "DE", "FR", "ES", "RU", "CN", "JP", "BR")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=1, help="fresh runs; the best time of each step is printed")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.rows)
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        runs = [run_once(db, args.rows) for _ in range(max(1, args.repeat))]
        if len(runs) > 1:
            best = {label: (min(r[label][0] for r in runs), min(r[label][1] for r in runs)) for label in runs[0]}
            print(f"\nbest of {len(runs)} fresh runs ({db}):")
            print_table(args.rows, best)


def run_once(db: str, count: int) -> dict:
    """One fresh database, one worker process; returns {step: (wall s, CPU s)}."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = dict(os.environ, BENCH_AVAILS_RESULT=out.name)
        if db == "sqlite":
            data = ROOT / "var" / "bench-avails"
            (data / "kinomost.sqlite3").unlink(missing_ok=True)
            env["KINOMOST_DATA_DIR"] = str(data)
            env.pop("KINOMOST_DATABASE_URL", None)
        else:
            fresh_pg_database()
            env["KINOMOST_DATABASE_URL"] = PG_URL
        subprocess.run([sys.executable, __file__, "--worker", "--rows", str(count)], env=env, check=True)
        return {label: tuple(times) for label, times in json.loads(Path(out.name).read_text()).items()}


def fresh_pg_database() -> None:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def rows(count: int):
    from kinomost.rights.avails.model import AvailRow

    out = []
    for i in range(count):
        title, rest = divmod(i, 20)
        territory, fmt = COUNTRIES[rest // 2], ("SD", "HD")[rest % 2]
        license_type = ("EST", "VOD", "SVOD")[title % 3]
        priced = license_type != "SVOD"
        open_end = title % 4 == 0
        out.append(
            AvailRow(
                licensor="Rockstar Films",
                work_type="Movie",
                alid=f"md:alid:org:rockstar:{title}",
                content_id=f"md:cid:org:rockstar:{title}",
                avail_id=f"AV-{i}",
                territory=territory,
                title_alias=f"Title {title}",
                title_display=f"The Title {title}",
                license_type=license_type,
                license_rights_description="Library",
                format_profile=fmt,
                start=dt.date(2026, 1, 1) + dt.timedelta(days=title % 365),
                end=None if open_end else dt.date(2031, 1, 1),
                end_condition="Open" if open_end else None,
                price_type="Tier" if priced else None,
                price_value=("3" if fmt == "SD" else "4") if priced else None,
                asset_language="en",
                release_year=2006,
                exclusive=title % 2 == 0,
            )
        )
    return out


def worker(count: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from kinomost.parties import services as parties
    from kinomost.rights.avails.export import write_xlsx
    from kinomost.rights.avails.records import import_avails
    from kinomost.rights.avails.xlsx import read_xlsx
    from kinomost.rights.models import RightAtom, Term

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "avails.xlsx"
        write_xlsx(rows(count), path)
        data = path.read_bytes()
    org = parties.create_organisation(slug="bench-platform", name="Bench Platform", kind="platform", country="RU")

    (parsed, parse_s, parse_cpu) = timed(lambda: read_xlsx(path_or_bytes(data)))
    (result, import_s, import_cpu) = timed(lambda: import_avails(org, data, "avails.xlsx"))
    (again, again_s, again_cpu) = timed(lambda: import_avails(org, data, "avails.xlsx"))

    columns = [
        "kind",
        "work_id",
        "territory",
        "media",
        "start",
        "end",
        "ends_early_on",
        "effective_end",
        "holder_id",
        "licensee_id",
        "exclusive",
        "sublicensable",
        "term_id",
        "contract_id",
    ]
    atoms = list(RightAtom.objects.values_list(*columns))
    table = RightAtom._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_atoms AS SELECT * FROM {table} WHERE 1 = 0")

    def insert():
        with transaction.atomic(), connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO bench_atoms ({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES ({marks})", atoms
            )

    (_, insert_s, insert_cpu) = timed(insert)

    n = len(parsed.rows)
    print(
        f"database: {connection.vendor}; file: {n} rows, {len(data) / 1e6:.1f} MB; "
        f"recorded {result.terms_created} terms, {len(atoms)} atoms, {result.works_created} new works "
        f"({Term.objects.count()} terms in the ledger)"
    )
    steps = {
        "anchor: raw parse (read_xlsx)": (parse_s, parse_cpu),
        "anchor: executemany of the same atoms": (insert_s, insert_cpu),
        "Kinomost import_avails (parse + ledger)": (import_s, import_cpu),
        "Kinomost re-import (all recorded, no writes)": (again_s, again_cpu),
    }
    print_table(n, steps)
    print("re-import:", again.terms_created, "created,", again.terms_already_recorded, "recognised")
    if os.environ.get("BENCH_AVAILS_RESULT"):
        Path(os.environ["BENCH_AVAILS_RESULT"]).write_text(json.dumps(steps))


def print_table(n: int, steps: dict) -> None:
    print(f"{'step':<46} {'wall s':>7} {'rows/s':>9} {'CPU s':>7} {'rows/CPU s':>10}")
    for label, (wall, cpu) in steps.items():
        print(f"{label:<46} {wall:>7.2f} {n / wall:>9,.0f} {cpu:>7.2f} {n / cpu:>10,.0f}")
    (parse_s, parse_cpu), (insert_s, _), (import_s, import_cpu) = list(steps.values())[:3]
    print(
        f"import / parse: {import_s / parse_s:.2f}x wall, {import_cpu / parse_cpu:.2f}x CPU; "
        f"import / (parse + executemany): {import_s / (parse_s + insert_s):.2f}x wall; "
        f"target 10,000 rows/s: wall {'met' if n / import_s >= 10000 else 'NOT met'}, "
        f"CPU {'met' if n / import_cpu >= 10000 else 'NOT met'}"
    )


def timed(action):
    """(result, wall seconds, this process's CPU seconds): on a shared machine the CPU time
    says what the code costs, the wall time what a user waits."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def path_or_bytes(data: bytes):
    from io import BytesIO

    return BytesIO(data)


if __name__ == "__main__":
    main()
