"""Delivery benchmark: HLS segments from the embedded server beside nginx serving the same files.

    .venv/bin/python bench/delivery.py                         # 10 s per measurement, 32 connections
    .venv/bin/python bench/delivery.py --seconds 20 --connections 64 --rounds 2

One published asset (a master playlist, a media playlist and `--segments` files of ~1 MB — a
480p rung's 6-second segment) in a throwaway data folder, var/bench/delivery-data/, with its
SQLite database. Three servers read that same folder:

- **nginx** (the anchor): the HLS location of deploy/nginx.conf as shipped (token check, file
  rules, types, headers), with Debian's defaults `sendfile on; tcp_nopush on;` and as many
  worker processes as the embedded server has;
- **embedded**: `kinomost serve --workers N`, exactly as `make run` starts it (granian, the HLS
  fast path of cinema/delivery.py in front of Django);
- **django** (for reference, `--no-django` skips it): the same granian serving Django alone
  (`kinomost.asgi:django_application`), i.e. views_stream.hls_file's FileResponse — the path the
  fast path replaced.

The same load generator, connections and duration for each: `wrk` (Debian package wrk) where
installed, cycling through the segments with a valid token, else a Python loader of
keep-alive http.client connections in as many processes (slower: the figures then say less
about the servers). Then, in the embedded server only: playback session starts per second
(POST …/play/<work>/start/ as a signed-in subscriber with a CSRF token; the stream limit is
lifted for the run) and key requests per second (GET /cinema/keys/<asset>/ inside a live
session). Any answer that is not 200 is counted and reported; a run with refusals is invalid.

Prints a table with the ratio to nginx and writes bench/results/delivery.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench" / "delivery-data"
VENV_BIN = Path(sys.executable).parent
SECRET = "bench-delivery-stream-secret-0123456789"
PASSWORD = "correct horse battery staple"
SEGMENT_BYTES = 5577 * 188  # 1,048,476 bytes: whole MPEG-TS packets, a 480p rung's 6 s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each measurement")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections of the load generator")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("KINOMOST_WEB_WORKERS", "1")),
        help="worker processes of the embedded server and of nginx (as make run: KINOMOST_WEB_WORKERS, 1)",
    )
    parser.add_argument("--segments", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="nginx and the embedded server alternate; the best round counts")
    parser.add_argument("--no-django", action="store_true", help="skip the reference run of Django's FileResponse")
    parser.add_argument("--python-loader", action="store_true", help="use the Python loader even where wrk is installed")
    args = parser.parse_args()

    nginx_bin = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx_bin is None:
        sys.exit("nginx is not installed: apt-get install -y nginx-light")
    env = _environment()
    fixture = _publish(args.segments)
    loader = Loader(args.connections, args.seconds, python=args.python_loader)
    load = os.getloadavg()
    print(
        f"load generator: {loader.name}; {args.connections} connections, {args.seconds} s each; "
        f"{args.workers} worker process(es) per server; {os.cpu_count()} CPUs; load average before {load[0]:.2f}"
    )
    print(f"asset {fixture['asset']}: {args.segments} segments of {SEGMENT_BYTES:,} bytes")

    segments: dict[str, list[dict]] = {"nginx": [], "embedded": [], "django": []}
    with Nginx(nginx_bin, args.workers) as nginx, Embedded(env, args.workers) as embedded:
        for url in (nginx.url, embedded.url):
            _check_same_bytes(url, fixture)
        for n in range(args.rounds):
            segments["nginx"].append(loader.segments(nginx.url, fixture))
            segments["embedded"].append(loader.segments(embedded.url, fixture))
            print(
                f"round {n + 1}: nginx {segments['nginx'][-1]['rps']:.1f} segments/s, "
                f"embedded {segments['embedded'][-1]['rps']:.1f} segments/s"
            )
        cookie, csrf = _signed_in(fixture)
        starts = loader.requests(embedded.url, fixture["start_path"], method="POST", cookie=cookie, csrf=csrf)
        keys = loader.requests(embedded.url, fixture["key_path"], cookie=cookie)
    if not args.no_django:
        with Embedded(env, args.workers, target="kinomost.asgi:django_application") as django_only:
            segments["django"].append(loader.segments(django_only.url, fixture))
    _report(args, loader, load, segments, starts, keys)


# ---------------------------------------------------------------------------------- the data


def _environment() -> dict:
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    env = dict(
        os.environ,
        KINOMOST_DATA_DIR=str(DATA),
        KINOMOST_STREAM_SECRET=SECRET,
        DJANGO_SETTINGS_MODULE="kinomost.settings",
        KINOMOST_CINEMA_MAX_STREAMS="1000000000",
        KINOMOST_CINEMA_TOKEN_SECONDS="3600",
    )
    env.pop("KINOMOST_DATABASE_URL", None)
    env.pop("KINOMOST_CINEMA_HLS_DIR", None)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def _publish(count: int) -> dict:
    """A ready asset of a film a subscriber may watch, its files written as the pipeline lays them out."""
    from datetime import timedelta

    from django.utils import timezone

    from kinomost.catalog.services import WorkInput, save_work
    from kinomost.cinema import services, storage, tokens
    from kinomost.cinema.models import Asset, AssetStatus
    from kinomost.cinema.viewers import sign_up
    from kinomost.cinema.viewing_models import Subscription
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
    term = ledger.TermInput(works=[work], territories="RU", media=["svod"], start="2020-01-01", end=None)
    ledger.record_holding(org, term, contract=ledger.ContractInput(reference="BENCH-ACQ"))
    asset = Asset.objects.create(
        organisation=org,
        work=work,
        platform=platform,
        key=os.urandom(16),
        iv=bytes(16),
        status=AssetStatus.READY,
        master_playlist="master.m3u8",
        duration=6.0 * count,
        ready_at=timezone.now(),
        ladder=[480],
    )
    folder = storage.asset_dir(asset.public_id)
    rung = folder / "stream" / "480p"
    rung.mkdir(parents=True)
    names = [f"seg_{i:05d}.ts" for i in range(count)]
    for name in names:
        (rung / name).write_bytes(os.urandom(SEGMENT_BYTES))
    media = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-TARGETDURATION:6",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        f'#EXT-X-KEY:METHOD=AES-128,URI="{storage.key_uri(asset.public_id)}",IV=0x{"00" * 16}',
    ]
    media += [line for name in names for line in ("#EXTINF:6.0,", name)] + ["#EXT-X-ENDLIST", ""]
    (rung / "index.m3u8").write_text("\n".join(media))
    (folder / "master.m3u8").write_text(
        '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1540000,RESOLUTION=854x480,CODECS="avc1.64001e,mp4a.40.2"\nstream/480p/index.m3u8\n'
    )
    viewer = sign_up(platform, email="viewer@bench.example", password=PASSWORD, country="RU")
    Subscription.objects.create(viewer=viewer, active_until=timezone.now() + timedelta(days=30), provider="test", reference="bench")
    base = tokens.asset_base(asset.public_id, tokens.expiry(3600))
    return {
        "asset": str(asset.public_id),
        "user": viewer.user,
        "folder": rung,
        "names": names,
        "segment_paths": [f"{base}stream/480p/{name}" for name in names],
        "start_path": f"/watch/{org.slug}/{platform.slug}/play/{work.pk}/start/",
        "key_path": f"/cinema/keys/{asset.public_id}/",
    }


def _signed_in(fixture) -> tuple[str, str]:
    """The viewer's session cookie (as a sign-in leaves it) and a CSRF token for the POSTs."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client()
    client.force_login(fixture["user"])
    csrf = _get_new_csrf_string()
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookie, csrf


def _check_same_bytes(base_url: str, fixture) -> None:
    """Both servers answer the first segment byte for byte (a benchmark of wrong answers says nothing)."""
    import urllib.request

    with urllib.request.urlopen(base_url + fixture["segment_paths"][0], timeout=10) as response:
        body = response.read()
        kind = response.headers["Content-Type"]
    if body != (fixture["folder"] / fixture["names"][0]).read_bytes() or kind != "video/mp2t":
        sys.exit(f"{base_url} did not serve the segment as published ({len(body)} bytes, {kind})")


# ---------------------------------------------------------------------------------- the servers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"{what} did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
            time.sleep(0.1)
    sys.exit(f"{what} did not listen on {port} within 60 s")


class Nginx:
    """deploy/nginx.conf's server block, pointed at the bench folder, its port and secret."""

    def __init__(self, binary: str, workers: int):
        self.binary, self.workers = binary, workers

    def __enter__(self):
        from django.conf import settings

        self.dir = Path(tempfile.mkdtemp(prefix="kinomost-bench-nginx-"))
        port = _free_port()
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
        site = site.replace("/var/lib/kinomost/media/hls/", f"{settings.CINEMA_HLS_ROOT}/")
        site = site.replace("change-me-to-KINOMOST_STREAM_SECRET", SECRET)
        (self.dir / "site.conf").write_text(site)
        user = "user root;" if os.geteuid() == 0 else ""
        temp = " ".join(f"{kind}_temp_path {self.dir};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (self.dir / "nginx.conf").write_text(
            f"{user} daemon off; worker_processes {self.workers}; pid {self.dir}/nginx.pid; error_log {self.dir}/error.log;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{ access_log off; sendfile on; tcp_nopush on; {temp} include {self.dir}/site.conf; }}\n"
        )
        self.proc = subprocess.Popen([self.binary, "-c", str(self.dir / "nginx.conf"), "-p", str(self.dir)], stderr=subprocess.PIPE)
        _wait_for(port, self.proc, "nginx")
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        shutil.rmtree(self.dir, ignore_errors=True)


class Embedded:
    """`kinomost serve` as `make run` starts it; or granian with another target for the reference run."""

    def __init__(self, env: dict, workers: int, target: str | None = None):
        self.env, self.workers, self.target = env, workers, target

    def __enter__(self):
        port = _free_port()
        if self.target is None:
            command = [str(VENV_BIN / "kinomost"), "serve", "--port", str(port), "--workers", str(self.workers)]
        else:
            command = [
                str(VENV_BIN / "granian"),
                "--interface",
                "asginl",
                "--port",
                str(port),
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                "--workers-kill-timeout",
                "10",
                self.target,
            ]
        self.proc = subprocess.Popen(command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        _wait_for(port, self.proc, " ".join(command))
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: the server and its workers
            self.proc.wait()


# ---------------------------------------------------------------------------------- the load


class Loader:
    """wrk when installed, else keep-alive http.client connections in processes; the same for every server."""

    def __init__(self, connections: int, seconds: int, python: bool = False):
        self.connections, self.seconds = connections, seconds
        self.wrk = None if python else shutil.which("wrk")
        self.name = f"wrk ({self.wrk})" if self.wrk else "Python http.client, one process per connection"

    def segments(self, base_url: str, fixture) -> dict:
        return self._run(base_url, fixture["segment_paths"], "GET", {})

    def requests(self, base_url: str, path: str, *, method="GET", cookie="", csrf="") -> dict:
        headers = {"Cookie": cookie, "Accept": "application/json"}
        if csrf:
            headers.update({"X-CSRFToken": csrf, "Content-Type": "application/json"})
        return self._run(base_url, [path], method, headers)

    def _run(self, base_url: str, paths: list[str], method: str, headers: dict) -> dict:
        if self.wrk:
            return self._wrk(base_url, paths, method, headers)
        return _python_load(base_url, paths, method, headers, self.connections, self.seconds)

    def _wrk(self, base_url: str, paths: list[str], method: str, headers: dict) -> dict:
        script = ["local paths = {" + ", ".join(json.dumps(p) for p in paths) + "}", "local i = 0", f"wrk.method = {json.dumps(method)}"]
        script += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
        script += ["request = function()", "  i = i % #paths + 1", "  return wrk.format(nil, paths[i])", "end"]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write("\n".join(script) + "\n")
        try:
            threads = max(1, min(self.connections, os.cpu_count() or 1))
            out = subprocess.run(
                [self.wrk, f"-t{threads}", f"-c{self.connections}", f"-d{self.seconds}s", "--timeout", "30s", "-s", lua.name, base_url],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            os.unlink(lua.name)
        total = int(re.search(r"(\d+) requests in", out).group(1))
        errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
        socket_errors = (
            sum(int(x) for x in m.groups())
            if (m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out))
            else 0
        )
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        size = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", out)
        mb = float(size.group(1)) * {"B": 1e-6, "KB": 1024 / 1e6, "MB": 1024**2 / 1e6, "GB": 1024**3 / 1e6}[size.group(2)]
        return {"requests": total, "rps": rps, "mb_per_s": mb, "errors": errors, "socket_errors": socket_errors}


def _python_load(base_url, paths, method, headers, connections, seconds) -> dict:
    host, port = base_url.removeprefix("http://").split(":")
    with multiprocessing.get_context("spawn").Pool(connections) as pool:
        results = pool.starmap(_one_connection, [(host, int(port), paths, method, headers, seconds, n) for n in range(connections)])
    total = sum(r[0] for r in results)
    return {
        "requests": total,
        "rps": total / seconds,
        "mb_per_s": sum(r[1] for r in results) / seconds / 1e6,
        "errors": sum(r[2] for r in results),
        "socket_errors": 0,
    }


def _one_connection(host, port, paths, method, headers, seconds, offset) -> tuple[int, int, int]:
    import http.client

    conn = http.client.HTTPConnection(host, port, timeout=30)
    done = size = errors = 0
    end = time.monotonic() + seconds
    i = offset
    while time.monotonic() < end:
        conn.request(method, paths[i % len(paths)], body=b"{}" if method == "POST" else None, headers=headers)
        response = conn.getresponse()
        body = response.read()
        done, size, i = done + 1, size + len(body), i + 1
        errors += response.status != 200
        if response.will_close:
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.close()
    return done, size, errors


# ---------------------------------------------------------------------------------- the report


def _report(args, loader, load_before, segments, starts, keys) -> None:
    best = {name: max(runs, key=lambda r: r["rps"]) for name, runs in segments.items() if runs}
    anchor = best["nginx"]["rps"]
    rows = [("segments/s", name, best[name]) for name in ("nginx", "embedded", "django") if name in best]
    rows += [("session starts/s", "embedded", starts), ("key requests/s", "embedded", keys)]
    print(f"\n{'what':<18} {'server':<9} {'per second':>11} {'MB/s':>8} {'ratio to nginx':>15} {'not 200':>8}")
    for what, server, result in rows:
        ratio = f"{result['rps'] / anchor:.2f}×" if what == "segments/s" else "—"
        print(
            f"{what:<18} {server:<9} {result['rps']:>11.1f} {result['mb_per_s']:>8.1f} {ratio:>15} "
            f"{result['errors'] + result['socket_errors']:>8}"
        )
    ratio = best["embedded"]["rps"] / anchor
    print(f"\nembedded / nginx segments per second: {ratio:.2f}× (goal ≥ 0.6×)")
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    refused = [f"{what} ({server})" for what, server, r in rows if r["errors"] or r["socket_errors"]]
    if refused:
        print("WARNING: answers other than 200 in: " + ", ".join(refused) + " — those figures are not valid")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "delivery.json").write_text(
        json.dumps(
            {
                "loader": loader.name,
                "connections": args.connections,
                "seconds": args.seconds,
                "workers": args.workers,
                "segment_bytes": SEGMENT_BYTES,
                "segments": args.segments,
                "cpus": os.cpu_count(),
                "load_average_before": load_before,
                "load_average_after": load_after,
                "segments_per_second": {name: runs for name, runs in segments.items() if runs},
                "ratio_embedded_to_nginx": round(ratio, 3),
                "session_starts": starts,
                "key_requests": keys,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written: {out / 'delivery.json'}")


if __name__ == "__main__":
    main()
