"""/healthz and /readyz (kinomost/health.py): what a load balancer and a process supervisor rely
on. Liveness never depends on the database; readiness names every dependency that failed, in
JSON, with 503; both are answered in front of Django (no ALLOWED_HOSTS, no sessions)."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync

from kinomost import health
from kinomost.asgi import application
from kinomost.settings import cinema_object_storages

from .cinema.servers import free_port, http_status, wait_for_port
from .cinema.test_s3 import moto_server  # noqa: F401 (moto's S3 server, a subprocess)

REDIS_TEST_DB = "redis://127.0.0.1:6379/5"


def _ask(path: str, method: str = "GET", host: bytes = b"127.0.0.1") -> tuple[int, dict, dict]:
    """One request to the ASGI application kinomost serve runs: (status, headers, JSON body)."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", host)],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    async_to_sync(application)(scope, receive, send)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:] if m["type"] == "http.response.body")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, json.loads(body) if body else {}


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_TEST_DB, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_healthz_answers_without_the_database_or_django(monkeypatch):
    """No database marker: /healthz touches no database. Any Host header (a load balancer
    probes by address), where Django itself would answer 400 for a host not allowed."""
    status, headers, body = _ask("/healthz", host=b"10.0.0.7:8000")
    assert (status, body) == (200, {"status": "ok"})
    assert headers["content-type"] == "application/json" and headers["cache-control"] == "no-store"


@pytest.mark.django_db(transaction=True)
def test_readyz_reports_each_check(settings):
    settings.REDIS_URL = ""
    status, _, body = _ask("/readyz")
    assert status == 200
    assert body == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


@pytest.mark.django_db(transaction=True)
def test_readyz_checks_redis_when_configured(settings):
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.REDIS_URL = REDIS_TEST_DB
    status, _, body = _ask("/readyz")
    assert (status, body["checks"]["redis"]) == (200, "ok")

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/5"  # nothing listens there
    status, _, body = _ask("/readyz")
    assert status == 503
    assert body["status"] == "unavailable" and body["failed"] == ["redis"]
    assert "Connection" in body["checks"]["redis"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_readyz_fails_when_the_hls_folder_cannot_be_written(settings, tmp_path, monkeypatch):
    settings.REDIS_URL = ""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.CINEMA_HLS_ROOT = blocker / "hls"
    status, _, body = _ask("/readyz")
    assert status == 503 and body["failed"] == ["storage"]
    assert str(blocker / "hls") in body["checks"]["storage"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_readyz_fails_when_the_bucket_is_missing(settings, moto_server, monkeypatch):  # noqa: F811
    settings.REDIS_URL = ""
    # boto3's first client in a thread loads its models: seconds on a busy test machine, and the
    # subject here is what the answer names, not how fast it comes.
    monkeypatch.setattr(health, "CHECK_SECONDS", 60)
    env = {
        "KINOMOST_S3_BUCKET": "no-such-bucket",
        "KINOMOST_S3_ENDPOINT_URL": moto_server.url,
        "KINOMOST_S3_REGION": "us-east-1",
        "KINOMOST_S3_ACCESS_KEY_ID": "testing",
        "KINOMOST_S3_SECRET_ACCESS_KEY": "testing",
        "KINOMOST_S3_ADDRESSING_STYLE": "path",
    }
    settings.STORAGES = {**settings.STORAGES, **cinema_object_storages(env)}
    status, _, body = _ask("/readyz")
    assert status == 503 and body["failed"] == ["storage"]
    assert "no-such-bucket" in body["checks"]["storage"]

    import boto3

    boto3.client(
        "s3", endpoint_url=moto_server.url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    ).create_bucket(Bucket="no-such-bucket")
    status, _, body = _ask("/readyz")
    assert (status, body["checks"]["storage"]) == (200, "ok")


def test_health_paths_take_get_and_head_only():
    status, headers, body = _ask("/readyz", method="POST")
    assert status == 405 and headers["allow"] == "GET, HEAD"
    status, headers, body = _ask("/healthz", method="HEAD")
    assert status == 200 and body == {} and int(headers["content-length"]) > 0


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.slow
def test_a_served_node_with_its_database_down_is_alive_but_not_ready(tmp_path):
    """What a supervisor and a load balancer see of `kinomost serve` whose PostgreSQL and Redis
    are gone: alive (do not restart it), not ready (send no viewers), naming both."""
    env = dict(
        os.environ,
        KINOMOST_DATA_DIR=str(tmp_path),
        KINOMOST_DB_CONN_MAX_AGE="0",
        KINOMOST_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{free_port()}/kinomost",
        KINOMOST_REDIS_URL=f"redis://127.0.0.1:{free_port()}/5",
    )
    with _served(tmp_path, env) as base:
        assert _get(f"{base}/healthz") == (200, {"status": "ok"})
        status, body = _get(f"{base}/readyz")
        assert status == 503 and body["failed"] == ["database", "redis"]
        assert body["checks"]["storage"] == "ok"
        assert "OperationalError" in body["checks"]["database"]


@contextmanager
def _served(tmp_path, env: dict):
    """`kinomost serve` with one worker in this environment, its log in tmp_path: its base URL."""
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("kinomost")), "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_for_port(port, proc, 60), (tmp_path / "serve.log").read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(20)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the server reads the test database
def test_a_served_node_answers_after_the_database_dropped_its_connections(tmp_path):
    """A PostgreSQL restart or failover drops every connection a node keeps (CONN_MAX_AGE): the
    next request must reconnect and answer, not fail with a 500."""
    from django.db import connection

    from .cinema.servers import database_url

    if connection.vendor != "postgresql":
        pytest.skip("only a database server drops connections; SQLite has none to drop")
    env = dict(os.environ, KINOMOST_DATA_DIR=str(tmp_path), KINOMOST_DATABASE_URL=database_url(), KINOMOST_DB_CONN_MAX_AGE="600")
    env.pop("KINOMOST_REDIS_URL", None)
    with _served(tmp_path, env) as base:
        page = f"{base}/watch/nobody/nowhere/"  # a platform looked up in the database: 404
        assert [http_status(page) for _ in range(3)] == [404] * 3  # the node now keeps a connection
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1  # the node's
        assert [http_status(page) for _ in range(3)] == [404] * 3, (tmp_path / "serve.log").read_text()[-3000:]
