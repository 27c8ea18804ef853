"""Is a playback session still live? The one question every stream file, key and heartbeat of a
session asks, answered cheaply.

A session's URLs are signed until its hard end (tokens.session_base); stopping it, revoking it
or its licence lapsing ends it earlier. The answer is kept where it is cheap to read:

- with KINOMOST_REDIS_URL (the production profile): a Redis key per session, written at start
  (value: the hard end) and replaced by "ended" at stop or revocation, both expiring with the
  session. A missing key (Redis restarted without its data) falls back to the database once.
- without Redis (the embedded default): the session row, read once per
  CINEMA_LIVE_CACHE_SECONDS per process.

Either way a process remembers an answer for at most CINEMA_LIVE_CACHE_SECONDS, so a session
ended in one process stops working in every other within that time (nginx caches its
auth_request answer for the same few seconds: deploy/nginx.conf).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.utils import timezone

from kinomost.cinema import pipelined
from kinomost.core.db import read_in_django_thread

ENDED = b"ended"
log = logging.getLogger(__name__)
_CACHE_LIMIT = 200_000  # answers kept per process before the cache starts over

_cache: dict[str, tuple[bool, float]] = {}
_lock = threading.Lock()
_client = None
_client_url = None


def key(session_id) -> str:
    """The session's liveness key in Redis (its value: the hard end, or ENDED)."""
    return f"{settings.CINEMA_REDIS_PREFIX}live:{session_id}"


def redis_client():
    """The process's Redis client for playback, or None in the embedded profile."""
    global _client, _client_url
    url = settings.REDIS_URL
    if not url:
        return None
    if _client is None or _client_url != url:
        import redis

        _client, _client_url = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30), url
    return _client


def opened(session_id, hard_end: int) -> None:
    """A session started: live until `hard_end` (Unix seconds) unless ended first."""
    client = redis_client()
    if client is not None:
        client.set(key(session_id), str(int(hard_end)), ex=max(1, int(hard_end - time.time()) + 60))
    remember(str(session_id), True)


def ended(session_ids) -> None:
    """Sessions stopped or revoked (their rows already say so): their URLs stop working now in
    this process, within CINEMA_LIVE_CACHE_SECONDS elsewhere."""
    ids = [str(s) for s in session_ids]
    client = redis_client()
    if client is not None and ids:
        ttl = int(settings.CINEMA_SESSION_HOURS * 3600) + 60
        with client.pipeline(transaction=False) as pipe:
            for sid in ids:
                pipe.set(key(sid), ENDED, ex=ttl)
            pipe.execute()
    for sid in ids:
        remember(sid, False)


def is_live(session_id) -> bool:
    """Synchronous form (Django views, services)."""
    sid = str(session_id)
    known = cached(sid)
    if known is not None:
        return known
    answer = _from_redis(sid)
    if answer is None:
        answer = from_database(sid)
    remember(sid, answer)
    return answer


async def is_live_async(session_id) -> bool:
    """For the paths in front of Django (stream files and keys; a heartbeat without Redis — with
    Redis a beat asks in its own script, `beats.record_if_live_async`): Redis is asked without
    blocking the event loop, the GETs of the requests waiting at that moment in one pipelined round
    trip (`cinema.pipelined`); the database in Django's thread for synchronous code. Why: a
    blocking GET held the loop for a round trip each."""
    sid = str(session_id)
    known = cached(sid)
    if known is not None:
        return known
    answer = await _from_redis_async(sid)
    if answer is None:
        answer = await read_in_django_thread(from_database, sid)
    remember(sid, answer)
    return answer


def stream_may_play(session_id) -> bool:
    """`is_live` for the stream files and nginx's liveness question, which must not fail with
    Redis: when Redis cannot answer, the process's last answer for the session (however old), else
    the session row. Why not a 503 as a heartbeat gets: every player on the platform would stall
    at its next segment for as long as Redis is away; why not always the database: at a million
    viewers that is every process asking the database for every session it serves at once. The
    cost: a session ended during the outage may go on playing where a process remembers it live,
    for as long as Redis is away."""
    sid = str(session_id)
    try:
        return is_live(sid)
    except Unavailable as exc:
        _log_outage(exc)
        remembered = _remembered(sid)
        if remembered is not None:
            return remembered
        answer = from_database(sid)
        remember(sid, answer)
        return answer


async def stream_may_play_async(session_id) -> bool:
    """`stream_may_play` for the paths in front of Django (the database in Django's thread)."""
    sid = str(session_id)
    try:
        return await is_live_async(sid)
    except Unavailable as exc:
        _log_outage(exc)
        remembered = _remembered(sid)
        if remembered is not None:
            return remembered
        answer = await read_in_django_thread(from_database, sid)
        remember(sid, answer)
        return answer


_outage_logged_at = float("-inf")


def _log_outage(exc: Exception) -> None:
    """Once a minute per process, not once a segment."""
    global _outage_logged_at
    if time.monotonic() - _outage_logged_at > 60:
        _outage_logged_at = time.monotonic()
        log.warning("Redis did not answer whether sessions are live (%s): answering from memory or the database", exc)


def _remembered(sid: str) -> bool | None:
    entry = _cache.get(sid)
    return None if entry is None else entry[0]


def forget() -> None:
    """Drop the process's remembered answers (tests switching profiles)."""
    with _lock:
        _cache.clear()


def cached(sid: str) -> bool | None:
    """This process's answer for the session if it is at most CINEMA_LIVE_CACHE_SECONDS old."""
    entry = _cache.get(sid)
    if entry is None or time.monotonic() - entry[1] > settings.CINEMA_LIVE_CACHE_SECONDS:
        return None
    return entry[0]


def remember(sid: str, answer: bool) -> None:
    """Keep an answer (from Redis, the database or a stop) for CINEMA_LIVE_CACHE_SECONDS."""
    with _lock:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[sid] = (answer, time.monotonic())


def _from_redis(sid: str) -> bool | None:
    client = redis_client()
    if client is None:
        return None
    try:
        value = client.get(key(sid))
    except Exception as exc:  # redis' ConnectionError, TimeoutError …
        raise Unavailable(str(exc)) from exc
    return _answer(value)


class Unavailable(Exception):
    """Redis did not answer whether the session is live (down, or too slow)."""


def _answer(value: bytes | None) -> bool | None:
    if value is None:
        return None
    return value != ENDED and int(value) > time.time()


async def _from_redis_async(sid: str) -> bool | None:
    if not settings.REDIS_URL:
        return None
    try:
        value = await pipelined.for_this_loop().run("GET", key(sid))
    except Exception as exc:  # ConnectionError (down, or too slow), ReplyError
        raise Unavailable(str(exc)) from exc
    return _answer(value)


def from_database(sid: str) -> bool:
    """The session row's answer (Redis has no key for it, or there is no Redis)."""
    from kinomost.cinema.viewing_models import PlaybackSession

    try:
        return PlaybackSession.objects.filter(public_id=sid, ended_at__isnull=True, token_expires_at__gt=timezone.now()).exists()
    except (ValueError, TypeError):
        return False
