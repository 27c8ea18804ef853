"""The heartbeat path's Redis connection: one per event loop, its commands packed here, written as
they come and answered in order by one reader.

A beat asks Redis once (`beats.record_if_live_async`: one script reads the session's liveness
and makes the XADD; the streams' liveness is a GET), and nothing else on the path in front of
Django is as costly: through redis-py's asyncio pipeline, about 300 µs of CPU per beat (a pipeline object, the pool's lock, packing and parsing in Python) where the rest of the
beat costs under 40 µs. Redis answers the commands of one connection in the order they were
sent, so no pipeline object is needed to pipeline: each command is appended to the bytes this
loop iteration writes (one send for all the beats of an iteration), and its future waits in a
queue that the replies, parsed as they arrive, resolve in turn. A busy process still pays one
round trip for many beats, and the event loop serves other requests while it waits.

Everything else (starts, stops, the folders' consumer group) keeps redis-py: this module speaks
only what GET, EVALSHA and EVAL need, RESP2 replies, and redis-py's own URL parser reads
KINOMOST_REDIS_URL (host, port, db, user and password; unix:// sockets; rediss:// TLS).

Failures are those of a socket timeout: a reply more than TIMEOUT seconds late, or a lost
connection, fails every command waiting on the connection with `ConnectionError`, and the next
command connects again; an error reply (`-ERR …`) fails its own command with `ReplyError`."""

from __future__ import annotations

import asyncio
import collections
import functools
import hashlib
import ssl
import time
import weakref

from django.conf import settings

TIMEOUT = 2.0  # seconds, as redis-py's socket_timeout and socket_connect_timeout on this path


class ReplyError(Exception):
    """Redis answered the command with an error reply."""


def for_this_loop() -> Connection:
    """This event loop's connection (a new one when KINOMOST_REDIS_URL changed)."""
    loop = asyncio.get_running_loop()
    connection = _connections.get(loop)
    if connection is None or connection.url != settings.REDIS_URL:
        if connection is not None:
            connection.close()
        connection = _connections[loop] = Connection(settings.REDIS_URL)
    return connection


_connections: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Connection:
    def __init__(self, url: str, timeout: float = TIMEOUT):
        from redis.connection import parse_url

        self.url, self.timeout = url, timeout
        self.options = parse_url(url)
        self.tls = url.startswith("rediss://")
        self._protocol: _Protocol | None = None
        self._connecting: asyncio.Future | None = None

    async def run(self, *command) -> object:
        """The reply to `command` (its words: str, bytes, int or float), e.g. run("GET", key)."""
        protocol = self._protocol
        if protocol is None or protocol.lost:
            protocol = await self._connect()
        return await protocol.send(pack(command))

    async def run_script(self, source: str, keys: list, args: list) -> object:
        """The reply of a Lua script: EVALSHA, and EVAL (which also caches it in Redis) when Redis
        does not know the script yet (NOSCRIPT: a restarted or another Redis)."""
        sha = _sha1(source)
        try:
            return await self.run("EVALSHA", sha, len(keys), *keys, *args)
        except ReplyError as exc:
            if not str(exc).startswith("NOSCRIPT"):
                raise
        return await self.run("EVAL", source, len(keys), *keys, *args)

    def close(self) -> None:
        if self._protocol is not None:
            self._protocol.abort(ConnectionError("closed"))

    async def _connect(self) -> _Protocol:
        if self._connecting is None:  # the first command to find no connection opens it; the others wait
            self._connecting = asyncio.ensure_future(self._open())
        connecting = self._connecting
        try:
            return await asyncio.shield(connecting)
        finally:
            if connecting.done() and self._connecting is connecting:
                self._connecting = None

    async def _open(self) -> _Protocol:
        loop, options = asyncio.get_running_loop(), self.options
        make = functools.partial(_Protocol, self.timeout)
        try:
            if options.get("path"):
                opening = loop.create_unix_connection(make, options["path"])
            else:
                context = ssl.create_default_context() if self.tls else None
                opening = loop.create_connection(make, options.get("host", "localhost"), options.get("port", 6379), ssl=context)
            _, protocol = await asyncio.wait_for(opening, self.timeout)
        except (OSError, asyncio.TimeoutError) as exc:
            raise ConnectionError(f"Redis at {self.url}: {exc or 'no answer'}") from exc
        greeting = []
        if options.get("password"):
            greeting.append(
                pack(("AUTH", options["username"], options["password"]) if options.get("username") else ("AUTH", options["password"]))
            )
        if options.get("db"):
            greeting.append(pack(("SELECT", options["db"])))
        try:
            for answer in [protocol.send(words) for words in greeting]:  # sent before any command
                await answer
        except Exception:  # a wrong password or database: no half-open connection is kept
            protocol.abort(ConnectionError("refused"))
            raise
        self._protocol = protocol
        return protocol


@functools.lru_cache(maxsize=16)
def _sha1(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()


def pack(command) -> bytes:
    """A command in RESP: an array of bulk strings."""
    parts = [b"*%d\r\n" % len(command)]
    for word in command:
        if isinstance(word, str):
            word = word.encode()
        elif isinstance(word, float):
            word = repr(word).encode()
        elif isinstance(word, int):
            word = b"%d" % word
        parts.append(b"$%d\r\n%s\r\n" % (len(word), word))
    return b"".join(parts)


class _Incomplete(Exception):
    """The buffer ends inside a reply: wait for more bytes."""


def parse(buffer: bytes, start: int = 0) -> tuple[object, int]:
    """One RESP2 reply from `buffer` at `start`: (value, where the next begins). An error reply's
    value is a ReplyError (returned, not raised: it belongs to its command alone)."""
    end = buffer.find(b"\r\n", start)
    if end < 0:
        raise _Incomplete
    kind, line = buffer[start : start + 1], buffer[start + 1 : end]
    if kind == b"$":
        size = int(line)
        if size < 0:
            return None, end + 2
        if len(buffer) < end + 2 + size + 2:
            raise _Incomplete
        return bytes(buffer[end + 2 : end + 2 + size]), end + 2 + size + 2
    if kind == b"+":
        return bytes(line), end + 2
    if kind == b":":
        return int(line), end + 2
    if kind == b"-":
        return ReplyError(bytes(line).decode("utf-8", "replace")), end + 2
    if kind == b"*":
        count, at, items = int(line), end + 2, []
        if count < 0:
            return None, at
        for _ in range(count):
            item, at = parse(buffer, at)
            items.append(item)
        return items, at
    raise ConnectionError(f"Redis sent what is not RESP2: {bytes(buffer[start : start + 20])!r}")


class _Protocol(asyncio.Protocol):
    def __init__(self, timeout: float):
        self.timeout = timeout
        self.transport = None
        self.lost = False
        self.waiting: collections.deque = collections.deque()  # (future, sent at), in the order sent
        self.outgoing = bytearray()
        self.incoming = bytearray()
        self._watch = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def send(self, command: bytes) -> asyncio.Future:
        if self.lost:
            raise ConnectionError("the connection to Redis was lost")
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not self.outgoing:
            loop.call_soon(self._flush)  # the commands of this loop iteration go in one write
        self.outgoing += command
        self.waiting.append((future, time.monotonic()))
        if self._watch is None:
            self._watch = loop.call_later(self.timeout, self._check_overdue)
        return future

    def _flush(self) -> None:
        if not self.lost and self.outgoing:
            self.transport.write(bytes(self.outgoing))
        self.outgoing.clear()

    def data_received(self, data: bytes) -> None:
        self.incoming += data
        buffer, at = self.incoming, 0
        try:
            while self.waiting:
                value, at = parse(buffer, at)
                future, _ = self.waiting.popleft()
                if future.done():  # its request went away: the reply is read and dropped
                    continue
                if isinstance(value, ReplyError):
                    future.set_exception(value)
                else:
                    future.set_result(value)
        except _Incomplete:
            pass
        except (ValueError, ConnectionError) as exc:
            self.abort(ConnectionError(f"unreadable reply from Redis: {exc}"))
            return
        del buffer[:at]

    def _check_overdue(self) -> None:
        self._watch = None
        if not self.waiting:
            return
        late = time.monotonic() - self.waiting[0][1]
        if late >= self.timeout:
            self.abort(ConnectionError(f"Redis did not answer within {self.timeout:g} s"))
        else:
            self._watch = asyncio.get_running_loop().call_later(self.timeout - late, self._check_overdue)

    def abort(self, error: Exception) -> None:
        """Fail every waiting command and drop the connection (the next command opens a new one)."""
        self.lost = True
        while self.waiting:
            future, _ = self.waiting.popleft()
            if not future.done():
                future.set_exception(error)
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        if self.transport is not None:
            self.transport.abort()

    def connection_lost(self, exc) -> None:
        self.abort(ConnectionError(f"the connection to Redis was lost: {exc or 'closed by the server'}"))
