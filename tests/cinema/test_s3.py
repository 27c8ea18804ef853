"""Object storage against a real S3-compatible server (moto's standalone server, a subprocess).

The web machine takes the files in; a worker on "another machine" (a subprocess with its own empty
scratch folders and only the environment: database URL and KINOMOST_S3_*) makes the package; the
bucket ends up with the same layout as the local folder, the master playlist uploaded last and no
key anywhere; the embedded server serves the files from the bucket behind the same token check.
"""

import json
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import boto3
import m3u8
import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as django_settings
from django.test import AsyncClient, Client
from django.utils import timezone

from kinomost.cinema import keys, pipeline, queue, services, storage, tokens
from kinomost.cinema.models import Asset, AssetStatus, IngestJob, JobState, SourceKind
from kinomost.cinema.worker import run_worker
from kinomost.parties import services as parties
from kinomost.settings import cinema_object_storages

from .conftest import TEST_LADDER, decode_ok
from .servers import database_url, free_port, wait_for_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PREFIX = "kinomost"
CHUNK = 256 * 1024


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    """moto's S3 server on a free port; its request log (one line per request, in order) is kept."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "requests.log"
    exe = Path(sys.executable).with_name("moto_server")
    with log.open("wb") as out:
        proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT)
    try:
        if not wait_for_port(port, proc, 30, pause=0.2):
            raise RuntimeError(f"moto_server did not start: {log.read_text()}")
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", log=log)
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def s3(moto_server, settings):
    """A fresh private bucket, and Kinomost configured for it exactly as the environment would."""
    bucket = f"kinomost-{uuid.uuid4().hex[:12]}"
    env = {
        "KINOMOST_S3_BUCKET": bucket,
        "KINOMOST_S3_ENDPOINT_URL": moto_server.url,
        "KINOMOST_S3_REGION": "us-east-1",
        "KINOMOST_S3_ACCESS_KEY_ID": "testing",
        "KINOMOST_S3_SECRET_ACCESS_KEY": "testing",
        "KINOMOST_S3_PREFIX": PREFIX,
        "KINOMOST_S3_ADDRESSING_STYLE": "path",
    }
    client = boto3.client(
        "s3", endpoint_url=moto_server.url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, **cinema_object_storages(env)}
    assert not storage.serves_locally()
    return SimpleNamespace(env=env, bucket=bucket, client=client, log=moto_server.log)


def _objects(s3, prefix: str) -> dict[str, bytes]:
    found = {}
    for page in s3.client.get_paginator("list_objects_v2").paginate(Bucket=s3.bucket, Prefix=prefix):
        for entry in page.get("Contents", []):
            found[entry["Key"][len(prefix) :]] = s3.client.get_object(Bucket=s3.bucket, Key=entry["Key"])["Body"].read()
    return found


def _puts(s3, prefix: str) -> list[str]:
    """The object names moto received PUTs for, in the order it received them."""
    pattern = re.compile(rf'"PUT /{s3.bucket}/{re.escape(prefix)}(\S+) HTTP')
    return [m.group(1) for m in pattern.finditer(s3.log.read_text(errors="replace"))]


def _worker_on_another_machine(s3, scratch: Path, **env) -> None:
    """`kinomost worker --until-empty` sharing only the database and the bucket: its own (empty)
    scratch folders, configured from the environment alone."""
    scratch.mkdir()
    environ = {
        **os.environ,
        **s3.env,
        **env,
        "KINOMOST_DATABASE_URL": database_url(),
        "KINOMOST_CINEMA_HLS_DIR": str(scratch / "hls"),
        "KINOMOST_CINEMA_PRIVATE_DIR": str(scratch / "private"),
        "KINOMOST_CINEMA_LEASE_SECONDS": "30",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "kinomost.cli", "worker", "--until-empty", "-v", "0"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


async def _read_async(response) -> bytes:
    return b"".join([part async for part in response.streaming_content])


def _tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def operator_client(org_a):
    user = parties.create_member(
        email="op@rusmedia.example", organisation=org_a, role="platform_operator", password="correct horse battery staple"
    )[0]
    client = Client()
    client.force_login(user)
    return client


def _upload(client, path: Path) -> str:
    data = path.read_bytes()
    state = client.post("/api/v1/cinema/uploads", {"filename": path.name, "size": len(data)}, content_type="application/json").json()
    for offset in range(0, len(data), CHUNK):
        response = client.put(
            f"/api/v1/cinema/uploads/{state['id']}?offset={offset}", data[offset : offset + CHUNK], content_type="application/octet-stream"
        )
        assert response.status_code == 200, response.content
    return state["id"]


def test_a_worker_elsewhere_publishes_to_the_bucket_and_the_server_streams_from_it(
    s3, settings, operator, operator_client, film, media_files, full_request, tmp_path
):
    # The web machine takes the files in through the chunked upload API.
    response = operator_client.post(
        "/api/v1/cinema/ingest",
        {
            "work_id": film.pk,
            "master": _upload(operator_client, media_files["master"]),
            "audio": [{"language": "de", "upload": _upload(operator_client, media_files["dub"])}],
            "subtitles": [{"language": "ru", "upload": _upload(operator_client, media_files["subs"])}],
            "ladder": TEST_LADDER,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    asset = Asset.objects.get(public_id=response.json()["id"])
    private = _objects(s3, f"{PREFIX}/private/")
    for source in asset.sources.all():
        assert private[source.path] == storage.private_path(source.path).read_bytes()
    assert {s.kind for s in asset.sources.all()} == {SourceKind.MASTER, SourceKind.AUDIO, SourceKind.SUBTITLES}

    # A worker with empty scratch folders runs the queued job (at 2× real time, so a preview shows).
    _worker_on_another_machine(s3, tmp_path / "elsewhere", KINOMOST_CINEMA_READRATE="2")
    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY, asset.error
    assert IngestJob.objects.get(asset=asset).state == JobState.DONE
    assert not (tmp_path / "elsewhere" / "hls" / str(asset.public_id)).exists()  # its scratch is cleared
    assert not storage.asset_dir(asset.public_id).exists()  # nothing local here: serving must read the bucket

    # The same layout as local publishing (a reference ingest without the bucket).
    published = _objects(s3, f"{PREFIX}/hls/{asset.public_id}/")
    with_bucket = settings.STORAGES
    settings.STORAGES = {k: v for k, v in with_bucket.items() if not k.startswith("cinema")}
    reference = services.start_ingest(operator, full_request)
    run_worker(until_empty=True)
    assert set(published) == _tree(storage.asset_dir(reference.public_id))
    settings.STORAGES = with_bucket
    assert "master.m3u8" in published and "preview.m3u8" not in published and not any(".partial-" in n for n in published)
    assert not any(n.startswith("preview/") for n in published)  # the preview is gone once the master is up

    # The master playlist was the last upload; the growing preview was uploaded before it.
    puts = _puts(s3, f"{PREFIX}/hls/{asset.public_id}/")
    assert puts[-1] == "master.m3u8" and puts.count("master.m3u8") == 1
    assert set(puts[:-1]) >= set(published) - {"master.m3u8"}
    first_preview = puts.index("preview.m3u8")
    assert any(name.startswith("preview/") and name.endswith(".ts") for name in puts[:first_preview])
    assert not any(".partial-" in name for name in puts)  # never uploaded: the servers refuse such names
    assert first_preview < min(i for i, name in enumerate(puts) if name.startswith("stream/"))

    # No key anywhere in the bucket, public or private.
    everything = _objects(s3, "")
    assert not any(name.endswith((".key", ".keyinfo")) for name in everything)
    assert not any(bytes(asset.key) in body for body in everything.values())

    _check_served_from_the_bucket(asset, published, tmp_path)


def _check_served_from_the_bucket(asset, published: dict[str, bytes], tmp_path):
    viewer = Client()
    expires = tokens.expiry()
    url = lambda rel: tokens.stream_url(asset.public_id, rel, expires)  # noqa: E731
    master = viewer.get(url("master.m3u8"))
    assert master.status_code == 200 and master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert b"".join(master.streaming_content) == published["master.m3u8"]
    rung = m3u8.loads(published["master.m3u8"].decode()).playlists[0].uri
    segment_name = f"{rung.rsplit('/', 1)[0]}/seg_00000.ts"
    segment = viewer.get(url(segment_name))
    assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"
    body = b"".join(segment.streaming_content)
    assert body == published[segment_name] and int(segment["Content-Length"]) == len(body)
    clear = tmp_path / "clear.ts"
    clear.write_bytes(keys.decrypt_segment(asset.key, asset.iv, body))
    assert decode_ok(clear)
    through_asgi = async_to_sync(AsyncClient().get)(url(segment_name))  # `kinomost serve` falls through to Django here
    assert through_asgi.status_code == 200 and through_asgi.is_async
    assert async_to_sync(_read_async)(through_asgi) == body
    head = viewer.head(url(segment_name))
    assert head.status_code == 200 and int(head["Content-Length"]) == len(body)

    token = url(segment_name).split("/")[2]
    forged = url(segment_name).replace(token, ("A" if token[0] != "A" else "B") + token[1:])
    assert viewer.get(forged).status_code == 403
    assert viewer.get(tokens.stream_url(asset.public_id, segment_name, int(time.time()) - 1)).status_code == 403
    assert "stream/stream.json" in published and viewer.get(url("stream/stream.json")).status_code == 404
    assert viewer.get(url("stream/nothing.ts")).status_code == 404


def test_a_job_half_done_on_one_machine_is_finished_on_another_from_the_bucket(s3, operator, full_request, tmp_path):
    asset = services.start_ingest(operator, full_request)  # `kinomost ingest`: files stored in the bucket too
    # The first machine transcodes, then dies (its lease runs out).
    lease = queue.claim("machine-a:1")
    attempt = pipeline.Attempt(lease)
    for step in ("probe", "transcode"):
        assert queue.start_step(lease, step)
        pipeline.STEP_FUNCTIONS[step](attempt)
        attempt.asset.refresh_from_db()
        assert queue.step_done(lease, step)
    IngestJob.objects.filter(pk=lease.job_id).update(lease_expires_at=timezone.now() - timedelta(seconds=1))

    _worker_on_another_machine(s3, tmp_path / "machine-b")
    asset.refresh_from_db()
    job = IngestJob.objects.get(asset=asset)
    assert asset.status == AssetStatus.READY, asset.error
    assert job.state == JobState.DONE and job.attempts == 2
    puts = _puts(s3, f"{PREFIX}/hls/{asset.public_id}/")
    assert puts.count("stream/180p/seg_00000.ts") == 1  # machine B fetched the transcode, did not redo it
    assert puts[-1] == "master.m3u8"
    published = _objects(s3, f"{PREFIX}/hls/{asset.public_id}/")
    assert {"subs/ru/index.m3u8", "subs/ru/subtitles.vtt", "poster.jpg", "thumbnails.vtt", "sprites/sprite_001.jpg"} <= set(published)
    _check_served_from_the_bucket(asset, published, tmp_path)


def test_without_a_bucket_nothing_changes(settings):
    assert cinema_object_storages({}) == {}
    assert "cinema" not in django_settings.STORAGES and storage.serves_locally()


def _nginx_for_the_bucket(s3, tmp_path, moto_url: str):
    """deploy/nginx.conf as an operator switches it to object storage: the local /hls/ location
    out, the "#s3 " lines in, the bucket's endpoint, name and prefix filled in."""
    from .test_playback_nginx import CONF, NGINX, SECRET, start_nginx

    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light to run this check)")
    endpoint = moto_url.removeprefix("http://")
    port = free_port()
    site, removed = re.subn(r'\n    location ~ "\^/hls/.*?\n    }\n', "\n", CONF.read_text(), count=1, flags=re.S)
    assert removed == 1
    site = re.sub(r"^(\s*)#s3 ?", r"\1", site, flags=re.M)
    site = site.replace("https://kinomost_bucket/BUCKET/PREFIX/hls/", f"http://kinomost_bucket/{s3.bucket}/{PREFIX}/hls/")
    site = site.replace("s3.example.net:443", endpoint).replace("Host s3.example.net", f"Host {endpoint}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("change-me-to-KINOMOST_STREAM_SECRET", SECRET)
    site = site.replace("/var/cache/nginx/kinomost-live", str(tmp_path / "live-cache"))  # the session liveness cache
    proc = start_nginx(tmp_path, site, port)
    return proc, f"http://127.0.0.1:{port}", SECRET


def _fetch(url: str) -> tuple[int, bytes, dict]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, b"", dict(exc.headers)


def test_the_commented_nginx_alternative_serves_the_bucket_behind_the_same_token(s3, moto_server, settings, tmp_path):
    asset = str(uuid.uuid4())
    segment = bytes(range(256)) * 8
    storage.publish_file(asset, "master.m3u8", b"#EXTM3U\n")
    storage.publish_file(asset, "stream/180p/seg_00000.ts", segment)
    storage.publish_file(asset, "stream/stream.json", b"{}")
    # Approach (a) of deploy/nginx.conf: anonymous reads of <prefix>/hls/* from the nginx host only.
    # (moto enforces the policy's resource, not its IP condition: what this proves is that the
    # bucket is private, <prefix>/hls/* alone becomes readable, and nginx adds the token check.)
    s3.client.put_bucket_policy(
        Bucket=s3.bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{s3.bucket}/{PREFIX}/hls/*",
                        "Condition": {"IpAddress": {"aws:SourceIp": "127.0.0.1/32"}},
                    }
                ],
            }
        ),
    )
    storage_private = f"{moto_server.url}/{s3.bucket}/{PREFIX}/private/sources/{asset}/master.mp4"
    s3.client.put_object(Bucket=s3.bucket, Key=f"{PREFIX}/private/sources/{asset}/master.mp4", Body=b"master")
    assert _fetch(storage_private)[0] == 403  # the handed-in files stay private
    proc, nginx, secret = _nginx_for_the_bucket(s3, tmp_path, moto_server.url)
    settings.CINEMA_STREAM_SECRET = secret
    try:
        expires = tokens.expiry(300)
        status, body, headers = _fetch(nginx + tokens.stream_url(asset, "stream/180p/seg_00000.ts", expires))
        assert (status, body, headers["Content-Type"]) == (200, segment, "video/mp2t")
        assert headers["Cache-Control"] == "private, max-age=3600" and "x-amz-request-id" not in {k.lower() for k in headers}
        assert _fetch(nginx + tokens.stream_url(asset, "master.m3u8", expires))[:2] == (200, b"#EXTM3U\n")
        assert _fetch(nginx + tokens.stream_url(asset, "stream/180p/seg_00001.ts", expires))[0] == 404  # no such object
        assert _fetch(nginx + tokens.stream_url(asset, "stream/stream.json", expires))[0] == 404  # not a public file
        token = tokens.sign(asset, expires)
        assert _fetch(f"{nginx}/hls/{'A' * 22}/{expires}/{asset}/master.m3u8")[0] == 403  # forged
        assert _fetch(f"{nginx}/hls/{token}/{expires + 1}/{asset}/master.m3u8")[0] == 403  # expiry changed
        assert _fetch(nginx + tokens.stream_url(asset, "master.m3u8", int(time.time()) - 5))[0] == 403  # expired
        assert _fetch(f"{nginx}/_kinomost_bucket/{asset}/master.m3u8")[0] == 404  # the bucket only behind the checks
    finally:
        proc.terminate()
        proc.wait(timeout=10)
