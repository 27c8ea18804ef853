"""The scale library that bench/rights.py and bench/search.py measure on (`kinomost demo --scale`):
where it lives, and how each benchmark runs its worker process against it.

Built once per size and database and reused by later runs, whichever benchmark built it:
SQLite in var/bench/ (other sizes: var/bench-FILMS-SERIES/), PostgreSQL in the database
kinomost_bench (kinomost_bench_FILMS_SERIES) on KINOMOST_BENCH_POSTGRES_SERVER.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZE = (5000, 100000)
PG_SERVER = os.environ.get("KINOMOST_BENCH_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432")


def databases(choice: str | None) -> list[str]:
    """--db both|sqlite|postgres; None: both when PostgreSQL answers, else SQLite alone."""
    if choice is None:
        return ["sqlite", "postgres"] if pg_reachable() else ["sqlite"]
    return ["sqlite", "postgres"] if choice == "both" else [choice]


def pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


def run_worker(script: str, db: str, films: int, series: int, *extra: str) -> None:
    """`script --worker --films F --series S EXTRA…` in a process of its own, on that database's
    library of that size (a fresh process per database: Django settles its database at start)."""
    env = dict(os.environ)
    suffix = "" if (films, series) == DEFAULT_SIZE else f"-{films}-{series}"
    if db == "sqlite":
        env["KINOMOST_DATA_DIR"] = str(ROOT / "var" / f"bench{suffix}")
        env.pop("KINOMOST_DATABASE_URL", None)
    else:
        name = "kinomost_bench" + suffix.replace("-", "_")
        _ensure_pg_database(name)
        env["KINOMOST_DATABASE_URL"] = f"{PG_SERVER}/{name}"
    cmd = [sys.executable, script, "--worker", "--films", str(films), "--series", str(series), *extra]
    subprocess.run(cmd, env=env, check=True)


def _ensure_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def open_library(films: int, series: int) -> tuple[int, float]:
    """Inside the worker: Django set up, migrated, the library generated where missing.
    Returns (works in the library, seconds it took to be ready)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kinomost.demo.scale import generate

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    total = generate(films=films, series=series, progress=True)
    return total, time.monotonic() - started
