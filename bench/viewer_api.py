"""Viewer API benchmark: home, title, start and heartbeat through the viewer API (JSON, bearer
token) beside the web storefront answering the same (HTML pages, session cookie) in the same run.

    .venv/bin/python bench/viewer_api.py                       # 1, 8 and 32 clients, 5 rounds of 1 s a side
    .venv/bin/python bench/viewer_api.py --rounds 9 --slice 2 --clients 1 8 32 64 --titles 200 --workers 2

A throwaway data folder (var/bench/viewer-api-data/, SQLite) holds a platform with `--titles`
playable films in a few genres and one subscribed viewer with an app token (app_auth.issue) and a
browser session. The server is `kinomost serve` as `make run` starts it (bench/delivery.py's
Embedded). The clients are processes started once for the run, each with one keep-alive HTTP
connection a slice; for a measurement, `clients` of them repeat one request for a slice of time, recording
every latency. A start or heartbeat client first opens its own playback session (the stream limit
is lifted for the run). Any answer that is not 200 is counted; a run with refusals is invalid.

Made for a shared machine, where the load moves by tens of percent within seconds: web and API
are measured in alternating slices (round 1 web then API, round 2 API then web, ...), so both see
the same load, and the ratio is taken per round (API p50 / web p50 of that round) and reported as
the median over rounds with its range, beside the ratio of the pooled medians. The server's CPU
time (user + system of its process group, from /proc) is read around each slice: CPU ms per
request moves far less with the machine's load than latency does, so its ratio is the steadier
figure. Both sides go through the same selectors (cinema.watch) and services (playback), so the
ratios say what the API's own layer costs: JSON must not cost more than HTML (ratio ≤ 1.0).
Prints a table and writes bench/results/viewer_api.json.
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
SIDES = ("web", "api")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="alternating web/API slices per measurement")
    parser.add_argument("--slice", type=float, default=1.0, help="seconds of one side's slice in a round")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--operations", nargs="+", default=list(OPERATIONS), choices=OPERATIONS)
    parser.add_argument("--titles", type=int, default=30, help="playable films on the platform")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("KINOMOST_WEB_WORKERS", "1")))
    args = parser.parse_args()
    env = _environment()
    fixture = _storefront(args.titles)
    load = os.getloadavg()
    print(
        f"{args.titles} playable titles; {args.workers} server worker(s); {os.cpu_count()} CPUs; load average before "
        f"{load[0]:.2f}; {args.rounds} rounds of {args.slice:g} s a side per measurement"
    )
    rows = []
    with Embedded(env, args.workers) as server, Clients(server.url, fixture, max(args.clients)) as clients:
        for operation in args.operations:
            for count in args.clients:
                rows.append(_measure(server, clients, operation, count, args.rounds, args.slice))
                _print_row(rows[-1], first=len(rows) == 1)
    load_after = os.getloadavg()
    print(f"load average after {load_after[0]:.2f}")
    bad = [(r["operation"], r["clients"], side) for r in rows for side in SIDES if r[side]["errors"]]
    out = ROOT / "bench" / "results" / "viewer_api.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "titles": args.titles,
                "workers": args.workers,
                "rounds": args.rounds,
                "slice": args.slice,
                "load_before": load[0],
                "load_after": load_after[0],
                "rows": rows,
            },
            indent=2,
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


class Clients:
    """`count` client processes started once for the run (spawning 32 Pythons per measurement cost
    minutes and loaded the machine it measured); a measurement hands a slice to the first n."""

    def __init__(self, base_url: str, fixture: dict, count: int):
        host, port = base_url.removeprefix("http://").split(":")
        context = multiprocessing.get_context("spawn")
        self.pipes, self.processes = [], []
        for _ in range(count):
            mine, theirs = context.Pipe()
            process = context.Process(target=_client, args=(theirs, host, int(port), fixture), daemon=True)
            process.start()
            self.pipes.append(mine)
            self.processes.append(process)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for pipe in self.pipes:
            try:
                pipe.send(None)
            except OSError:  # that client already died (its traceback is printed)
                pass
        for process in self.processes:
            process.join(timeout=10)

    def run(self, count: int, side: str, operation: str, seconds: float) -> list[dict]:
        for pipe in self.pipes[:count]:
            pipe.send((side, operation, seconds))
        return [pipe.recv() for pipe in self.pipes[:count]]


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of every process in the server's session: `kinomost serve`
    and its granian workers (Embedded starts it in a session of its own)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # gone between listing and reading
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == pid:  # the session id
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _measure(server, clients: Clients, operation: str, count: int, rounds: int, seconds: float) -> dict:
    for side in SIDES:  # warm: connections, sessions for beats, the server's caches
        clients.run(count, side, operation, min(seconds, 0.5))
    latencies = {side: [] for side in SIDES}
    cpu = {side: 0.0 for side in SIDES}
    errors = {side: 0 for side in SIDES}
    per_round = []
    for n in range(rounds):
        medians = {}
        for side in SIDES if n % 2 == 0 else reversed(SIDES):
            before = _server_cpu(server.proc.pid)
            results = clients.run(count, side, operation, seconds)
            cpu[side] += _server_cpu(server.proc.pid) - before
            got = [x for r in results for x in r["latencies"]]
            latencies[side] += got
            errors[side] += sum(r["errors"] for r in results)
            medians[side] = statistics.median(got) if got else float("nan")
        per_round.append(round(medians["api"] / medians["web"], 3))
    row = {"operation": operation, "clients": count}
    for side in SIDES:
        ordered = sorted(latencies[side])
        total = len(ordered)
        row[side] = {
            "requests": total,
            "rps": round(total / (rounds * seconds), 1),
            "errors": errors[side],
            "p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else None,
            "p95_ms": round(ordered[min(total - 1, math.ceil(0.95 * total) - 1)] * 1000, 2) if ordered else None,
            "cpu_ms": round(cpu[side] * 1000 / total, 2) if total else None,
        }
    web, api = row["web"], row["api"]
    row["p50_ratio_rounds"] = per_round
    row["p50_ratio_median"] = round(statistics.median(per_round), 3)
    row["p50_ratio_pooled"] = round(api["p50_ms"] / web["p50_ms"], 3) if web["p50_ms"] and api["p50_ms"] else None
    row["cpu_ratio"] = round(api["cpu_ms"] / web["cpu_ms"], 3) if web["cpu_ms"] and api["cpu_ms"] else None
    return row


def _client(pipe, host: str, port: int, fixture: dict) -> None:
    """One client process: for each slice it is sent, one keep-alive connection repeating one request
    for that many seconds (start/heartbeat POST); sends back the latencies."""
    conn = http.client.HTTPConnection(host, port, timeout=600)
    sessions = {}  # side -> the playback session this client beats
    while (job := pipe.recv()) is not None:
        which, operation, seconds = job
        # A new connection per slice: the server closes a keep-alive connection left idle (clients
        # 9-32 wait through the 1- and 8-client measurements), and a send on it fails.
        conn.close()
        conn = http.client.HTTPConnection(host, port, timeout=600)
        side = fixture[which]
        headers = side["headers"] if operation in ("start", "heartbeat") or which == "api" else side["page_headers"]
        path, method, body = side[operation], "GET", None
        if operation in ("start", "heartbeat"):
            method, body = "POST", b"{}"
        latencies, errors = [], 0
        if operation == "heartbeat":
            if which not in sessions:
                _status, answer = _request(conn, "POST", side["start"], headers, b"{}")
                sessions[which] = json.loads(answer).get("session") or json.loads(answer).get("session_id")
            path, body = path.format(session=sessions[which]), json.dumps({"position": 10, "seconds": 0}).encode()
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
        pipe.send({"latencies": latencies, "errors": errors})
    conn.close()


def _request(conn, method, path, headers, body) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def _print_row(row: dict, first: bool) -> None:
    web, api = row["web"], row["api"]
    rounds = row["p50_ratio_rounds"]
    if first:
        print(
            f"{'operation':<10} {'clients':>7} | {'web p50':>8} {'p95':>8} {'req/s':>7} {'cpu ms':>7} | "
            f"{'api p50':>8} {'p95':>8} {'req/s':>7} {'cpu ms':>7} | {'p50 api/web: rounds (range)':>27} {'pooled':>6} | "
            f"{'cpu api/web':>11} | errors"
        )
    spread = f"{row['p50_ratio_median']:.2f} ({min(rounds):.2f}-{max(rounds):.2f})"
    cpu = f"{row['cpu_ratio']:.2f}" if row["cpu_ratio"] is not None else "n/a"
    print(
        f"{row['operation']:<10} {row['clients']:>7} | {web['p50_ms']:>8} {web['p95_ms']:>8} {web['rps']:>7} {web['cpu_ms']:>7} | "
        f"{api['p50_ms']:>8} {api['p95_ms']:>8} {api['rps']:>7} {api['cpu_ms']:>7} | {spread:>27} {row['p50_ratio_pooled']:>6.2f} | "
        f"{cpu:>11} | {web['errors']}/{api['errors']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
