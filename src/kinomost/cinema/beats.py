"""Heartbeats: one cheap write on the request path, folded into playback sessions in batches.

A heartbeat only says "session S was at position P, having watched N seconds since the last
beat, at time T". Writing a database row per beat would be 66,667 writes/s for a million viewers
beating every 15 s; instead:

- with KINOMOST_REDIS_URL (production): the request makes one XADD to the Redis stream
  `kinomost:playback:beats` (prefix: KINOMOST_REDIS_PREFIX) — in front of Django inside the one
  script that also checks the session is live (`record_if_live_async`); folders (a thread in every web process, and `kinomost
  playback-fold`) read it as the consumer group `fold`, fold a batch into the sessions in one
  transaction, then XACK it. A folder that dies before XACK leaves its batch pending; another
  claims it after CLAIM_IDLE_MS and folds it again.
- without Redis (the embedded default): the process keeps beats in memory and folds them every
  CINEMA_BEAT_FLUSH_SECONDS (and at exit). A process killed outright loses the beats it received
  since its last flush: at most CINEMA_BEAT_FLUSH_SECONDS (default 2 s) of heartbeats, i.e. at
  most one beat per session (players beat every 15 s); the next beat's seconds are capped by the
  wall clock, so the lost seconds are not counted twice either.

The fold is idempotent and order-free: each beat has an increasing key (the stream entry id, or
the process's microsecond clock), and a session remembers the keys (and times) of the beats it
folded in the last REMEMBER_SECONDS (`recent_beats`) besides the newest key (`folded_through`). A
replayed batch changes nothing, and a batch folded late — one a killed folder had read but not
acknowledged, claimed by another folder after CLAIM_IDLE_MS, while the session's newer beats were
folded — still counts: a watermark alone would skip it (the seconds lost in the topology test of
2026-12-03). A beat older than the remembered window is taken as folded (it can only come from a
batch left pending for over REMEMBER_SECONDS; it is logged). The fold caps each beat's seconds at
the wall-clock time since the beat before it in time (of those known when it is folded) plus
HEARTBEAT_SLACK, so royalties cannot be inflated, and keeps per session the position of the newest
beat, the seconds watched and the first and last beat.
"""

from __future__ import annotations

import atexit
import bisect
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from kinomost.cinema import live, pipelined
from kinomost.core.db import read_in_django_thread

log = logging.getLogger(__name__)

GROUP = "fold"
STREAM_MAXLEN = 5_000_000  # ~20 min of a million viewers' beats: trimmed approximately, folded long before
CLAIM_IDLE_MS = 30_000
BATCH = 5_000
HEARTBEAT_SLACK = 5.0  # seconds a beat may claim beyond the wall-clock time since the previous one
# How long a session remembers the beats it folded: twenty claim delays, so a batch claimed from a
# dead folder (after CLAIM_IDLE_MS) is always recognised. Keys count nanoseconds (see Beat.key).
REMEMBER_SECONDS = 600
_REMEMBER_KEYS = REMEMBER_SECONDS * 10**9


def stream() -> str:
    return settings.CINEMA_REDIS_PREFIX + "beats"


@dataclass(frozen=True)
class Beat:
    key: int  # increasing: ms * 10**6 + sequence (Redis entry id), or µs * 1000 + counter (memory)
    session: str
    position: float
    seconds: float
    at: float  # server time, Unix seconds


class NotRecorded(Exception):
    """Redis did not take the beat (down, or too slow): the heartbeat is refused, not lost silently."""


def _entry(session_id, position: float, seconds: float, at: float) -> dict:
    """A stream entry: one field `b` = "session position seconds time" (one field, not four:
    packing the command is most of a beat's CPU in redis-py)."""
    return {"b": f"{session_id} {float(position)!r} {float(seconds)!r} {at!r}"}


def record(session_id, position: float, seconds: float, now: float | None = None) -> None:
    """The one write of a heartbeat's request: to Redis, or to the process's buffer."""
    at = time.time() if now is None else now
    client = live.redis_client()
    if client is not None:
        try:
            client.xadd(stream(), _entry(session_id, position, seconds, at), maxlen=STREAM_MAXLEN, approximate=True)
        except Exception as exc:  # redis' ConnectionError, TimeoutError …
            raise NotRecorded(str(exc)) from exc
    else:
        _buffer.add(str(session_id), float(position), float(seconds), at)
    ensure_folder()


# What became of a heartbeat: the one rule "a beat is recorded only for a live session", answered
# by `record_if_live` (Django) and `record_if_live_async` (in front of Django).
RECORDED, ENDED, UNAVAILABLE = "recorded", "ended", "unavailable"

# The liveness read and the XADD in one round trip: KEYS[1] the session's liveness key
# (live.key: its hard end, or "ended"), KEYS[2] the stream; ARGV the time now, the stream's
# MAXLEN and the entry. 1 recorded, 0 not live (nothing written), -1 no key (Redis lost it: the
# caller asks the database). "Live" is live._answer's rule: not "ended", and the hard end ahead. Both keys on one Redis (not Redis Cluster: there they would need
# one hash tag).
_RECORD_IF_LIVE = """
local value = redis.call('GET', KEYS[1])
if not value then return -1 end
local hard_end = tonumber(value)
if not hard_end or hard_end <= tonumber(ARGV[1]) then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'b', ARGV[3])
return 1
"""


def record_if_live(session_id, position: float, seconds: float, is_live=live.is_live) -> str:
    """A heartbeat through Django: liveness (this process's memory, Redis, the database), then
    `record`. RECORDED, ENDED or UNAVAILABLE (Redis could not answer or take the beat)."""
    try:
        if not is_live(session_id):
            return ENDED
        record(session_id, position, seconds)
    except (live.Unavailable, NotRecorded):
        return UNAVAILABLE
    return RECORDED


async def record_if_live_async(session_id, position: float, seconds: float, now: float | None = None) -> str:
    """`record_if_live` for the path in front of Django, without blocking the event loop and, with
    Redis, in one round trip: one script checks the session's liveness key and appends the beat
    (`_RECORD_IF_LIVE`), pipelined with the scripts of the other requests waiting at that moment
    (`cinema.pipelined`). Why one script, not a GET then an XADD: each command awaited is a round
    trip, a wake-up of the loop and a task resumed (docs/decisions.md). The answer is the one Redis
    holds now; a process's memory only spares Redis the beats of a session it knows ended.
    Without Redis: liveness from memory or the database (in Django's thread), then the buffer."""
    sid, at = str(session_id), (time.time() if now is None else now)
    if not settings.REDIS_URL:
        if not await live.is_live_async(sid):  # this process's memory first, then the row
            return ENDED
        _buffer.add(sid, float(position), float(seconds), at)
        ensure_folder()
        return RECORDED
    if live.cached(sid) is False:
        return ENDED
    entry = _entry(sid, position, seconds, at)["b"]
    connection = pipelined.for_this_loop()
    try:
        answer = await connection.run_script(_RECORD_IF_LIVE, [live.key(sid), stream()], [repr(time.time()), STREAM_MAXLEN, entry])
        if answer == -1:  # Redis has no key for the session (restarted without its data): its row says
            if not await read_in_django_thread(live.from_database, sid):
                live.remember(sid, False)
                return ENDED
            await connection.run("XADD", stream(), "MAXLEN", "~", STREAM_MAXLEN, "*", "b", entry)
    except Exception:  # ConnectionError (down, or too slow), ReplyError
        return UNAVAILABLE
    live.remember(sid, answer != 0)
    if answer == 0:
        return ENDED
    ensure_folder()
    return RECORDED


def fold(beats: list[Beat]) -> int:
    """Fold beats into their sessions, in one transaction; returns how many sessions changed.
    Beats of unknown sessions are dropped; beats a session folded before change nothing."""
    from kinomost.cinema.viewing_models import PlaybackSession

    by_session: dict[str, list[Beat]] = {}
    for beat in sorted(beats, key=lambda b: b.key):
        by_session.setdefault(beat.session, []).append(beat)
    if not by_session:
        return 0
    changed = []
    with transaction.atomic():
        sessions = PlaybackSession.objects.select_for_update().filter(public_id__in=list(by_session))
        for session in sessions:
            if _fold_into(session, by_session[str(session.public_id)]):
                changed.append(session)
        _write_folded(changed)
    return len(changed)


_FOLDED_FIELDS = ("position", "seconds_watched", "first_beat_at", "last_heartbeat_at", "folded_through", "recent_beats")


def _write_folded(sessions) -> None:
    """One UPDATE per changed session, sent as one executemany. Why not `bulk_update`: its CASE
    WHEN per field and row cost the folder 84 % of its CPU (a batch's thousands of sessions, six
    fields each: ~1.9 s of expression building per 5,000 beats); the values are prepared by the
    fields themselves (`get_db_prep_save`: JSON, datetimes), as the ORM would."""
    from kinomost.cinema.viewing_models import PlaybackSession

    if not sessions:
        return
    meta, quote = PlaybackSession._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in _FOLDED_FIELDS]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [field.get_db_prep_save(getattr(session, field.attname), connection) for field in fields] + [session.pk] for session in sessions
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _fold_into(session, beats: list[Beat]) -> bool:
    """Add the beats the session has not folded yet (`beats` sorted by key)."""
    recent = [(int(key), float(at)) for key, at in (session.recent_beats or [])]
    known = {key for key, _ in recent}
    horizon = session.folded_through - _REMEMBER_KEYS
    fresh, too_old = [], 0
    for b in beats:  # one pass: folded before (known), older than the remembered window, or fresh
        if b.key in known:
            continue
        if b.key > horizon:
            fresh.append(b)
        else:
            too_old += 1
    if too_old:
        log.warning("session %s: %d beats older than %s s arrived; taken as folded", session.public_id, too_old, REMEMBER_SECONDS)
    if not fresh:
        return False
    # Each beat's seconds are capped by the wall clock since the beat before it in time: the
    # remembered beats, the session's start (or last beat, for a session folded before it
    # remembered its beats), and the fresh beats themselves.
    times = sorted([at for _, at in recent] or [session.last_heartbeat_at.timestamp()])
    added = 0.0
    # `times` stays sorted, so the beat before one in time is found by bisection: a scan per beat
    # made a batch quadratic in one session's beats (a fifth of an embedded worker's CPU under a
    # bench's 32 players, each beating as fast as it can).
    for beat in sorted(fresh, key=lambda b: (b.at, b.key)):
        before = bisect.bisect_right(times, beat.at)
        previous = times[before - 1] if before else session.started_at.timestamp()
        added += max(0.0, min(beat.seconds, max(0.0, beat.at - previous) + HEARTBEAT_SLACK))
        times.insert(before, beat.at)
    session.seconds_watched += added
    newest = max(fresh, key=lambda b: b.key)
    if newest.key > session.folded_through:
        if session.ended_at is None:  # a stop's position is newer than any beat folded after it
            session.position = newest.position
        session.folded_through = newest.key
    first = min(b.at for b in fresh)
    if session.first_beat_at is None or first < session.first_beat_at.timestamp():
        session.first_beat_at = _when(first)
    last = max(b.at for b in fresh)
    if last > session.last_heartbeat_at.timestamp():
        session.last_heartbeat_at = _when(last)
    keep_from = session.folded_through - _REMEMBER_KEYS
    remembered = sorted(recent + [(b.key, b.at) for b in fresh])
    session.recent_beats = [[key, at] for key, at in remembered if key > keep_from]
    return True


def _when(at: float) -> datetime:
    return datetime.fromtimestamp(at, tz=dt_timezone.utc)


def drain() -> int:
    """Fold everything recorded so far (tests, `kinomost playback-fold --once`, process exit)."""
    client = live.redis_client()
    if client is None:
        return fold(_buffer.take())
    total = 0
    consumer = RedisFolder(client, name="drain")
    while (n := consumer.step(block_ms=None)) is not None:
        total += n
    return total


class _Buffer:
    """The embedded profile's beats, kept until the next flush."""

    def __init__(self):
        self._lock = threading.Lock()
        self._beats: list[Beat] = []
        self._last_key = 0

    def add(self, session: str, position: float, seconds: float, at: float) -> None:
        with self._lock:
            key = max(time.time_ns() // 1000 * 1000, self._last_key + 1)
            self._last_key = key
            self._beats.append(Beat(key, session, position, seconds, at))

    def take(self) -> list[Beat]:
        with self._lock:
            beats, self._beats = self._beats, []
        return beats

    def put_back(self, beats: list[Beat]) -> None:
        with self._lock:
            self._beats[:0] = beats


_buffer = _Buffer()


class RedisFolder:
    """One consumer of the `fold` group: read a batch (new entries, or entries another consumer
    left pending too long), fold, acknowledge."""

    def __init__(self, client, name: str):
        self.client, self.name = client, name
        try:
            client.xgroup_create(stream(), GROUP, id="0", mkstream=True)
        except Exception as exc:  # BUSYGROUP: it exists
            if "BUSYGROUP" not in str(exc):
                raise

    def step(self, block_ms: int | None = 1000) -> int | None:
        """Fold one batch; None when there was nothing to read."""
        _, claimed, _ = self.client.xautoclaim(stream(), GROUP, self.name, CLAIM_IDLE_MS, "0-0", count=BATCH)
        entries = list(claimed)
        if not entries:
            answer = self.client.xreadgroup(GROUP, self.name, {stream(): ">"}, count=BATCH, block=block_ms)
            entries = answer[0][1] if answer else []
        if not entries:
            return None
        beats = [b for b in (_parse(entry_id, fields) for entry_id, fields in entries) if b is not None]
        folded = fold(beats)
        self.client.xack(stream(), GROUP, *[entry_id for entry_id, _ in entries])
        return folded


def _parse(entry_id, fields) -> Beat | None:
    """A stream entry as a Beat; entries of the four-field shape (before `b`) are read too."""
    try:
        ms, seq = (entry_id.decode() if isinstance(entry_id, bytes) else entry_id).split("-")
        key = int(ms) * 10**6 + int(seq)
        if b"b" in fields:
            session, position, seconds, at = fields[b"b"].decode().split(" ")
        else:
            session, position, seconds, at = (fields[k].decode() for k in (b"s", b"p", b"w", b"t"))
        return Beat(key, session, float(position), float(seconds), float(at))
    except (KeyError, ValueError, AttributeError):
        log.warning("dropping a malformed beat %r", entry_id)
        return None


# --- the background folder of a web process

_folder_started = False
_folder_lock = threading.Lock()


def ensure_folder() -> None:
    """Start this process's folder thread at its first beat or session start (not in tests: they
    drain), so beats are folded and lapsed sessions ended even where players never beat."""
    global _folder_started
    if _folder_started or not settings.CINEMA_BEAT_FOLDER_THREAD:
        return
    with _folder_lock:
        if _folder_started:
            return
        _folder_started = True
        threading.Thread(target=run_folder, name="kinomost-beat-folder", daemon=True).start()
        atexit.register(_flush_at_exit)


def run_folder(stop: threading.Event | None = None, name: str | None = None) -> None:
    """Fold beats until `stop` is set: every CINEMA_BEAT_FLUSH_SECONDS, and every
    CINEMA_RECHECK_SECONDS end the sessions whose licence or subscription lapsed and forget
    expired sign-ins (`housekeeping.run`)."""
    import os
    import socket

    from kinomost.cinema import housekeeping

    stop = stop or threading.Event()
    name = name or f"{socket.gethostname()}-{os.getpid()}"
    next_check = time.monotonic() + settings.CINEMA_RECHECK_SECONDS
    while not stop.is_set():
        try:
            client = live.redis_client()
            if client is None:
                stop.wait(settings.CINEMA_BEAT_FLUSH_SECONDS)
                _flush_buffer()
            else:
                folder = RedisFolder(client, name)
                while folder.step(block_ms=int(settings.CINEMA_BEAT_FLUSH_SECONDS * 1000)) is not None and not stop.is_set():
                    pass
            if time.monotonic() >= next_check:
                housekeeping.run()
                next_check = time.monotonic() + settings.CINEMA_RECHECK_SECONDS
        except Exception:
            log.exception("folding heartbeats failed; retrying")
            close_old_connections()
            stop.wait(1)


def _flush_buffer() -> None:
    beats = _buffer.take()
    if not beats:
        return
    try:
        fold(beats)
    except Exception:
        _buffer.put_back(beats)  # the database is away: keep them for the next flush
        raise


def _flush_at_exit() -> None:
    try:
        _flush_buffer()
    except Exception:
        log.exception("could not fold the last heartbeats at exit")
