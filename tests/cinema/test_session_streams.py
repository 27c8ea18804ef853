"""Playback sessions through real servers: `kinomost serve` (the paths in front of Django) and the
shipped deploy/nginx.conf in a real nginx in front of it, on a real encrypted package.

With the short-lived token lifetime set to 3 s and every "still live?" answer kept only 1 s,
ffmpeg (in real time, `-re`) plays a 14-second stream to its end from the master URL alone — no
cookie, no heartbeat, no rewriting. After a stop, a revocation or the licence's end, the next
segment and key requests are refused by both servers. A heartbeat reaches its session through
the server's own folder, and one the server took before being killed is kept."""

import json
from concurrent.futures import ThreadPoolExecutor
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from kinomost.cinema import ffmpeg, mediafile, playback, services, storefront
from kinomost.cinema import probe as probe_module
from kinomost.cinema.services import IngestRequest
from kinomost.cinema.viewing_models import PlaybackSession
from kinomost.cinema.worker import run_worker
from kinomost.rights import ledger

from .conftest import make_clip
from .servers import database_url, free_port, wait_for_port
from .test_playback_nginx import NGINX, SECRET, shipped_site, start_nginx
from .viewing import hold, main_profile, make_platform, viewer_of

APP_ORIGIN = f"http://localhost:{free_port()}"  # a registered app on another origin (localhost: a secure context)
CLIP_SECONDS = 14  # three 6-second segments (6, 6, 2): longer than the 3-second token lifetime

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served(tmp_path, settings):
    """`kinomost serve` on the test database and this test's folders, and nginx in front of it."""
    settings.CINEMA_STREAM_SECRET = SECRET
    settings.CINEMA_TOKEN_SECONDS = 3
    port = free_port()
    env = dict(
        os.environ,
        KINOMOST_DATA_DIR=str(tmp_path / "data"),
        KINOMOST_CINEMA_HLS_DIR=str(settings.CINEMA_HLS_ROOT),
        KINOMOST_CINEMA_PRIVATE_DIR=str(settings.CINEMA_PRIVATE_ROOT),
        KINOMOST_STREAM_SECRET=SECRET,
        KINOMOST_SECRET_KEY=settings.SECRET_KEY,
        KINOMOST_DATABASE_URL=database_url(),
        KINOMOST_DB_CONN_MAX_AGE="0",
        KINOMOST_CINEMA_TOKEN_SECONDS="3",
        KINOMOST_CINEMA_LIVE_CACHE_SECONDS="1",
        KINOMOST_CINEMA_BEAT_FLUSH_SECONDS="0.5",
        KINOMOST_APP_ORIGINS=APP_ORIGIN,
    )
    env.pop("KINOMOST_REDIS_URL", None)
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("kinomost")), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if not wait_for_port(port, proc, 60):
        proc.kill()
        pytest.fail(f"kinomost serve did not start: {log_path.read_text()}")
    front = {"serve": f"http://127.0.0.1:{port}", "proc": proc, "log": log_path}
    nginx_proc = None
    if NGINX is not None:
        nginx_port = free_port()
        (tmp_path / "nginx").mkdir()
        site = shipped_site(tmp_path / "nginx", nginx_port, Path(settings.CINEMA_HLS_ROOT), upstream=port, app_origin=APP_ORIGIN)
        nginx_proc = start_nginx(tmp_path / "nginx", site, nginx_port)
        front["nginx"] = f"http://127.0.0.1:{nginx_port}"
    yield front
    if nginx_proc is not None:
        nginx_proc.terminate()
        nginx_proc.wait(timeout=10)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    log.close()


@pytest.fixture
def package(tmp_path, org_a, operator):
    """A real encrypted package of a 14-second film the demo-like viewer may play."""
    from kinomost.catalog import services as catalog

    film = catalog.save_work(
        org_a, catalog.WorkInput(ref="LONG-1", kind="feature", titles={"en": "Long"}, ratings=[("RU", "MKRF", "12+")])
    )[0]
    master = make_clip(tmp_path / "long.mp4", seconds=CLIP_SECONDS, languages=("rus",))
    platform = make_platform(org_a)
    services.start_ingest(operator, IngestRequest(work=film, master=master, platform=platform, ladder=[144]))
    assert run_worker(until_empty=True) == 1
    hold(org_a, [film])
    return {"film": film, "platform": platform, "viewer": viewer_of(platform)}


def start(package, viewer=None):
    viewer = viewer or package["viewer"]
    profile = main_profile(viewer)
    viewing = storefront.Viewing(platform=package["platform"], territory=viewer.country, max_age=profile.max_age)
    return playback.start(viewer, profile, viewing, package["film"].pk)


def status(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def play_with_ffmpeg(master_url: str, tmp_path: Path, name: str) -> tuple[float, float]:
    """ffmpeg in real time from the master URL alone, picture and sound: (seconds decoded, seconds
    it took)."""
    began = time.monotonic()
    out = tmp_path / f"{name}.ts"
    proc = subprocess.run(
        [ffmpeg.ffmpeg_exe(), "-v", "error", "-re", "-i", master_url, "-map", "0:v:0", "-map", "0:a:0", "-c", "copy", "-y", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    took = time.monotonic() - began
    # The wheel's ffmpeg 9, through nginx, sometimes ends a complete run with this one line (the
    # duration below still shows every segment was played); anything else is a failure.
    complaints = [
        line for line in proc.stderr.splitlines() if line.strip() and not line.endswith("Error during demuxing: Input/output error")
    ]
    assert proc.returncode == 0 and not complaints, proc.stderr
    probe = subprocess.run(
        [ffmpeg.ffmpeg_exe(), "-v", "error", "-i", str(out), "-f", "null", "-"], capture_output=True, text=True, check=False
    )
    assert probe.returncode == 0 and not probe.stderr.strip(), probe.stderr
    return probe_module.probe(out, mediafile.MASTER_CONTAINERS).duration, took  # with or without ffprobe


def test_ffmpeg_plays_a_session_longer_than_the_token_lifetime_to_its_end(served, package, tmp_path):
    fronts = [front for front in ("serve", "nginx") if front in served]  # without nginx: the embedded server alone
    sessions = {front: start(package) for front in fronts}  # two streams, the viewer's limit: both fronts at once
    with ThreadPoolExecutor(len(fronts)) as pool:
        played = {
            front: pool.submit(play_with_ffmpeg, served[front] + started.master_url, tmp_path, front) for front, started in sessions.items()
        }
        for front, future in played.items():
            duration, took = future.result()
            assert duration >= CLIP_SECONDS - 0.5, (front, duration)  # to the end
            assert took >= CLIP_SECONDS - 1 > 3, (front, took)  # in real time: past the 3-second token lifetime
    for started in sessions.values():
        playback.stop(package["viewer"], started.session.public_id)
    assert "nginx" in served or NGINX is None


def _urls(started):
    folder = started.master_url.rsplit("/", 1)[0] + "/"
    rung = next(line for line in status_local(started.master_url).splitlines() if line.endswith(".m3u8") and "stream/" in line)
    return folder, folder + rung.rsplit("/", 1)[0] + "/seg_00001.ts"


def status_local(path: str) -> str:
    from django.test import Client

    return Client().get(path).content.decode()


def test_after_the_session_ends_the_next_segment_and_key_are_refused(served, package, org_a, settings):
    """Three sessions ended three ways: stopped, revoked (a takedown), the licence ended."""
    settings.CINEMA_MAX_STREAMS = 3
    fronts = [served[f] for f in ("serve", "nginx") if f in served]
    sessions = {ending: start(package) for ending in ("stop", "revoke", "licence ends")}
    urls = {ending: _urls(started) for ending, started in sessions.items()}
    for folder, segment in urls.values():
        for front in fronts:
            assert status(front + segment)[0] == 200 and status(front + folder + "key")[0] == 200
    playback.stop(package["viewer"], sessions["stop"].session.public_id)
    playback.revoke(PlaybackSession.objects.filter(pk=sessions["revoke"].session.pk), "takedown")
    assert status(served["serve"] + urls["licence ends"][1])[0] == 200  # the third still plays
    ledger.terminate(org_a, package["film"].right_atoms.first().contract, timezone.localdate())
    assert playback.end_lapsed() == 1  # what every folder runs every CINEMA_RECHECK_SECONDS
    time.sleep(2.5)  # the servers' liveness answers live 1 s here (nginx: 1–2 s)
    for ending, (folder, segment) in urls.items():
        for front in fronts:
            assert status(front + segment)[0] == 403, (front, ending)
            assert status(front + folder + "key")[0] == 403, (front, ending)
            assert status(front + sessions[ending].master_url)[0] == 403, (front, ending)


def test_the_media_playlist_names_the_sessions_key_and_cors_is_for_registered_apps(served, package):
    started = start(package)
    folder = started.master_url.rsplit("/", 1)[0] + "/"
    for front in [served[f] for f in ("serve", "nginx") if f in served]:
        _, _, master = status(front + started.master_url)
        rung = next(line for line in master.decode().splitlines() if line.startswith("stream/"))
        code, headers, playlist = status(front + folder + rung, {"Origin": APP_ORIGIN})
        assert code == 200 and f'URI="{folder}key"' in playlist.decode(), front
        assert headers.get("access-control-allow-origin") == APP_ORIGIN, front
        _, other, _ = status(front + folder + rung, {"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other, front


def test_heartbeats_reach_the_session_through_the_server_and_survive_its_death(served, package):
    started = start(package)
    PlaybackSession.objects.filter(pk=started.session.pk).update(last_heartbeat_at=timezone.now() - timedelta_s(20))
    url = served["serve"] + f"/playback/{started.session.public_id}/heartbeat"

    def beat(position, seconds, form="json"):
        """The JSON body, or the players' form: the numbers in the query and no body."""
        body = json.dumps({"position": position, "seconds": seconds}).encode() if form == "json" else b""
        request = urllib.request.Request(
            url if form == "json" else f"{url}?position={position}&seconds={seconds}",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {started.playback_token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    assert beat(9.0, 9.0) == 200
    assert beat(12.0, 3.0, form="query") == 200
    deadline = time.monotonic() + 10
    while PlaybackSession.objects.get(pk=started.session.pk).position != 12.0 and time.monotonic() < deadline:
        time.sleep(0.2)
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.position == 12.0 and session.seconds_watched == pytest.approx(12.0)  # both folded by the server within its flush
    time.sleep(1.0)  # past the flush interval (0.5 s)
    served["proc"].send_signal(signal.SIGKILL)  # killed outright: only beats younger than the last flush could be lost
    served["proc"].wait()
    _kill_group(served["proc"].pid)
    assert PlaybackSession.objects.get(pk=started.session.pk).position == 12.0


def timedelta_s(seconds):
    from datetime import timedelta

    return timedelta(seconds=seconds)


def _kill_group(pgid: int) -> None:
    """The server's worker processes too (it runs in a session of its own)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
