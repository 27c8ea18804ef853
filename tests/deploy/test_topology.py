"""The production profile on one machine (docs/deploy.md): nginx in front with the cluster site
(deploy/nginx-cluster.conf), two `kinomost serve` nodes and two `kinomost worker`s, each with a
data dir of its own standing in for a host, PostgreSQL, Redis and S3-compatible storage (moto's
server). A viewer signs in, starts a film and plays and beats through nginx; then one web node
and the worker transcoding the next film are killed mid-flight, and nothing is lost: the
playback goes on through the other node, the other worker finishes the job, every beat is in
the session.

Skipped, saying why, without nginx, PostgreSQL (the nodes share one database: run the suite
with KINOMOST_DATABASE_URL, as .ci/run's second pass does) or Redis on 127.0.0.1:6379."""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kinomost.cinema import beats, services
from kinomost.cinema.models import Asset, AssetStatus, IngestJob, JobState
from kinomost.cinema.services import IngestRequest
from kinomost.cinema.viewing_models import PlaybackSession

from ..cinema.conftest import make_clip
from ..cinema.servers import database_url, free_port, wait_for_port
from ..cinema.test_playback_nginx import NGINX, start_nginx
from ..cinema.test_s3 import moto_server, s3  # noqa: F401 (moto's S3 server and a fresh bucket)
from ..cinema.viewing import hold, make_platform, viewer_of
from ..conftest import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.topology, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SITE = ROOT / "deploy" / "nginx-cluster.conf"
REDIS_URL = "redis://127.0.0.1:6379/5"
SECRET = "topology-stream-secret-0123456789"
BEAT_SECONDS = 2.0


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def engines():
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian: nginx-light)")
    if connection.vendor != "postgresql":
        pytest.skip("the nodes share one database: PostgreSQL (run with KINOMOST_DATABASE_URL=postgresql://…)")
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")


class Host:
    """One process standing in for a machine: its own data dir, the profile's environment."""

    def __init__(self, name: str, folder: Path, command: list[str], env: dict):
        self.name, self.folder = name, folder
        folder.mkdir(parents=True)
        self.log = folder / "log"
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [str(Path(sys.executable).with_name("kinomost")), *command],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL to the whole process group: no graceful stop, as when a machine dies."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(30)


@pytest.fixture
def cluster(engines, s3, tmp_path, settings):  # noqa: F811 (the fixture imported above)
    """The profile's environment (deploy/cluster/kinomost.env with this test's values), 2+2 hosts, nginx."""
    settings.CINEMA_STREAM_SECRET = SECRET
    settings.REDIS_URL = REDIS_URL
    prefix = f"kinomost-topology-{uuid.uuid4().hex[:8]}:"
    settings.CINEMA_REDIS_PREFIX = prefix
    common = dict(
        os.environ,
        **s3.env,
        KINOMOST_DATABASE_URL=database_url(),
        KINOMOST_REDIS_URL=REDIS_URL,
        KINOMOST_REDIS_PREFIX=prefix,
        KINOMOST_STREAM_SECRET=SECRET,
        KINOMOST_SECRET_KEY=settings.SECRET_KEY,
        KINOMOST_TRUSTED_PROXIES="127.0.0.1",
        KINOMOST_CINEMA_LEASE_SECONDS="3",
        KINOMOST_CINEMA_BEAT_FLUSH_SECONDS="0.5",
        KINOMOST_CINEMA_READRATE="1",
        KINOMOST_WEB_WORKERS="1",
    )
    hosts, ports = [], [free_port(), free_port()]
    for i, port in enumerate(ports, 1):
        hosts.append(
            Host(
                f"web{i}",
                tmp_path / f"web{i}",
                ["serve", "--host", "127.0.0.1", "--port", str(port)],
                dict(common, KINOMOST_DATA_DIR=str(tmp_path / f"web{i}" / "data")),
            )
        )
    for i in (1, 2):
        hosts.append(
            Host(
                f"worker{i}",
                tmp_path / f"worker{i}",
                ["worker", "-v", "0"],
                dict(common, KINOMOST_DATA_DIR=str(tmp_path / f"worker{i}" / "data")),
            )
        )
    try:
        for host, port in zip(hosts[:2], ports, strict=True):
            assert wait_for_port(port, host.proc, 90), host.log.read_text()
        nginx_port = free_port()
        (tmp_path / "nginx").mkdir()
        site = cluster_site(nginx_port, ports)
        nginx = start_nginx(tmp_path / "nginx", site, nginx_port)
        yield {
            "url": f"http://127.0.0.1:{nginx_port}",
            "web": hosts[:2],
            "workers": hosts[2:],
            "ports": ports,
            "nginx_dir": tmp_path / "nginx",
        }
        nginx.terminate()
        nginx.wait(10)
    finally:
        for host in hosts:
            host.kill()
        _drop_redis_keys(prefix)


def cluster_site(port: int, nodes: list[int]) -> str:
    """deploy/nginx-cluster.conf as shipped, with this test's ports."""
    site = CLUSTER_SITE.read_text()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    upstream = "".join(f"    server 127.0.0.1:{node} max_fails=1 fail_timeout=30s;\n" for node in nodes)
    return re.sub(r"(upstream kinomost_nodes \{\n)(?:    server [^\n]+\n)+", lambda m: m.group(1) + upstream, site)


def _drop_redis_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


class Viewer:
    """A browser: cookies, CSRF, JSON — only through nginx."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == settings.CSRF_COOKIE_NAME)

    def sign_in(self, watch: str, email: str) -> None:
        status, page = self.request(watch + "login/")
        assert status == 200
        form = urllib.parse.urlencode({"username": email, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()}).encode()
        status, page = self.request(
            watch + "login/", form, {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + watch + "login/"}
        )
        assert status == 200, page  # redirected to the storefront, signed in
        assert any(c.name == settings.SESSION_COOKIE_NAME for c in self.jar)

    def start(self, watch: str, work_id: int) -> dict:
        status, body = self.request(
            f"{watch}play/{work_id}/start/",
            b"{}",
            {"X-CSRFToken": self.csrf(), "Content-Type": "application/json", "Referer": self.base + watch},
        )
        assert status == 200, body
        return json.loads(body)

    def beat(self, started: dict, position: float, seconds: float) -> int:
        """As the players beat: the numbers in the query, no body (docs/cinema.md)."""
        status, _ = self.request(
            f"{started['heartbeat_url']}?position={position}&seconds={seconds}",
            b"",
            {"Authorization": f"Bearer {started['playback_token']}"},
            "POST",
        )
        return status

    def play_a_segment(self, started: dict) -> None:
        """The master playlist, the first rung's playlist, its key and first segment: all 200."""
        folder = started["master_url"].rsplit("/", 1)[0] + "/"
        status, master = self.request(started["master_url"])
        assert status == 200, master
        rung = next(line for line in master.decode().splitlines() if line.startswith("stream/"))
        status, playlist = self.request(folder + rung)
        assert status == 200, playlist
        text = playlist.decode()
        key_line = next(line for line in text.splitlines() if line.startswith("#EXT-X-KEY"))
        key_url = re.search(r'URI="([^"]+)"', key_line).group(1)
        iv = bytes.fromhex(re.search(r"IV=0x([0-9a-fA-F]{32})", key_line).group(1))
        segment = next(line for line in text.splitlines() if line and not line.startswith("#"))
        status, key = self.request(urllib.parse.urljoin(folder + rung, key_url))
        assert status == 200 and len(key) == 16
        status, data = self.request(urllib.parse.urljoin(folder + rung, segment))
        assert status == 200
        assert _decrypt(data, key, iv)[:1] == b"\x47"  # it plays: an MPEG-TS packet once decrypted with the key


def _decrypt(data: bytes, key: bytes, iv: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def _job_owner(asset) -> str | None:
    job = IngestJob.objects.filter(asset=asset).order_by("-id").first()
    return job.lease_owner if job and job.state == JobState.RUNNING and job.current_step else None


def test_the_cluster_loses_nothing_when_a_web_node_and_a_worker_die(cluster, org_a, operator, tmp_path):
    platform = make_platform(org_a)
    first = _film(org_a, "TOPO-1", "First")
    second = _film(org_a, "TOPO-2", "Second")
    hold(org_a, [first, second])
    viewer_of(platform, email="viewer@topology.example")
    services.start_ingest(
        operator,
        IngestRequest(work=first, master=make_clip(tmp_path / "first.mp4", seconds=4, languages=("rus",)), platform=platform, ladder=[144]),
    )
    ready = _wait(lambda: Asset.objects.filter(work=first, status=AssetStatus.READY).first(), 240, "the first film's package")
    assert ready.status == AssetStatus.READY

    # The second film's ingest, then a viewer through nginx while it transcodes.
    services.start_ingest(
        operator,
        IngestRequest(
            work=second, master=make_clip(tmp_path / "second.mp4", seconds=12, languages=("rus",)), platform=platform, ladder=[144]
        ),
    )
    second_asset = Asset.objects.get(work=second)
    watch = f"/watch/{org_a.slug}/{platform.slug}/"
    viewer = Viewer(cluster["url"])
    viewer.sign_in(watch, "viewer@topology.example")
    started = viewer.start(watch, first.pk)
    viewer.play_a_segment(started)
    position = 0.0
    for _ in range(3):
        position += BEAT_SECONDS
        assert viewer.beat(started, position, BEAT_SECONDS) == 200

    # Mid-flight: the web node that answered so far (either may have) and the transcoding worker die.
    owner = _wait(lambda: _job_owner(second_asset), 120, "a worker transcoding the second film")
    victim = next(w for w in cluster["workers"] if owner.endswith(f":{w.proc.pid}"))
    victim.kill()
    cluster["web"][0].kill()
    for _ in range(4):  # the player goes on: nginx sends everything to the other node
        position += BEAT_SECONDS
        assert viewer.beat(started, position, BEAT_SECONDS) == 200
    viewer.play_a_segment(started)
    assert viewer.start(watch, first.pk)["master_url"]  # and a new play starts too

    # The other worker takes the job over once the lease lapses, and finishes it.
    job = _wait(
        lambda: IngestJob.objects.filter(asset=second_asset, state=JobState.DONE).first(),
        300,
        "the second film's job, finished by the other worker",
    )
    assert job.attempts >= 2 and Asset.objects.get(pk=second_asset.pk).status == AssetStatus.READY
    assert not job.lease_owner.endswith(f":{victim.proc.pid}")

    # Every beat is in the session: seven beats of 2 s, the last position.
    # A batch the killed node's folder had read but not acknowledged is claimed by the other
    # node's folder after CLAIM_IDLE_MS (30 s).
    session_id = started["session"]
    _wait(lambda: PlaybackSession.objects.get(public_id=session_id).position == position, 30, "the beats folded into the session")
    deadline = time.monotonic() + beats.CLAIM_IDLE_MS / 1000 + 15
    while time.monotonic() < deadline and PlaybackSession.objects.get(public_id=session_id).seconds_watched < 7 * BEAT_SECONDS:
        time.sleep(0.5)
    session = PlaybackSession.objects.get(public_id=session_id)
    assert session.position == position
    # Every second counts once: the claimed batch is older than beats the other node's folder
    # folded meanwhile, and the fold remembers the keys it folded (not only the newest).
    assert session.seconds_watched == pytest.approx(7 * BEAT_SECONDS, abs=0.01)


@pytest.fixture
def operator(org_a):
    from kinomost.parties.context import Actor
    from kinomost.parties.models import Role

    return Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR)


def _film(org, ref, title):
    from kinomost.catalog import services as catalog

    return catalog.save_work(org, catalog.WorkInput(ref=ref, kind="feature", titles={"en": title}, ratings=[("RU", "MKRF", "12+")]))[0]
