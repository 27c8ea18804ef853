"""`/healthz` and `/readyz` for load balancers and process supervisors, answered in front of
Django (composed in `kinomost.asgi`, beside the HLS fast path of cinema/delivery.py).

Why in front: a load balancer asks every node every few seconds; through Django's middleware
stack (sessions, CSRF, locale, CSP, axes …) each answer would cost a page's worth of CPU and
could be refused by ALLOWED_HOSTS or throttling for reasons that say nothing about health.

- `/healthz` (liveness): the process's event loop answers. No database, no I/O: a supervisor
  restarts the process when this stops answering, so it must not fail because PostgreSQL is
  down (restarting every web node would not bring the database back).
- `/readyz` (readiness): the database answers a query, the cinema's storage is writable (and
  its bucket reachable when one is configured), and Redis answers PING when
  `KINOMOST_REDIS_URL` is set. 200 with every check's result, or 503 naming what failed, in
  JSON. A load balancer stops sending viewers to a node that is not ready.

Both take GET and HEAD only; anything else under these paths is 405. The checks run in a
thread (they block) and each has a short timeout, so a hung dependency makes the answer a 503,
never a hung health check.
"""

from __future__ import annotations

import asyncio
import json
import os

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections

HEALTHZ = "/healthz"
READYZ = "/readyz"
CHECK_SECONDS = float(os.environ.get("KINOMOST_READYZ_TIMEOUT", "3"))


def database_problem() -> str | None:
    """One `SELECT 1` on a connection of its own, closed afterwards (a health check every few
    seconds must not hold a connection the request threads could use)."""
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:  # Django wraps every driver's error: the node cannot serve pages
        return f"{type(error).__name__}: {error}".strip()
    finally:
        connection.close()
    return None


def storage_problem() -> str | None:
    from kinomost.cinema import storage

    return storage.readiness_problem()


def redis_problem() -> str | None:
    """PING on KINOMOST_REDIS_URL, when it is configured (the cache, and beats where the playback
    path keeps them); not configured is not a failure."""
    url = settings.REDIS_URL
    if not url:
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=CHECK_SECONDS, socket_connect_timeout=CHECK_SECONDS)
    try:
        client.ping()
    except redis.RedisError as error:  # connection refused, timeouts, authentication
        return f"{type(error).__name__}: {error}"
    finally:
        client.close()
    return None


CHECKS = {"database": database_problem, "storage": storage_problem, "redis": redis_problem}


def configured_checks() -> dict:
    names = ["database", "storage"] + (["redis"] if settings.REDIS_URL else [])
    return {name: CHECKS[name] for name in names}


async def readiness() -> tuple[bool, dict[str, str]]:
    """Every configured check at once, each given CHECK_SECONDS: ({name: "ok" | the problem})."""
    checks = configured_checks()

    async def run(check):
        try:
            return await asyncio.wait_for(asyncio.to_thread(check), CHECK_SECONDS)
        except TimeoutError:
            return f"no answer within {CHECK_SECONDS:g} s"

    problems = await asyncio.gather(*(run(check) for check in checks.values()))
    results = {name: problem or "ok" for name, problem in zip(checks, problems, strict=True)}
    return all(problem is None for problem in problems), results


class HealthChecks:
    """ASGI wrapper: answers /healthz and /readyz itself, passes everything else on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path") if scope["type"] == "http" else None
        if path not in (HEALTHZ, READYZ):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if scope["method"] not in ("GET", "HEAD"):
            await _json(send, 405, {"error": "method not allowed"}, head, [(b"allow", b"GET, HEAD")])
        elif path == HEALTHZ:
            await _json(send, 200, {"status": "ok"}, head)
        else:
            ready, checks = await readiness()
            body = {"status": "ok" if ready else "unavailable", "checks": checks}
            if not ready:
                body["failed"] = sorted(name for name, result in checks.items() if result != "ok")
            await _json(send, 200 if ready else 503, body, head)


async def _json(send, status: int, body: dict, head: bool, extra: list | None = None) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
                *(extra or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else payload})
