"""Group commit of one event loop's Redis commands: the heartbeat path's XADDs (cinema.beats) and
liveness GETs (cinema.live) alike.

A request awaits its own command's answer, but while one pipeline is in flight the commands of
the requests arriving meanwhile gather for the next one, so a busy process pays one round trip
for many beats and the event loop serves other requests while it waits. An asyncio Redis client
belongs to one event loop, so each loop has its own batcher per purpose."""

from __future__ import annotations

import asyncio
import weakref

from django.conf import settings


class GroupCommit:
    def __init__(self, url: str, limit: int | None = None):
        import redis.asyncio as aioredis

        self.url, self.limit = url, limit
        self.client = aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)
        self.pending: list = []
        self.sending = False

    async def run(self, command: str, *args, **options):
        """The answer of `command` (a redis-py pipeline method); a Redis error is raised to each
        request of the pipeline it failed in."""
        done = asyncio.get_running_loop().create_future()
        self.pending.append(((command, args, options), done))
        if not self.sending:
            self.sending = True
            self._task = asyncio.ensure_future(self._send())  # kept: a task nobody holds may be collected
        return await done

    async def _send(self) -> None:
        try:
            while self.pending:
                cut = len(self.pending) if self.limit is None else self.limit
                batch, self.pending = self.pending[:cut], self.pending[cut:]
                try:
                    pipe = self.client.pipeline(transaction=False)
                    for (command, args, options), _ in batch:
                        getattr(pipe, command)(*args, **options)
                    answers = await pipe.execute()
                except Exception as exc:  # redis' ConnectionError, TimeoutError …
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                else:
                    for (_, done), answer in zip(batch, answers, strict=True):
                        if not done.done():
                            done.set_result(answer)
        finally:
            self.sending = False


_batchers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def for_this_loop(purpose: str, limit: int | None = None) -> GroupCommit:
    """This event loop's batcher for `purpose` (a new one when KINOMOST_REDIS_URL changed)."""
    mine = _batchers.setdefault(asyncio.get_running_loop(), {})
    batcher = mine.get(purpose)
    if batcher is None or batcher.url != settings.REDIS_URL:
        batcher = mine[purpose] = GroupCommit(settings.REDIS_URL, limit)
    return batcher
