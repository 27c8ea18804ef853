"""deploy/nginx.conf checks the very tokens cinema.tokens signs: a real nginx, where installed."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kinomost.cinema import storage, tokens

from .servers import free_port, http_status, wait_for_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
SECRET = "test-stream-secret-0123456789"

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light to run this check)")


def start_nginx(tmp_path, site: str, port: int) -> subprocess.Popen:
    """A real nginx with `site` (a server block) in its http block, all its files in tmp_path,
    answering on `port` once this returns."""
    (tmp_path / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read pytest's private tmp folder
    (tmp_path / "nginx.conf").write_text(
        f"{user} daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path}; "
        f"fastcgi_temp_path {tmp_path}; uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n"
    )
    proc = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], stderr=subprocess.PIPE)
    if not wait_for_port(port, proc, 10, pause=0.05) and proc.poll() is not None:
        pytest.fail(proc.stderr.read().decode())
    return proc


def shipped_site(tmp_path, port: int, hls, upstream: int | None = None, app_origin: str | None = None) -> str:
    """deploy/nginx.conf as shipped, with this test's port, folders, secret (and Kinomost's port,
    and an app origin for CORS, where given)."""
    site = CONF.read_text()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("/var/lib/kinomost/media/hls/", f"{hls}/")
    site = site.replace("/var/cache/nginx/kinomost-live", str(tmp_path / "live-cache"))
    site = site.replace("change-me-to-KINOMOST_STREAM_SECRET", SECRET)
    if upstream is not None:
        site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};")
    if app_origin is not None:
        site = site.replace('# "https://tv.example" $http_origin;', f'"{app_origin}" $http_origin;')
    return site


@pytest.fixture
def nginx(tmp_path, settings):
    settings.CINEMA_HLS_ROOT = tmp_path / "hls"
    settings.CINEMA_STREAM_SECRET = SECRET
    port = free_port()
    proc = start_nginx(tmp_path, shipped_site(tmp_path, port, tmp_path / "hls"), port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def _status(url: str) -> int:
    return http_status(url, timeout=5)


def test_nginx_serves_what_the_token_allows_and_nothing_else(nginx):
    asset, other = "0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    for public_id in (asset, other):
        folder = storage.asset_dir(public_id)
        (folder / "stream/180p").mkdir(parents=True)
        (folder / "master.m3u8").write_text("#EXTM3U\n")
        (folder / "stream/180p/seg_00000.ts").write_bytes(b"\x01" * 188)
        (folder / "stream/stream.json").write_text("{}")
    expires = tokens.expiry(300)
    assert _status(nginx + tokens.stream_url(asset, "master.m3u8", expires)) == 200
    assert _status(nginx + tokens.stream_url(asset, "stream/180p/seg_00000.ts", expires)) == 200
    assert _status(nginx + tokens.stream_url(asset, "stream/stream.json", expires)) == 404
    token = tokens.sign(asset, expires)
    assert _status(f"{nginx}/hls/{token}/{expires}/{other}/master.m3u8") == 403  # another asset
    assert _status(f"{nginx}/hls/{'A' * 22}/{expires}/{asset}/master.m3u8") == 403  # forged
    assert _status(f"{nginx}/hls/{token}/{expires + 1}/{asset}/master.m3u8") == 403  # expiry changed
    past = int(time.time()) - 5
    assert _status(nginx + tokens.stream_url(asset, "master.m3u8", past)) == 403  # expired
    assert _status(f"{nginx}/media/hls/{asset}/master.m3u8") == 404  # never without a token
