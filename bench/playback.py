"""Playback benchmark: session starts and heartbeats beside /healthz on the same server.

    .venv/bin/python bench/playback.py                    # 8 s per measurement, 1/8/32 clients
    .venv/bin/python bench/playback.py --seconds 15 --workers 2 --no-redis
    .venv/bin/python bench/playback.py --scale-library     # starts over the 100 % --scale storefront

`kinomost serve --workers N` (default: one per core, as it starts by default) on a throwaway data
dir, var/bench/playback-data/, with its SQLite database (or --database-url) and, when Redis
answers on 127.0.0.1:6379, the production profile's Redis (DB 5, a prefix of its own): beats are
then one XADD each; without it they go to the process's buffer. The data is small on purpose —
one platform, one ready film, subscribed viewers — since neither a start nor a beat reads the
catalogue beyond the one title (this is the demo-sized fixture, not the scale library). With
--scale-library the server runs on the `--scale` library's own SQLite database (var/bench/, built
by bench/storefront.py or bench/search.py: 454,789 works, 254,789 packages, 2 million rights
atoms) and its viewer viewer@scale.example starts 40 different films: the start at 100 %.

Measured, on the same server in the same run, closed loop (bench/load.py) at 1, 8 and 32
clients: GET /healthz (the anchor: the cheapest answer the server gives), POST
/playback/<session>/heartbeat (a viewer's beat as the players send it: the numbers in the query,
the playback token in the header, no body; each client cycles over --sessions sessions), the
same beat with a JSON body (`beat-json`: navigator.sendBeacon's form) and POST
…/play/<film>/start/ (a signed-in viewer starting playback: visibility,
entitlement, a session row, tokens; the stream limit is lifted for the run). For each:
requests/s, requests per CPU-second of the server (its throughput per core, which the other
load on a shared machine hardly moves), p50 and p95. Goals (issue 13): heartbeat ≥ 0.5× the
anchor's throughput and ≥ 1,000 beats/s per core; start p95 ≤ 50 ms. Then the sizing for
1,000,000 concurrent viewers at the player's beat interval, and each server worker's RSS at
rest and after the runs (goal < 250 MB). Results also in bench/results/playback.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # bench/ is not a package: from the path above
import subscriber

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench" / "playback-data"
SCALE_DATA = ROOT / "var" / "bench"  # bench/scale_library.py's 100 % SQLite library
RESULTS = ROOT / "bench" / "results"
SECRET = "bench-playback-stream-secret-0123456789"
PASSWORD = "correct horse battery staple"
REDIS_URL = "redis://127.0.0.1:6379/5"
VIEWERS = 1_000_000
CLIENTS = (1, 8, 32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--loaders", type=int, default=1, help="load generator processes")
    parser.add_argument(
        "--sessions",
        type=int,
        default=1000,
        help="playback sessions the beats are spread over (default %(default)s: the folder then updates many rows per batch, as at scale)",
    )
    parser.add_argument("--no-redis", action="store_true", help="the embedded profile even when Redis answers")
    parser.add_argument(
        "--fold-in-web",
        action="store_true",
        help="fold beats in the web processes' threads (default with Redis: a separate `kinomost playback-fold`, measured apart)",
    )
    parser.add_argument("--database-url", default="", help="e.g. postgresql://postgres@127.0.0.1:5432/kino_bench (default: SQLite)")
    parser.add_argument("--scale-library", action="store_true", help="the 100 %% --scale library's storefront (var/bench/), its viewer")
    args = parser.parse_args()
    env = _environment(args)
    fixture = _scale_fixture(args.sessions) if args.scale_library else _fixture(args.sessions)
    port = _free_port()
    log = (DATA / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("kinomost")), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    folder = None
    if env.get("KINOMOST_CINEMA_BEAT_FOLDER_THREAD") == "0":
        folder = subprocess.Popen(
            [str(Path(sys.executable).with_name("kinomost")), "playback-fold"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # Killed (SIGTERM), the bench still stops what it started: a folder paused by _measure too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(port, server)
        time.sleep(2)
        rest = _worker_rss(server.pid)
        rows, fold_cpu = _measure(base, fixture, server.pid, args, folder)
        after = _worker_rss(server.pid)
    finally:
        for proc in filter(None, (server, folder)):
            os.killpg(proc.pid, signal.SIGCONT)  # a paused folder would not see the SIGINT
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    _report(args, env, rows, rest, after, fixture["heartbeat_seconds"], fold_cpu)


def _environment(args) -> dict:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    if args.scale_library and not (SCALE_DATA / "kinomost.sqlite3").exists():
        sys.exit(f"no --scale library in {SCALE_DATA}: build it first, e.g. bench/storefront.py --sizes 100 --no-server")
    env = dict(
        os.environ,
        KINOMOST_DATA_DIR=str(SCALE_DATA if args.scale_library else DATA),
        KINOMOST_STREAM_SECRET=SECRET,
        DJANGO_SETTINGS_MODULE="kinomost.settings",
        KINOMOST_CINEMA_MAX_STREAMS="1000000000",
        KINOMOST_LOG_LEVEL="ERROR",
    )
    for name in ("KINOMOST_DATABASE_URL", "KINOMOST_CINEMA_HLS_DIR", "KINOMOST_REDIS_URL", "KINOMOST_WEB_WORKERS"):
        env.pop(name, None)
    if args.database_url and not args.scale_library:
        env["KINOMOST_DATABASE_URL"] = args.database_url
    if not args.no_redis and _redis_up():
        env["KINOMOST_REDIS_URL"] = REDIS_URL
        env["KINOMOST_REDIS_PREFIX"] = f"kinomost-bench-{uuid.uuid4().hex[:8]}:"
        if not args.fold_in_web:  # as the production profile may run it: folders apart from the web nodes
            env["KINOMOST_CINEMA_BEAT_FOLDER_THREAD"] = "0"
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 (no redis-py, no server: the embedded profile)
        return False


def _fixture(sessions: int) -> dict:
    """A platform, a ready film, a subscribed viewer signed in (cookie, CSRF), and `sessions`
    playback sessions started the way the player starts them."""

    from kinomost.catalog.services import WorkInput, save_work
    from kinomost.cinema import services
    from kinomost.parties import services as parties
    from kinomost.parties.context import Actor
    from kinomost.parties.models import Role
    from kinomost.rights import ledger

    org = parties.create_organisation(slug="bench-kino", name="Bench Kino", kind="media_group", country="RU")
    platform = services.create_platform(
        Actor(organisation=org, role=Role.PLATFORM_OPERATOR),
        slug="kino",
        name="Kino",
        territories_spec=["RU"],
        media=["svod"],
        languages=["ru"],
    )
    work = save_work(org, WorkInput(ref="BENCH-1", kind="feature", titles={"ru": "Брат", "en": "Brother"}))[0]
    ledger.record_holding(
        org,
        ledger.TermInput(works=[work], territories="RU", media=["svod"], start="2020-01-01", end=None),
        contract=ledger.ContractInput(reference="BENCH-ACQ"),
    )
    subscriber.ready_packages(org, platform, [work])
    _viewer, client, cookie, csrf = subscriber.signed_in_subscriber(platform, PASSWORD)
    return _started(client, cookie, csrf, [f"/watch/{org.slug}/{platform.slug}/play/{work.pk}/start/"], sessions)


def _scale_fixture(sessions: int) -> dict:
    """The `--scale` storefront's subscribed viewer signed in, 40 of its films to start (a random
    spread over the library), and `sessions` sessions of them."""
    import random

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from kinomost.cinema.visibility_models import VisibleWork
    from kinomost.demo.scale import OWNER, PLATFORM, VIEWER_EMAIL

    client = Client()
    client.force_login(get_user_model().objects.get(email=VIEWER_EMAIL))
    csrf = _get_new_csrf_string()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; {settings.CSRF_COOKIE_NAME}={csrf}"
    films = sorted(
        VisibleWork.objects.filter(platform__organisation__slug=OWNER, platform__slug=PLATFORM, work_id=F("top_id")).values_list(
            "work_id", flat=True
        )
    )
    picked = random.Random(13).sample(films, 40)
    return _started(client, cookie, csrf, [f"/watch/{OWNER}/{PLATFORM}/play/{w}/start/" for w in picked], sessions)


def _started(client, cookie: str, csrf: str, start_paths: list[str], count: int) -> dict:
    sessions = []
    for n in range(max(count, max(CLIENTS))):
        answer = client.post(start_paths[n % len(start_paths)], b"{}", content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
        assert answer.status_code == 200, answer.content
        sessions.append(answer.json())
    return {
        "cookie": cookie,
        "csrf": csrf,
        "start_paths": start_paths,
        "sessions": sessions,
        "heartbeat_seconds": sessions[0]["heartbeat_seconds"],
    }


def _measure(base: str, fixture: dict, pid: int, args, folder) -> tuple[list[dict], float | None]:
    """The rows, and the CPU-seconds the separate folder took to fold the beats of the runs.

    The folder (when it is a process of its own) is paused while the beats are sent and then
    folds them all, measured until the consumer group has nothing left: on a machine of two
    cores, the load generator, Redis, the web workers and a folder at work would take each
    other's CPU, and the anchor (/healthz) is measured without a folder taking half the machine.
    Production runs the folders on cores of their own (the sizing below counts them apart)."""
    healthz = [load.Request("/healthz")]
    beats = [  # the players' form (cinema/static/cinema/player.js): the numbers in the query, no body
        load.Request(s["heartbeat_url"] + "?position=60.000&seconds=15.000", "POST", {"Authorization": f"Bearer {s['playback_token']}"})
        for s in fixture["sessions"]
    ]
    json_beats = [  # the JSON body (navigator.sendBeacon, clients of docs/cinema.md's JSON form)
        load.Request(
            s["heartbeat_url"],
            "POST",
            {"Authorization": f"Bearer {s['playback_token']}", "Content-Type": "application/json"},
            json.dumps({"position": 60.0, "seconds": 15.0}).encode(),
        )
        for s in fixture["sessions"]
    ]
    starts = [
        load.Request(
            path,
            "POST",
            {"Cookie": fixture["cookie"], "X-CSRFToken": fixture["csrf"], "Content-Type": "application/json"},
            b"{}",
        )
        for path in fixture["start_paths"]
    ]
    rows, fold_cpu = [], None
    for name, requests in (("healthz", healthz), ("heartbeat", beats), ("beat-json", json_beats), ("start", starts)):
        if name == "heartbeat" and folder:
            os.kill(folder.pid, signal.SIGSTOP)
        if name == "start" and folder:
            fold_cpu = _folded_after_pause(folder)
        for clients in CLIENTS:
            before = load.cpu_seconds(pid)
            result = load.run(base, requests, clients, args.seconds, processes=args.loaders, warmup=0.5)
            cpu = load.cpu_seconds(pid) - before
            errors = result.errors()
            rows.append(
                {
                    "path": name,
                    "clients": clients,
                    "rps": result.rps,
                    "per_core": result.count / cpu if cpu else float("nan"),
                    "p50": result.p50,
                    "p95": result.p95,
                    "errors": errors,
                    "count": result.count,
                }
            )
            print(
                f"  {name:<9} {clients:>3} clients  {result.rps:8.1f} req/s  p95 {result.p95:7.1f} ms"
                + (f"  ERRORS {errors}" if errors else ""),
                flush=True,
            )
    return rows, fold_cpu


def _folded_after_pause(folder) -> float:
    """Let the paused folder go on and wait until it has folded every beat: its CPU-seconds."""
    import redis

    from kinomost.cinema import beats

    before = load.cpu_seconds(folder.pid)
    os.kill(folder.pid, signal.SIGCONT)
    client = redis.Redis.from_url(os.environ["KINOMOST_REDIS_URL"])
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        group = next(g for g in client.xinfo_groups(beats.stream()) if g["name"].decode() == beats.GROUP)
        if group["lag"] == 0 and group["pending"] == 0:
            break
        time.sleep(0.2)
    else:
        sys.exit("the folder did not fold the runs' beats within 600 s")
    print(f"  folded every beat of the runs ({client.xlen(beats.stream()):,} in the stream)", flush=True)
    return load.cpu_seconds(folder.pid) - before


def _worker_rss(pid: int) -> list[float]:
    return [round(load.rss_mb(p), 1) for p in load.process_tree(pid) if p != pid]


def _report(args, env, rows, rest, after, beat_seconds: int, fold_cpu: float | None) -> None:
    by = {(r["path"], r["clients"]): r for r in rows}
    cores = len(os.sched_getaffinity(0))
    profile = "Redis (one script per beat: liveness and XADD)" if env.get("KINOMOST_REDIS_URL") else "embedded (process buffer)"
    database = "PostgreSQL" if env.get("KINOMOST_DATABASE_URL", "").startswith("postgres") else "SQLite"
    if args.scale_library:
        database += ", the 100 % --scale library"
    print(
        f"\nkinomost serve --workers {args.workers} on {cores} cores; beats: {profile}; database: {database}; "
        f"{args.seconds:g} s per measurement (a machine shared with other work: expect noise)\n"
    )
    print(f"{'path':<10}{'clients':>8}{'req/s':>10}{'per core':>10}{'p50 ms':>9}{'p95 ms':>9}{'× healthz':>11}")
    for r in rows:
        anchor = by[("healthz", r["clients"])]["rps"]
        print(
            f"{r['path']:<10}{r['clients']:>8}{r['rps']:>10.1f}{r['per_core']:>10.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['rps'] / anchor:>11.2f}" + (f"  errors {r['errors']}" if r["errors"] else "")
        )
    beat = max((r for r in rows if r["path"] == "heartbeat"), key=lambda r: r["per_core"])
    ratio = min(by[("heartbeat", c)]["rps"] / by[("healthz", c)]["rps"] for c in CLIENTS)
    start_p95 = by[("start", 1)]["p95"]
    beats_per_s = VIEWERS / beat_seconds
    print("\ngoals:")
    print(f"  heartbeat ≥ 0.5× /healthz throughput: worst {ratio:.2f}×  {'met' if ratio >= 0.5 else 'MISSED'}")
    print(f"  heartbeat ≥ 1,000 beats/s per core: {beat['per_core']:,.0f}  {'met' if beat['per_core'] >= 1000 else 'MISSED'}")
    print(f"  start p95 ≤ 50 ms (1 client): {start_p95:.1f} ms  {'met' if start_p95 <= 50 else 'MISSED'}")
    worst_rss = max(rest + after) if rest + after else float("nan")
    print(f"  worker RSS < 250 MB: at rest {rest} MB, after {after} MB  {'met' if worst_rss < 250 else 'MISSED'}")
    if fold_cpu is not None:
        folded = sum(r["count"] for r in rows if r["path"] in ("heartbeat", "beat-json"))
        print(
            f"  (beats folded by a separate `kinomost playback-fold`, paused while they were sent, then measured until"
            f" it had folded them all: {fold_cpu:.1f} CPU-s for {folded:,} beats,"
            f" {folded / fold_cpu if fold_cpu else float('nan'):,.0f} beats per CPU-second; not in the web figures)"
        )
    print(f"\nsizing for {VIEWERS:,} concurrent viewers beating every {beat_seconds} s = {beats_per_s:,.0f} beats/s:")
    print(f"  web cores for the beats: {beats_per_s / beat['per_core']:,.0f} (at {beat['per_core']:,.0f} beats/s per core, measured)")
    if fold_cpu:
        print(f"  folder cores: {beats_per_s / (folded / fold_cpu):,.0f} (at {folded / fold_cpu:,.0f} beats per CPU-second, measured)")
    if env.get("KINOMOST_REDIS_URL"):
        from kinomost.cinema import beats as beat_module

        batches = beats_per_s / beat_module.BATCH
        print(
            f"  database: no write on the request path; the folders update each session row once per beat it"
            f" received, in batches of up to {beat_module.BATCH:,}: ≈ {beats_per_s:,.0f} row updates/s in ≈ {batches:,.0f}"
            " transactions/s (a row per session, never a row per beat)"
        )
    else:
        print(
            "  database: the embedded profile folds each process's buffer every CINEMA_BEAT_FLUSH_SECONDS:"
            f" ≈ {beats_per_s:,.0f} row updates/s, one transaction per process per flush"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "playback.json").write_text(
        json.dumps(
            {"rows": rows, "rss_rest_mb": rest, "rss_after_mb": after, "workers": args.workers, "profile": profile, "database": database},
            indent=1,
        )
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc) -> None:
    import socket

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"kinomost serve stopped: {(DATA / 'serve.log').read_text()}")
            time.sleep(0.2)
    sys.exit("kinomost serve did not start in 120 s")


if __name__ == "__main__":
    main()
