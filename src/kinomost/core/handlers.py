"""Django's ASGI handler on a fixed pool of long-lived threads, for `kinomost serve`.

Why: Django's own `ASGIHandler` runs each request's synchronous code (middleware, views, the
ORM) inside a fresh `ThreadSensitiveContext`, i.e. on a thread pool created for that request
and joined by yet another thread when it ends. Measured under `kinomost serve`: at 32 clients a
worker ran 32+ threads fighting for the GIL, started two threads per request, and opened a new
database connection per request (Django's connections are per thread, so `CONN_MAX_AGE` never
applied) — throughput fell as clients were added. Here each request is given one of `threads`
single-thread executors (the least busy), kept for the life of the process: its thread, and
the thread's database connection, serve request after request (asgiref's
`ThreadSensitiveContext(executor=…)`, whose caller owns the executor). Requests beyond the pool
wait for a thread, in the event loop, instead of adding threads.

One request still has all of its synchronous code on one thread, as Django requires (the
transaction and the connection of a view stay together).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler


class PooledThreadsASGIHandler(ASGIHandler):
    def __init__(self, threads: int):
        super().__init__()
        if threads < 1:
            raise ValueError("a pool needs at least one thread")
        self._executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"django-{i}") for i in range(threads)]
        self._in_flight = [0] * threads

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        index = min(range(len(self._in_flight)), key=self._in_flight.__getitem__)
        self._in_flight[index] += 1
        try:
            async with ThreadSensitiveContext(executor=self._executors[index]):
                await self.handle(scope, receive, send)
        finally:
            self._in_flight[index] -= 1


def pooled_asgi_application(threads: int) -> PooledThreadsASGIHandler:
    """As `django.core.asgi.get_asgi_application`, with the pool above."""
    django.setup(set_prefix=False)
    return PooledThreadsASGIHandler(threads)
