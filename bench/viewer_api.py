"""Viewer API benchmark: home, title, start and heartbeat through the viewer API (JSON, bearer
token) beside the web storefront answering the same (HTML pages, session cookie) in the same run.

    .venv/bin/python bench/viewer_api.py                       # 1, 8 and 32 clients, 5 s each
    .venv/bin/python bench/viewer_api.py --seconds 10 --clients 1 8 32 64 --titles 200 --workers 2

A throwaway data folder (var/bench/viewer-api-data/, SQLite) holds a platform with `--titles`
playable films in a few genres and one subscribed viewer with an app token (app_auth.issue) and a
browser session. The server is `kinomost serve` as `make run` starts it (bench/delivery.py's
Embedded). Each client is a process with one keep-alive HTTP connection that repeats one request
for the duration, recording every latency; a start or heartbeat client first opens its own
playback session (the stream limit is lifted for the run). Any answer that is not 200 is counted;
a run with refusals is invalid.

Both sides go through the same selectors (cinema.watch) and services (playback), so the ratio says
what the API's own layer costs: JSON must not cost more than HTML (API p50 / web p50 ≤ 1.0).
Prints a table and writes bench/results/viewer_api.json. On a shared machine figures move by
tens of percent between runs: compare only the two columns of one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import subscriber
from delivery import Embedded

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench" / "viewer-api-data"
PASSWORD = "correct horse battery staple"
GENRES = ["drama", "comedy", "war", "thriller"]
OPERATIONS = ("home", "title", "start", "heartbeat")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--titles", type=int, default=30, help="playable films on the platform")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("KINOMOST_WEB_WORKERS", "1")))
    args = parser.parse_args()
    env = _environment()
    fixture = _storefront(args.titles)
    load = os.getloadavg()
    print(
        f"{args.titles} playable titles; {args.workers} server worker(s); {os.cpu_count()} CPUs; load average before {load[0]:.2f}; "
        f"{args.seconds:g} s per measurement"
    )
    rows = []
    with Embedded(env, args.workers) as server:
        for operation in OPERATIONS:
            for clients in args.clients:
                measured = {side: _measure(server.url, fixture, operation, side, clients, args.seconds) for side in ("web", "api")}
                rows.append({"operation": operation, "clients": clients, **measured})
                _print_row(rows[-1])
    bad = [(r["operation"], r["clients"], side) for r in rows for side in ("web", "api") if r[side]["errors"]]
    out = ROOT / "bench" / "results" / "viewer_api.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"titles": args.titles, "workers": args.workers, "seconds": args.seconds, "load_before": load[0], "rows": rows}, indent=2
        )
    )
    print(f"written {out.relative_to(ROOT)}")
    if bad:
        sys.exit(f"invalid run: refusals in {bad}")


def _environment() -> dict:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    env = dict(
        os.environ,
        KINOMOST_DATA_DIR=str(DATA),
        KINOMOST_STREAM_SECRET="bench-viewer-api-secret-0123456789",
        DJANGO_SETTINGS_MODULE="kinomost.settings",
        KINOMOST_CINEMA_MAX_STREAMS="1000000000",
        KINOMOST_APP_ACCESS_SECONDS="36000",
        KINOMOST_CINEMA_TOKEN_SECONDS="3600",
    )
    for name in ("KINOMOST_DATABASE_URL", "KINOMOST_CINEMA_HLS_DIR", "KINOMOST_REDIS_URL"):
        env.pop(name, None)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def _storefront(count: int) -> dict:
    """A platform with `count` ready, licensed films and a subscribed viewer signed in both ways."""

    from kinomost.catalog.services import WorkInput, save_work
    from kinomost.cinema import app_auth, services
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
        media=["svod", "tvod", "est"],
        languages=["ru", "en"],
    )
    works = [
        save_work(
            org,
            WorkInput(
                ref=f"BENCH-{n:04d}",
                kind="feature",
                titles={"ru": f"Фильм {n}", "en": f"Film {n}"},
                ratings=[("RU", "MKRF", "12+")],
                genres=[GENRES[n % len(GENRES)]],
            ),
            reindex=False,
        )[0]
        for n in range(1, count + 1)
    ]
    ledger.record_holding(
        org,
        ledger.TermInput(works=works, territories="RU", media=["svod", "tvod", "est"], start="2020-01-01"),
        contract=ledger.ContractInput(reference="BENCH-ACQ"),
    )
    subscriber.ready_packages(org, platform, works)
    viewer, _client, cookie, csrf = subscriber.signed_in_subscriber(platform, PASSWORD)
    film = works[len(works) // 2].pk
    web, api = f"/watch/{org.slug}/{platform.slug}/", f"/api/v1/viewer/{org.slug}/{platform.slug}/"
    return {
        "web": {
            "headers": {"Cookie": cookie, "X-CSRFToken": csrf, "Accept": "application/json", "Content-Type": "application/json"},
            "page_headers": {"Cookie": cookie},
            "home": web,
            "title": f"{web}titles/{film}/",
            "start": f"{web}play/{film}/start/",
            "heartbeat": web + "sessions/{session}/heartbeat/",
        },
        "api": {
            "headers": {
                "Authorization": f"Bearer {app_auth.issue(viewer, device_name='bench').access_token}",
                "Content-Type": "application/json",
            },
            "home": api + "home",
            "title": f"{api}titles/{film}",
            "start": f"{api}titles/{film}/play",
            "heartbeat": api + "sessions/{session}/heartbeat",
        },
    }


def _measure(base_url: str, fixture: dict, operation: str, side: str, clients: int, seconds: float) -> dict:
    host, port = base_url.removeprefix("http://").split(":")
    jobs = [(host, int(port), fixture[side], operation, side, seconds) for _ in range(clients)]
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        results = pool.starmap(_client, jobs)
    latencies = sorted(x for r in results for x in r["latencies"])
    total = len(latencies)
    return {
        "requests": total,
        "rps": round(total / seconds, 1),
        "errors": sum(r["errors"] for r in results),
        "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p95_ms": round(latencies[min(total - 1, math.ceil(0.95 * total) - 1)] * 1000, 2) if latencies else None,
    }


def _client(host: str, port: int, side: dict, operation: str, which: str, seconds: float) -> dict:
    """One keep-alive connection repeating one request for `seconds`; start/heartbeat POST."""
    conn = http.client.HTTPConnection(host, port, timeout=600)
    headers = side["headers"] if operation in ("start", "heartbeat") or which == "api" else side["page_headers"]
    path, method, body = side[operation], "GET", None
    if operation in ("start", "heartbeat"):
        method, body = "POST", b"{}"
    if operation == "heartbeat":
        status, answer = _request(conn, "POST", side["start"], headers, b"{}")
        session = json.loads(answer).get("session") or json.loads(answer).get("session_id")
        path, body = path.format(session=session), json.dumps({"position": 10, "seconds": 0}).encode()
    latencies, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            status, _answer = _request(conn, method, path, headers, body)
        except OSError:  # a timeout or a dropped connection counts as a refusal; go on with a new one
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=600)
        latencies.append(time.perf_counter() - began)
        errors += status != 200
    conn.close()
    return {"latencies": latencies, "errors": errors}


def _request(conn, method, path, headers, body) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def _print_row(row: dict) -> None:
    web, api = row["web"], row["api"]
    ratio = api["p50_ms"] / web["p50_ms"] if web["p50_ms"] and api["p50_ms"] else float("nan")
    rps_ratio = web["rps"] / api["rps"] if api["rps"] else float("nan")
    if row["operation"] == OPERATIONS[0] and row["clients"] == 1:
        print(
            f"{'operation':<10} {'clients':>7} | {'web p50':>8} {'p95':>8} {'req/s':>7} | {'api p50':>8} {'p95':>8} {'req/s':>7} | "
            f"{'p50 api/web':>11} {'req/s web/api':>13} | errors"
        )
    print(
        f"{row['operation']:<10} {row['clients']:>7} | {web['p50_ms']:>8} {web['p95_ms']:>8} {web['rps']:>7} | {api['p50_ms']:>8} "
        f"{api['p95_ms']:>8} {api['rps']:>7} | {ratio:>11.2f} {rps_ratio:>13.2f} | {web['errors']}/{api['errors']}"
    )


if __name__ == "__main__":
    main()
