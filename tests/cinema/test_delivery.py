"""HLS delivery in the embedded server: `kinomost serve` (granian) answers /hls/ itself
(cinema/delivery.py) with the rules of views_stream and deploy/nginx.conf, and everything else
still reaches Django. Most tests drive a real server process on a free port."""

import asyncio
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kinomost.cinema import delivery, storage, tokens
from kinomost.parties import services as parties
from kinomost.parties.models import Role

from .servers import database_url, free_port, wait_for_port
from .test_playback_nginx import NGINX, nginx  # noqa: F401 (the shipped deploy/nginx.conf in a real nginx)

SECRET = "test-stream-secret-0123456789"
ASSET, OTHER = "0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"
SEGMENT = bytes(range(256)) * 4096 + b"tail"  # 1 MB and a bit: more than one chunk of the fallback
MASTER = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=300000\nstream/180p/index.m3u8\n"


def publish(root: Path) -> None:
    """Two assets laid out as the pipeline publishes them, with the files that must stay unserved."""
    for public_id in (ASSET, OTHER):
        folder = root / public_id
        (folder / "stream/180p").mkdir(parents=True, exist_ok=True)
        (folder / "stream.partial-0a1b2c/180p").mkdir(parents=True, exist_ok=True)
        (folder / "subs.tmp-0a1b2c").mkdir(parents=True, exist_ok=True)
        (folder / "subs.tmp-0a1b2c/index.m3u8").write_text("#EXTM3U\n")
        (folder / "master.m3u8").write_text(MASTER)
        (folder / "stream/180p/index.m3u8").write_text("#EXTM3U\n#EXTINF:6.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n")
        (folder / "stream/180p/seg_00000.ts").write_bytes(SEGMENT)
        (folder / "stream/180p/seg_00001.ts.tmp-0a1b2c").write_bytes(SEGMENT)
        (folder / "stream.partial-0a1b2c/180p/seg_00000.ts").write_bytes(SEGMENT)
        (folder / "stream/stream.json").write_text("{}")


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup):
    """`kinomost serve` as `make run` starts it, on the test database and its own folders."""
    data = tmp_path_factory.mktemp("served")
    command = [str(Path(sys.executable).with_name("kinomost")), "serve", "--port", str(port := free_port())]
    env = dict(
        os.environ,
        KINOMOST_DATA_DIR=str(data),
        KINOMOST_CINEMA_HLS_DIR=str(data / "hls"),
        KINOMOST_CINEMA_PRIVATE_DIR=str(data / "private"),
        KINOMOST_STREAM_SECRET=SECRET,
        KINOMOST_DATABASE_URL=database_url(),
        KINOMOST_DB_CONN_MAX_AGE="0",
    )
    log = (data / "serve.log").open("wb")  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if not wait_for_port(port, proc, 60):
        proc.kill()
        pytest.fail(f"kinomost serve did not start: {(data / 'serve.log').read_text()}")
    publish(data / "hls")
    yield {"port": port, "hls": data / "hls", "private": data / "private"}
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the server and its workers
        proc.wait()
    log.close()


@pytest.fixture
def signing(settings):
    settings.CINEMA_STREAM_SECRET = SECRET


def fetch(port: int, path: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    """One raw request: http.client sends the path as given (no `..` folding, unlike browsers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_a_valid_token_serves_the_published_bytes(server, signing):
    expires = tokens.expiry(300)
    status, headers, body = fetch(server["port"], tokens.stream_url(ASSET, "stream/180p/seg_00000.ts", expires))
    assert status == 200 and body == SEGMENT
    assert headers["content-type"] == "video/mp2t" and int(headers["content-length"]) == len(SEGMENT)
    assert headers["cache-control"] == "private, max-age=3600" and headers["x-content-type-options"] == "nosniff"
    status, headers, body = fetch(server["port"], tokens.stream_url(ASSET, "master.m3u8", expires))
    assert status == 200 and body == MASTER.encode() and headers["content-type"] == "application/vnd.apple.mpegurl"
    # HEAD: the headers of the file, no body (as nginx answers it)
    status, headers, body = fetch(server["port"], tokens.stream_url(ASSET, "stream/180p/seg_00000.ts", expires), "HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) == len(SEGMENT)


def test_requests_without_a_valid_token_are_refused(server, signing):
    port, expires = server["port"], tokens.expiry(300)
    token = tokens.sign(ASSET, expires)
    assert fetch(port, f"/hls/nothing/{expires}/{ASSET}/master.m3u8")[0] == 403  # no token
    assert fetch(port, f"/hls/{'A' * 22}/{expires}/{ASSET}/master.m3u8")[0] == 403  # forged
    assert fetch(port, f"/hls/{token}/{expires}/{OTHER}/master.m3u8")[0] == 403  # another asset's token
    assert fetch(port, f"/hls/{token}/{expires + 1}/{ASSET}/master.m3u8")[0] == 403  # expiry changed
    assert fetch(port, tokens.stream_url(ASSET, "master.m3u8", int(time.time()) - 5))[0] == 403  # expired
    assert fetch(port, tokens.stream_url(ASSET, "stream/180p/seg_00000.ts", int(time.time()) - 5), "HEAD")[0] == 403
    assert fetch(port, f"/media/hls/{ASSET}/master.m3u8")[0] == 404  # never without a token


def test_files_that_are_not_published_are_not_found(server, signing):
    port, expires = server["port"], tokens.expiry(300)
    for relative in (
        "stream/stream.json",
        "stream.partial-0a1b2c/180p/seg_00000.ts",
        "stream/180p/seg_00001.ts.tmp-0a1b2c",
        "subs.tmp-0a1b2c/index.m3u8",
        "stream/180p/seg_00099.ts",
        f"../{OTHER}/master.m3u8",
        f"stream/../../{OTHER}/master.m3u8",
        "stream/180p/../../master.m3u8",
        "stream/180p",
    ):
        assert fetch(port, tokens.stream_url(ASSET, relative, expires))[0] == 404, relative
    assert fetch(port, tokens.stream_url(ASSET, "stream/stream.json", expires), "HEAD")[0] == 404


def test_a_null_byte_in_the_file_name_is_not_found_not_a_server_error(server, signing):
    """`master.m3u8%00.ts` once reached the file system calls, which raise on NUL: a 500."""
    port, expires = server["port"], tokens.expiry(300)
    for relative in ("master.m3u8%00.ts", "master.m3u8%00", "stream/180p/seg_00000.ts%0A", "master%01.m3u8"):
        assert fetch(port, tokens.stream_url(ASSET, relative, expires))[0] == 404, relative


@pytest.mark.django_db
def test_the_django_view_answers_a_null_byte_with_not_found(client, published):
    url = tokens.stream_url(ASSET, "master.m3u8", tokens.expiry(300))
    assert client.get(url).status_code == 200
    assert client.get(url + "%00.ts").status_code == 404
    assert client.head(url.replace("master.m3u8", "stream/%00/seg_00000.ts")).status_code == 404


def test_a_link_out_of_the_asset_folder_is_not_followed(server, signing, tmp_path):
    secret_file = tmp_path / "elsewhere.ts"
    secret_file.write_bytes(b"not published")
    link = server["hls"] / ASSET / "stream/180p/seg_00042.ts"
    link.symlink_to(secret_file)
    assert fetch(server["port"], tokens.stream_url(ASSET, "stream/180p/seg_00042.ts", tokens.expiry(300)))[0] == 404


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light to run this check)")
def test_the_embedded_server_answers_as_nginx_does(server, nginx, signing, tmp_path):
    publish(tmp_path / "hls")
    expires, past = tokens.expiry(300), int(time.time()) - 5
    token = tokens.sign(ASSET, expires)
    paths = [
        tokens.stream_url(ASSET, name, expires)
        for name in (
            "master.m3u8",
            "stream/180p/index.m3u8",
            "stream/180p/seg_00000.ts",
            "stream/stream.json",
            "stream.partial-0a1b2c/180p/seg_00000.ts",
            "stream/180p/seg_00001.ts.tmp-0a1b2c",
            "subs.tmp-0a1b2c/index.m3u8",
            "stream/180p/missing.ts",
        )
    ]
    paths += [
        f"/hls/{token}/{expires}/{OTHER}/master.m3u8",
        f"/hls/{'A' * 22}/{expires}/{ASSET}/master.m3u8",
        tokens.stream_url(ASSET, "master.m3u8", past),
        f"/media/hls/{ASSET}/master.m3u8",
    ]
    port = int(nginx.rsplit(":", 1)[1])
    compared = ("content-type", "content-length", "cache-control", "x-content-type-options")
    for path in paths:
        for method in ("GET", "HEAD"):
            theirs, ours = fetch(port, path, method), fetch(server["port"], path, method)
            assert ours[0] == theirs[0], (method, path)
            if theirs[0] == 200:
                assert ours[2] == theirs[2], (method, path)
                assert {k: ours[1].get(k) for k in compared} == {k: theirs[1].get(k) for k in compared}, (method, path)


@pytest.mark.django_db(transaction=True)
def test_pages_static_files_and_a_16_mb_upload_chunk_still_reach_django(server, org_a):
    port = server["port"]
    status, headers, body = fetch(port, "/login/")
    assert status == 200 and headers["content-type"].startswith("text/html") and b"<form" in body
    status, headers, body = fetch(port, "/static/cinema/player.js")
    assert status == 200 and b"hls" in body.lower()
    token = parties.create_api_key(organisation=org_a, name="uploader", role=Role.PLATFORM_OPERATOR)[1]
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    chunk = os.urandom(16 * 1024 * 1024)
    status, _, body = fetch(port, "/api/v1/cinema/uploads", "POST", f'{{"filename": "film.mp4", "size": {len(chunk)}}}'.encode(), auth)
    assert status == 201, body
    upload = json.loads(body)["id"]
    status, _, body = fetch(
        port, f"/api/v1/cinema/uploads/{upload}?offset=0", "PUT", chunk, {**auth, "Content-Type": "application/octet-stream"}
    )
    assert status == 200, body
    status, _, body = fetch(port, f"/api/v1/cinema/uploads/{upload}", headers=auth)
    state = json.loads(body)
    assert state["complete"] and state["offset"] == len(chunk)


# The ASGI wrapper alone, with and without the server's pathsend extension --------------------


def call(app, scope) -> list[dict]:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # In a thread of its own: a browser test earlier in the session may leave a loop running here.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app({"type": "http", "headers": [], **scope}, receive, send)).result()
    return sent


class Django:
    """Stands for the Django application behind the wrapper: records what reached it."""

    def __init__(self):
        self.seen = []

    async def __call__(self, scope, receive, send):
        self.seen.append((scope.get("method"), scope.get("path")))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"django"})


@pytest.fixture
def published(cinema_storage, signing):
    publish(storage.hls_root())
    return tokens.stream_url(ASSET, "stream/180p/seg_00000.ts", tokens.expiry(300))


def test_without_pathsend_the_file_is_read_and_sent_in_chunks(published):
    sent = call(delivery.HLSDelivery(Django()), {"method": "GET", "path": published})
    assert sent[0]["status"] == 200 and (b"content-type", b"video/mp2t") in sent[0]["headers"]
    bodies = [m for m in sent[1:] if m["type"] == "http.response.body"]
    assert len(bodies) > 1 and b"".join(m["body"] for m in bodies) == SEGMENT and not bodies[-1].get("more_body")
    (storage.asset_dir(ASSET) / "empty.vtt").write_bytes(b"")  # an empty file still ends its response
    sent = call(delivery.HLSDelivery(Django()), {"method": "GET", "path": published.replace("stream/180p/seg_00000.ts", "empty.vtt")})
    assert sent[0]["status"] == 200 and sent[1:] == [{"type": "http.response.body", "body": b""}]


def test_with_pathsend_the_server_is_handed_the_path(published):
    sent = call(delivery.HLSDelivery(Django()), {"method": "GET", "path": published, "extensions": {"http.response.pathsend": {}}})
    assert sent[0]["status"] == 200
    assert sent[1] == {"type": "http.response.pathsend", "path": str(storage.asset_dir(ASSET).resolve() / "stream/180p/seg_00000.ts")}


def test_everything_else_goes_on_to_django(published, monkeypatch):
    django = Django()
    app = delivery.HLSDelivery(django)
    for scope in (
        {"method": "POST", "path": published},
        {"method": "GET", "path": "/login/"},
        {"method": "GET", "path": f"/hls/nothing/1/{ASSET}/master.m3u8"},
    ):
        assert call(app, scope)[0]["status"] == 299
    monkeypatch.setattr(storage, "serves_locally", lambda: False)  # object storage: Django decides
    assert call(app, {"method": "GET", "path": published})[0]["status"] == 299
    assert django.seen[-1] == ("GET", published)


@pytest.mark.django_db
def test_django_view_applies_the_same_rules(client, published):
    """views_stream.hls_file (the fallback, and what the test client reaches) shares the rules."""
    response = client.head(published)
    assert response.status_code == 200 and response["Content-Length"] == str(len(SEGMENT))
    assert response["Cache-Control"] == "private, max-age=3600" and response["Content-Type"] == "video/mp2t"
    expires = tokens.expiry(300)
    assert client.get(tokens.stream_url(ASSET, "stream/180p/seg_00001.ts.tmp-0a1b2c", expires)).status_code == 404
    assert client.get(tokens.stream_url(ASSET, "stream.partial-0a1b2c/180p/seg_00000.ts", expires)).status_code == 404
