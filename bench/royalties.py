"""Royalty statements for one platform-month of viewing, beside a hand-written SQL aggregate.

    .venv/bin/python bench/royalties.py --db sqlite --sessions 1000000
    .venv/bin/python bench/royalties.py --db postgres --sessions 10000000

Each database gets a library of its own (var/bench-royalties-N/ for SQLite, the database
kinomost_bench_royalties_N on KINOMOST_BENCH_POSTGRES_SERVER, or the PostgreSQL database
KINOMOST_DATABASE_URL names when it is set — one library a database, refused when reused for
another size): --works films licensed under one
contract (a 40 % share, an MG) to a Russian SVOD platform, one month of subscription charges (the
pool) and --sessions playback sessions spread over the works (Zipf-like: a few titles take most
of the viewing), a tenth of them below the qualifying threshold. Built once, reused later.

Measured in the same run, interleaved, best of --repeat each:
- kinomost: `royalties.statements.compute(contract, month)` from a cold cache — the platform's
  qualifying viewing aggregated once, the pool split by largest remainder, lines converted,
  rounded, recouped against the MG;
- anchor: one SQL statement computing the same per-work receipts (pool × seconds ÷ all seconds)
  with the same joins and filters, read into Python.
The two are checked to agree on every work to the minor unit (the anchor's ROUND versus the
largest remainder may differ by one kopeck on a line; the statement's lines add up to the pool
exactly). Wall seconds and this process's CPU seconds (best of each), and the worker's peak RSS
are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
MONTH = "2027-03"
POOL_CHARGES = 20000  # subscription periods charged in the month
PRICE = Decimal("399.00")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--works", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    from scale_library import PG_SERVER, _ensure_pg_database

    print(
        f"{'db':<9} {'sessions':>10} {'works':>6} {'kinomost s':>11} {'anchor s':>9} {'ratio':>6}"
        f" {'k cpu s':>7} {'a cpu s':>7} {'cpu ×':>6} {'peak RSS MB':>11}  agree"
    )
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        env = dict(os.environ)
        if db == "sqlite":
            env["KINOMOST_DATA_DIR"] = str(ROOT / "var" / f"bench-royalties-{args.sessions}")
            env.pop("KINOMOST_DATABASE_URL", None)
        elif os.environ.get("KINOMOST_DATABASE_URL", "").startswith("postgres"):
            pass  # a database of one's own, named (the worker refuses one built with another size)
        else:
            name = f"kinomost_bench_royalties_{args.sessions}"
            _ensure_pg_database(name)
            env["KINOMOST_DATABASE_URL"] = f"{PG_SERVER}/{name}"
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            "--db",
            db,
            "--sessions",
            str(args.sessions),
            "--works",
            str(args.works),
            "--repeat",
            str(args.repeat),
        ]
        subprocess.run(cmd, env=env, check=True)


def worker(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    contract, platform = build(args)
    from kinomost.royalties import periods
    from kinomost.royalties.statements import Computation, compute

    period = periods.parse(MONTH)
    # Interleaved, best of --repeat each: on a shared machine a burst of load then hits both alike.
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for _ in range(args.repeat):
        took, cpu, doc = timed(lambda: compute(contract, period, run=Computation()).document)
        ours.append(took)
        ours_cpu.append(cpu)
        took, cpu, anchor_rows = timed(lambda: anchor(platform, period))
        theirs.append(took)
        theirs_cpu.append(cpu)
    ours, theirs, ours_cpu, theirs_cpu = min(ours), min(theirs), min(ours_cpu), min(theirs_cpu)
    lines = {l["work_id"]: Decimal(l["receipts"]) for l in doc["lines"]}
    pool = PRICE * POOL_CHARGES
    agree = (
        sum(lines.values()) == pool
        and set(lines) == set(anchor_rows)
        and all(abs(lines[w] - anchor_rows[w]) <= Decimal("0.01") for w in lines)
    )
    if not agree:
        print(
            "pool",
            pool,
            "sum",
            sum(lines.values()),
            "only ours",
            len(set(lines) - set(anchor_rows)),
            "only anchor",
            len(set(anchor_rows) - set(lines)),
            "worst",
            max((abs(lines[w] - anchor_rows.get(w, 0)) for w in lines), default=0),
            file=sys.stderr,
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.db:<9} {args.sessions:>10} {len(lines):>6} {ours:>11.3f} {theirs:>9.3f} {ours / theirs:>6.2f}"
        f" {ours_cpu:>7.3f} {theirs_cpu:>7.3f} {ours_cpu / theirs_cpu:>6.2f} {rss:>11.0f}  {agree}"
    )


def timed(fn):
    """(wall seconds, CPU seconds of this process, result). On SQLite the engine runs in this
    process, so its CPU time counts the whole work and is far less disturbed by the other load
    on a shared machine than wall time; on PostgreSQL it counts the client's side only."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - start, time.process_time() - cpu, result


def anchor(platform, period) -> dict:
    """The per-work receipts of the month's SVOD pool in one hand-written statement."""
    from django.db import connection

    from kinomost.royalties.statements import _moment as local_midnight  # the period's bounds in the installation's time zone

    start, end = (connection.ops.adapt_datetimefield_value(local_midnight(d)) for d in (period.start, period.end))  # as the ORM writes them
    sql = """
        WITH watched AS (
            SELECT s.work_id, SUM(s.seconds_watched) AS seconds
            FROM cinema_playbacksession s
            JOIN cinema_viewer v ON v.id = s.viewer_id
            JOIN cinema_platform p ON p.id = v.platform_id
            WHERE v.platform_id = %s AND s.media = 'svod' AND s.territory = 'RU'
              AND s.started_at >= %s AND s.started_at < %s AND s.seconds_watched >= p.qualifying_seconds
            GROUP BY s.work_id
        ), pool AS (
            SELECT SUM(amount) AS total FROM cinema_revenue
            WHERE platform_id = %s AND kind = 'subscription' AND territory = 'RU' AND at >= %s AND at < %s
        )
        SELECT w.work_id, ROUND(CAST(pool.total * w.seconds / (SELECT SUM(seconds) FROM watched) AS NUMERIC), 2)
        FROM watched w, pool
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [platform.pk, start, end, platform.pk, start, end])
        return {work_id: Decimal(str(value)).quantize(Decimal("0.01")) for work_id, value in cursor.fetchall()}


def _moment(day):
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def build(args):
    """The library, once: works, the licence, the platform, viewers, the pool and the sessions."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from kinomost.catalog.models import Work
    from kinomost.cinema.models import Asset, AssetStatus, Platform
    from kinomost.cinema.viewing_models import Profile, Revenue, Viewer
    from kinomost.parties import services as parties
    from kinomost.rights.models import Contract, Term

    existing = Contract.objects.filter(reference="BENCH-ROYALTIES").first()
    if existing is not None:
        platform = Platform.objects.get(slug="bench-kino")
        if platform.name != f"Bench Kino {args.sessions}":
            sys.exit(f"this database holds the library of '{platform.name}', not of {args.sessions} sessions: use another")
        return existing, platform
    started = time.perf_counter()
    print(f"building the {args.db} library: {args.works} works, {args.sessions} sessions …", file=sys.stderr)
    licensor = parties.create_organisation(slug="bench-licensor", name="Bench Licensor", kind="media_group", country="CN")
    licensee = parties.create_organisation(slug="bench-licensee", name="Bench Licensee", kind="platform", country="RU")
    Work.objects.bulk_create(
        Work(owner=licensor, ref=f"bench-{i:05d}", kind="feature", original_title=f"Bench {i}") for i in range(args.works)
    )
    works = list(Work.objects.filter(owner=licensor).order_by("id").values_list("id", flat=True))
    money = {
        "currency": "RUB",
        "flat_fee": "0",
        "minimum_guarantee": "1000000",
        "revenue_share": "40",
        "per_hour": "0",
        "cross_collateralised": True,
        "withholding_tax": "0",
        "period": "month",
    }
    with transaction.atomic():
        contract = Contract.objects.create(
            kind="licence",
            licensor=licensor,
            licensee=licensee,
            reference="BENCH-ROYALTIES",
            money=money,
            signed_on=datetime(2027, 1, 1).date(),
        )
        term = Term.objects.create(contract=contract, kind="grant", territories=["RU"], media=["svod"], start=datetime(2027, 1, 1).date())
        term.works.set(works)
        platform = Platform.objects.create(
            organisation=licensee,
            slug="bench-kino",
            name=f"Bench Kino {args.sessions}",  # the size built, checked when reused
            territories=["RU"],
            media=["svod"],
            languages=["ru"],
            currency="RUB",
        )
        assets = {
            w: a.pk
            for w, a in zip(
                works,
                Asset.objects.bulk_create(
                    Asset(organisation=licensee, work_id=w, key=bytes(16), iv=bytes(16), status=AssetStatus.READY) for w in works
                ),
            )
        }
        User = get_user_model()
        users = User.objects.bulk_create(User(email=f"bench-{i}@example.com", password="!") for i in range(POOL_CHARGES))
        viewers = Viewer.objects.bulk_create(Viewer(user=u, platform=platform, country="RU") for u in users)
        profiles = Profile.objects.bulk_create(Profile(viewer=v, name="p") for v in viewers)
        month = _moment(datetime(2027, 3, 1))
        Revenue.objects.bulk_create(
            Revenue(
                platform=platform,
                organisation_id=licensee.pk,
                viewer=v,
                kind="subscription",
                media="svod",
                territory="RU",
                amount=PRICE,
                currency="RUB",
                at=month + timedelta(hours=i % 600),
                provider="bench",
                reference=str(i),
            )
            for i, v in enumerate(viewers)
        )
    if connection.vendor == "postgresql":
        _generate_sessions_in_postgres(args.sessions, works, assets, viewers, profiles, month, contract, term)
    else:
        _generate_sessions(args.sessions, works, assets, viewers, profiles, month, contract, term)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return contract, platform


def _generate_sessions(sessions, works, assets, viewers, profiles, month, contract, term):
    """Sessions drawn in Python (Zipf-like over the works, a tenth below the threshold)."""
    from django.db import connection, transaction

    rng = random.Random(15)
    weights = [1 / (rank + 1) for rank in range(len(works))]
    columns = (
        "public_id",
        "viewer_id",
        "profile_id",
        "asset_id",
        "work_id",
        "territory",
        "media",
        "started_at",
        "last_heartbeat_at",
        "token_expires_at",
        "position",
        "seconds_watched",
        "contract_id",
        "term_id",
    )
    table = "cinema_playbacksession"
    batch = 100_000
    for offset in range(0, sessions, batch):
        count = min(batch, sessions - offset)
        picked = rng.choices(works, weights=weights, k=count)
        rows = []
        for work in picked:
            viewer = rng.randrange(len(viewers))
            at = connection.ops.adapt_datetimefield_value(month + timedelta(seconds=rng.randrange(31 * 86400)))
            seconds = float(rng.randrange(5, 59)) if rng.random() < 0.1 else float(rng.randrange(60, 7200))
            rows.append(
                (
                    uuid.uuid4().hex if connection.vendor == "sqlite" else str(uuid.uuid4()),
                    viewers[viewer].pk,
                    profiles[viewer].pk,
                    assets[work],
                    work,
                    "RU",
                    "svod",
                    at,
                    at,
                    at,
                    seconds,
                    seconds,
                    contract.pk,
                    term.pk,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})", rows)
        print(f"  {offset + count} sessions", file=sys.stderr)


def _generate_sessions_in_postgres(sessions, works, assets, viewers, profiles, month, contract, term):
    """The same draw made by PostgreSQL itself (generate_series, random()): 10,000,000 sessions
    drawn in Python and copied in take hours on two cores. Works by rank: floor(n × u³) puts
    a few titles ahead, as the Zipf-like weights above do; a tenth below the threshold.

    Inserted under the table's indexes (a dozen: the primary key, the unique public id, one per
    foreign key, four of the model's) and foreign-key triggers, the build ran at about 1,000,000
    sessions per 8 minutes on the shared machine. So the build drops every index and constraint
    of the table but its primary key (ascending ids append), inserts with `synchronous_commit`
    off, then re-creates each from its own definition (`pg_get_indexdef`, `pg_get_constraintdef`):
    one sort per index, one join per foreign key to validate it. All in one transaction, so a
    build that fails leaves the table as migrations made it."""
    from django.db import connection, transaction

    table = "cinema_playbacksession"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("CREATE TEMP TABLE bench_works (i int PRIMARY KEY, work_id bigint, asset_id bigint) ON COMMIT DROP")
        cursor.executemany("INSERT INTO bench_works VALUES (%s, %s, %s)", [(i, w, assets[w]) for i, w in enumerate(works)])
        cursor.execute("CREATE TEMP TABLE bench_viewers (i int PRIMARY KEY, viewer_id bigint, profile_id bigint) ON COMMIT DROP")
        cursor.executemany(
            "INSERT INTO bench_viewers VALUES (%s, %s, %s)", [(i, v.pk, p.pk) for i, (v, p) in enumerate(zip(viewers, profiles))]
        )
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
            [table],
        )
        constraints = cursor.fetchall()
        for name, _kind, _definition in sorted(constraints, key=lambda c: c[1] != "f"):  # foreign keys first
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        started = time.perf_counter()
        cursor.execute("SELECT setseed(0.15)")
        cursor.execute(
            f"""
            INSERT INTO {table} (public_id, viewer_id, profile_id, asset_id, work_id, territory, media, started_at,
                last_heartbeat_at, token_expires_at, position, seconds_watched, contract_id, term_id)
            SELECT gen_random_uuid(), v.viewer_id, v.profile_id, w.asset_id, w.work_id, 'RU', 'svod', d.at, d.at, d.at, d.seconds, d.seconds, %s, %s
            FROM (SELECT floor(%s * power(random(), 3))::int AS wi, floor(%s * random())::int AS vi,
                         %s::timestamptz + floor(random() * 31 * 86400) * interval '1 second' AS at,
                         CASE WHEN random() < 0.1 THEN 5 + floor(random() * 54) ELSE 60 + floor(random() * 7140) END AS seconds
                  FROM generate_series(1, %s)) d
            JOIN bench_works w ON w.i = d.wi JOIN bench_viewers v ON v.i = d.vi
        """,
            [contract.pk, term.pk, len(works), len(viewers), month, sessions],
        )
        print(f"  {sessions} sessions inserted in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for name, definition in indexes:
            started = time.perf_counter()
            cursor.execute(definition)
            print(f"  index {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        for name, _kind, definition in sorted(constraints, key=lambda c: c[1] == "f"):  # unique first
            started = time.perf_counter()
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            print(f"  constraint {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
