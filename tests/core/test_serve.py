"""`kinomost serve`: one worker process per core by default, and in each worker a fixed pool of
threads for Django (core/handlers.py) — not a thread, a thread join and a database connection
per request, which is what made throughput fall as clients were added."""

import asyncio
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import signals

from kinomost.core.handlers import PooledThreadsASGIHandler
from kinomost.core.management.commands.serve import DEFAULT_THREADS, Command, cores

from ..cinema.servers import free_port, wait_for_port


def _options(monkeypatch, argv, **environ):
    for name in ("KINOMOST_WEB_WORKERS", "KINOMOST_WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return Command().create_parser("kinomost", "serve").parse_args(argv)


def test_one_worker_per_core_by_default(monkeypatch):
    options = _options(monkeypatch, [])
    assert options.workers == cores() == len(os.sched_getaffinity(0))
    assert options.threads == DEFAULT_THREADS


def test_workers_and_threads_from_options_or_environment(monkeypatch):
    assert _options(monkeypatch, ["--workers", "1"]).workers == 1
    assert _options(monkeypatch, [], KINOMOST_WEB_WORKERS="3", KINOMOST_WEB_THREADS="2").workers == 3
    assert _options(monkeypatch, [], KINOMOST_WEB_THREADS="2").threads == 2
    assert _options(monkeypatch, ["--workers", "5"], KINOMOST_WEB_WORKERS="3").workers == 5


def test_the_node_processes_share_one_cache():
    """The sign-in and API-key throttle counts once per node: the cache of the settings (tests
    swap in a per-process one) is a folder of the data dir, which every worker process shares."""
    from importlib import reload

    import kinomost.settings as module

    fresh = reload(module)  # the settings as a server reads them from this environment
    try:
        assert fresh.CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
        assert fresh.CACHES["default"]["LOCATION"] == str(fresh.DATA_DIR / "cache")
    finally:
        reload(module)


def _requests(handler, count: int) -> list:
    """`count` requests at once to the ASGI handler; the names of the threads Django's
    synchronous code ran on (request_started's receivers run there)."""
    seen = []

    def record(**kwargs):
        seen.append(threading.current_thread().name)
        time.sleep(0.02)  # long enough that the requests overlap

    async def one():
        sent, messages = [], [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive():
            if messages:
                return messages.pop()
            await asyncio.Event().wait()  # the client stays connected

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/api/v1/me",
            "raw_path": b"/api/v1/me",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8000),
        }
        await handler(scope, receive, send)
        return sent[0]["status"]

    async def all_at_once():
        return await asyncio.gather(*(one() for _ in range(count)))

    signals.request_started.connect(record, weak=False)
    try:
        statuses = asyncio.run(all_at_once())
    finally:
        signals.request_started.disconnect(record)
    assert statuses == [401] * count  # real answers, not errors of the pool
    return seen


@pytest.mark.django_db(transaction=True)
def test_django_runs_on_a_fixed_pool_of_threads():
    names = _requests(PooledThreadsASGIHandler(threads=3), 24)
    assert len(names) == 24
    assert set(names) <= {"django-0_0", "django-1_0", "django-2_0"}
    assert len(set(names)) == 3  # all of the pool was used: the requests overlapped


@pytest.mark.django_db(transaction=True)
def test_the_pool_threads_live_on_between_requests():
    handler = PooledThreadsASGIHandler(threads=2)
    first = set(_requests(handler, 8))
    before = threading.active_count()
    again = set(_requests(handler, 8))
    assert again == first and threading.active_count() == before


def test_a_pool_needs_a_thread():
    with pytest.raises(ValueError):
        PooledThreadsASGIHandler(threads=0)


@pytest.mark.slow
def test_serve_starts_the_workers_it_is_asked_for(tmp_path):
    """Two worker processes behind one port, each answering; one killed is started again."""
    port = free_port()
    env = dict(os.environ, KINOMOST_DATA_DIR=str(tmp_path), KINOMOST_WEB_WORKERS="2")
    env.pop("KINOMOST_DATABASE_URL", None)
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("kinomost")), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        assert wait_for_port(port, proc, 60), (tmp_path / "serve.log").read_text()
        deadline = time.monotonic() + 60  # the socket is bound before the workers are all started
        while time.monotonic() < deadline and len(_children(proc.pid)) < 2:
            time.sleep(0.2)
        workers = _children(proc.pid)
        assert len(workers) == 2
        for _ in range(4):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
                assert answer.status == 200
        os.kill(workers[0], 9)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (len(_children(proc.pid)) < 2 or workers[0] in _children(proc.pid)):
            time.sleep(0.2)
        assert len(_children(proc.pid)) == 2 and workers[0] not in _children(proc.pid)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            assert answer.status == 200
    finally:
        proc.terminate()
        proc.wait(30)


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        found += [int(p) for p in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found
