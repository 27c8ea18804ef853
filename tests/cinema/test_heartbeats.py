"""Heartbeats in front of Django (cinema/front.py) and their fold into sessions (cinema/beats.py):
the token and tenancy rules, one write and no database on the request path, in the embedded
profile and with Redis (DB 2 of the local server, a key prefix per test), and a fold that a
replayed or re-claimed batch does not change."""

import asyncio
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from kinomost.cinema import beats, front, live, playback, storefront
from kinomost.cinema.delivery import HLSDelivery
from kinomost.cinema.viewing_models import PlaybackSession
from kinomost.core.db import close_django_thread_connections

from .servers import free_port
from .viewing import (
    hold,
    main_profile,
    make_platform,
    make_work,
    ready_asset,
    viewer_of,
)

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/2"


@pytest.fixture
def platform(org_a):
    return make_platform(org_a)


@pytest.fixture
def film(org_a, platform):
    work = make_work(org_a, "brother", ratings=[("RU", "MKRF", "16+")])
    hold(org_a, [work])
    ready_asset(org_a, work, platform, duration=3 * 3600)
    return work


def _start(platform, viewer, work):
    profile = main_profile(viewer)
    return playback.start(
        viewer, profile, storefront.Viewing(platform=platform, territory=viewer.country, max_age=profile.max_age), work.pk
    )


class Django:
    def __init__(self):
        self.seen = []

    async def __call__(self, scope, receive, send):
        self.seen.append((scope["method"], scope["path"]))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(app, method, path, body=b"", headers=(), query=b""):
    """One request through the ASGI app, in a thread of its own (a browser test may leave a loop).
    A body comes with its Content-Length, as an HTTP/1.1 client sends it; a request without one
    fails if the app awaits `receive` (there is nothing to read)."""
    sent = []

    async def receive():
        assert body, "the app read the body of a request that has none"
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    headers = [(k.encode(), v.encode()) for k, v in headers]
    if body and not any(k == b"content-length" for k, _ in headers):
        headers.append((b"content-length", b"%d" % len(body)))
    scope = {"type": "http", "http_version": "1.1", "method": method, "path": path, "query_string": query, "headers": headers}
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    payload = b"".join(m.get("body", b"") for m in sent[1:])
    return sent[0]["status"], dict(sent[0]["headers"]), payload


def beat(app, started, body=None, token=None, session=None):
    payload = json.dumps(body if body is not None else {"position": 10, "seconds": 10}).encode()
    headers = [("authorization", f"Bearer {token or started.playback_token}"), ("content-type", "application/json")]
    return call(app, "POST", f"/playback/{session or started.session.public_id}/heartbeat", payload, headers)


@pytest.fixture
def app():
    yield front.PlaybackFront(HLSDelivery(Django()))
    with ThreadPoolExecutor(1) as pool:  # the front's reads left a connection in Django's thread: the test database is dropped after
        pool.submit(asyncio.run, close_django_thread_connections()).result()


@pytest.fixture
def redis(settings):
    """The production profile: liveness and beats in Redis, under a prefix of this test's own."""
    import redis as redis_lib

    client = redis_lib.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis_lib.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (the test needs it: apt-get install redis-server)")
    settings.REDIS_URL = REDIS_URL
    settings.CINEMA_REDIS_PREFIX = prefix = f"test:{uuid.uuid4().hex}:"
    live.forget()
    yield client
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    live.forget()


def test_a_heartbeat_touches_no_database_and_is_folded_into_its_session(app, platform, film, django_assert_num_queries):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    PlaybackSession.objects.filter(pk=started.session.pk).update(last_heartbeat_at=timezone.now() - timedelta(seconds=15))
    with django_assert_num_queries(0):
        status, headers, body = beat(app, started, {"position": 15.5, "seconds": 15})
    assert status == 200 and json.loads(body) == {"ok": True, "expires": started.expires}
    assert headers[b"cache-control"] == b"no-store"
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.seconds_watched == 0  # not yet folded: nothing was written on the request path
    assert beats.drain() == 1
    session.refresh_from_db()
    assert session.position == 15.5 and 15 <= session.seconds_watched <= 20 and session.first_beat_at is not None


def test_heartbeats_with_the_wrong_token_session_or_input_are_refused(app, platform, film):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    other = viewer_of(platform, email="other@example.com")
    theirs = _start(platform, other, film)
    assert beat(app, started, token="1.forged")[0] == 403
    assert beat(app, started, token=f"{started.expires}.{'A' * 24}")[0] == 403
    assert beat(app, started, token=theirs.playback_token)[0] == 403  # another viewer's session token on mine
    assert beat(app, theirs, token=started.playback_token)[0] == 403  # my token on another viewer's session
    assert beat(app, started, session=uuid.uuid4())[0] == 403  # a session that does not exist
    no_token = call(app, "POST", f"/playback/{started.session.public_id}/heartbeat", b'{"position": 1, "seconds": 1}')
    assert no_token[0] == 403
    in_body = call(
        app,
        "POST",
        f"/playback/{started.session.public_id}/heartbeat",
        json.dumps({"position": 1, "seconds": 1, "token": started.playback_token}).encode(),
    )
    assert in_body[0] == 200  # navigator.sendBeacon puts the token in the body
    for bad in (
        {"position": -1, "seconds": 1},
        {"position": "x", "seconds": 1},
        {"position": 1, "seconds": 10**6},
        {"position": True, "seconds": 1},
        [1, 2],
    ):
        status, _, body = beat(app, started, bad)
        assert status == 400 and json.loads(body)["error"] == "invalid", bad
    for raw in (b"not json", b'{"position": NaN, "seconds": 1}', b"\xff\xfe"):
        assert (
            call(
                app,
                "POST",
                f"/playback/{started.session.public_id}/heartbeat",
                raw,
                [("authorization", f"Bearer {started.playback_token}")],
            )[0]
            == 400
        )
    huge = call(
        app,
        "POST",
        f"/playback/{started.session.public_id}/heartbeat",
        b" " * 5000,
        [("authorization", f"Bearer {started.playback_token}")],
    )
    assert huge[0] == 413
    assert beats.drain() == 1  # only the good beat of the body-token form reached the session


def test_a_stopped_or_revoked_session_refuses_heartbeats(app, platform, film):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    assert beat(app, started)[0] == 200
    playback.stop(viewer, started.session.public_id, position=42)
    status, _, body = beat(app, started)
    assert status == 409 and json.loads(body)["error"] == "ended"
    second = _start(platform, viewer, film)
    playback.revoke(PlaybackSession.objects.filter(pk=second.session.pk), "takedown")
    assert beat(app, second)[0] == 409
    beats.drain()
    assert PlaybackSession.objects.get(pk=started.session.pk).position == 42  # a beat folded after stop keeps the stop's position


def test_a_beat_with_its_numbers_in_the_query_is_answered_without_reading_a_body(app, platform, film):
    """The players' form: POST …/heartbeat?position=…&seconds=… with no body. The path in front
    of Django does not await `receive` for it (a receive here would fail the request); the token
    is never taken from the query (URLs are logged)."""
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    PlaybackSession.objects.filter(pk=started.session.pk).update(last_heartbeat_at=timezone.now() - timedelta(seconds=20))
    path = f"/playback/{started.session.public_id}/heartbeat"

    def bodiless(query: bytes, headers: list):
        status, _, answer = call(app, "POST", path, headers=headers, query=query)  # `call` fails a read of the body
        return status, json.loads(answer)

    bearer = [("authorization", f"Bearer {started.playback_token}")]
    assert bodiless(b"position=61.5&seconds=15", bearer + [("content-length", "0")]) == (200, {"ok": True, "expires": started.expires})
    assert bodiless(b"seconds=1&position=-1", bearer)[0] == 400
    assert bodiless(b"position=nan&seconds=1", bearer)[0] == 400
    assert bodiless(f"position=1&seconds=1&token={started.playback_token}".encode(), [])[0] == 403
    assert beats.drain() == 1
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.position == 61.5 and session.seconds_watched == pytest.approx(15)
    # A body, when there is one, is read and its numbers win over the query's.
    status, _, _ = call(
        app,
        "POST",
        path,
        b'{"position": 70, "seconds": 5}',
        [("authorization", f"Bearer {started.playback_token}")],
        b"position=1&seconds=1",
    )
    assert status == 200 and beats.drain() == 1
    assert PlaybackSession.objects.get(pk=started.session.pk).position == 70


def test_other_requests_go_on_to_django(app, platform, film):
    django = app.app.app
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    assert call(app, "GET", f"/playback/{started.session.public_id}/heartbeat")[0] == 299
    assert call(app, "POST", f"/playback/{started.session.public_id}/stop", b"{}")[0] == 299
    assert call(app, "POST", "/playback/not-a-session/heartbeat")[0] == 299
    assert django.seen[-1] == ("POST", "/playback/not-a-session/heartbeat")


def test_the_django_view_applies_the_same_rules(client, platform, film):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    url = f"/playback/{started.session.public_id}/heartbeat"
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {started.playback_token}"}
    assert client.post(url, {"position": 3, "seconds": 3}, content_type="application/json", **bearer).status_code == 200
    assert client.post(url, {"position": -3, "seconds": 3}, content_type="application/json", **bearer).status_code == 400
    assert client.post(url + "?position=4&seconds=1", **bearer).status_code == 200  # the players' form, no body
    assert client.post(url + "?position=4&seconds=x", **bearer).status_code == 400
    assert client.post(url, {"position": 3, "seconds": 3}, content_type="application/json").status_code == 403
    stop = client.post(f"/playback/{started.session.public_id}/stop", {"position": 3}, content_type="application/json", **bearer)
    assert stop.status_code == 200 and PlaybackSession.objects.get(pk=started.session.pk).ended_at is not None
    assert client.post(url, {"position": 3, "seconds": 3}, content_type="application/json", **bearer).status_code == 409
    assert client.post(f"/playback/{uuid.uuid4()}/stop", {}, content_type="application/json", **bearer).status_code == 403


def test_the_fold_caps_seconds_by_the_wall_clock_and_a_replayed_batch_changes_nothing(platform, film):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    t0 = started.session.last_heartbeat_at.timestamp()
    sid = str(started.session.public_id)
    batch = [
        beats.Beat(1_000, sid, 15.0, 15.0, t0 + 15),
        beats.Beat(2_000, sid, 30.0, 900.0, t0 + 30),  # claims 900 s in 15
        beats.Beat(3_000, sid, 45.0, 15.0, t0 + 45),
    ]
    assert beats.fold(batch) == 1
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.seconds_watched == pytest.approx(15 + 20 + 15) and session.position == 45.0
    assert session.first_beat_at.timestamp() == pytest.approx(t0 + 15) and session.last_heartbeat_at.timestamp() == pytest.approx(t0 + 45)
    assert beats.fold(batch) == 0 and beats.fold(batch[:1]) == 0  # replayed: nothing changes
    again = PlaybackSession.objects.get(pk=started.session.pk)
    assert (again.seconds_watched, again.position, again.folded_through) == (session.seconds_watched, 45.0, 3_000)
    assert beats.fold([beats.Beat(9, str(uuid.uuid4()), 1, 1, t0)]) == 0  # an unknown session: dropped


def test_a_batch_folded_after_newer_beats_still_counts_once(platform, film):
    """A killed folder's batch is claimed by another folder after CLAIM_IDLE_MS, by when the
    session's newer beats may be folded: its seconds still count, once (a watermark alone lost
    them: 2 s of 14 in the topology test), and the newest beat keeps the position."""
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    t0 = started.session.last_heartbeat_at.timestamp()
    sid = str(started.session.public_id)
    older = [beats.Beat(k * 10**9, sid, 2.0 * k, 2.0, t0 + 2 * k) for k in (1, 2, 3)]
    newer = [beats.Beat(k * 10**9, sid, 2.0 * k, 2.0, t0 + 2 * k) for k in (4, 5, 6, 7)]
    assert beats.fold(newer) == 1  # the other node's folder, first
    assert beats.fold(older) == 1  # the dead folder's batch, claimed late
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.seconds_watched == pytest.approx(14.0) and session.position == 14.0
    assert session.first_beat_at.timestamp() == pytest.approx(t0 + 2) and session.last_heartbeat_at.timestamp() == pytest.approx(t0 + 14)
    assert beats.fold(older) == 0 and beats.fold(newer) == 0 and beats.fold(older[1:] + newer[:1]) == 0  # replays: nothing
    assert PlaybackSession.objects.get(pk=started.session.pk).seconds_watched == pytest.approx(14.0)


def test_a_beat_older_than_the_remembered_window_is_taken_as_folded(platform, film):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    t0 = started.session.last_heartbeat_at.timestamp()
    sid = str(started.session.public_id)
    late_key = 10**9
    now_key = late_key + (beats.REMEMBER_SECONDS + 60) * 10**9
    assert beats.fold([beats.Beat(now_key, sid, 700.0, 15.0, t0 + 700)]) == 1
    assert beats.fold([beats.Beat(late_key, sid, 1.0, 1.0, t0 + 1)]) == 0  # beyond the window: dropped, not added
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.seconds_watched == pytest.approx(15.0) and session.position == 700.0
    assert [key for key, _ in session.recent_beats] == [now_key]  # what is remembered stays bounded


@pytest.fixture
def one_session(platform, film):
    """One session for all the examples of a test (a viewer's stream limit caps new ones)."""
    return _start(platform, viewer_of(platform), film).session


@examples(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=12),
    st.randoms(use_true_random=False),
    st.integers(min_value=0, max_value=3),
)
def test_any_batching_order_and_replay_of_honest_beats_folds_to_the_same_session(one_session, batch_of, rng, replays):
    """Honest beats (seconds no more than the time since the previous one), split into batches
    folded in any order, with batches replayed: every second counted once, the newest position."""
    session = one_session
    PlaybackSession.objects.filter(pk=session.pk).update(
        seconds_watched=0, position=0, folded_through=0, recent_beats=None, first_beat_at=None, last_heartbeat_at=session.started_at
    )
    t0 = session.started_at.timestamp()
    sid = str(session.public_id)
    sent = [beats.Beat((i + 1) * 10**9, sid, 3.0 * (i + 1), 3.0, t0 + 3 * (i + 1)) for i in range(len(batch_of))]
    batches = [[b for b, n in zip(sent, batch_of, strict=True) if n == k] for k in range(5)]
    batches = [b for b in batches if b]
    order = batches + [rng.choice(batches) for _ in range(replays)]
    rng.shuffle(order)
    for batch in order:
        beats.fold(batch)
    session = PlaybackSession.objects.get(pk=session.pk)
    assert session.seconds_watched == pytest.approx(3.0 * len(sent))
    assert session.position == sent[-1].position and session.folded_through == sent[-1].key
    assert session.first_beat_at.timestamp() == pytest.approx(sent[0].at) and session.last_heartbeat_at.timestamp() == pytest.approx(
        sent[-1].at
    )


def test_with_redis_a_beat_is_one_xadd_and_liveness_is_read_from_redis(app, redis, platform, film, django_assert_num_queries):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    assert redis.get(f"{redis_prefix()}live:{started.session.public_id}") == str(started.expires).encode()
    live.forget()  # not even this process's memory: the answer comes from Redis
    with django_assert_num_queries(0):
        assert beat(app, started, {"position": 12, "seconds": 12})[0] == 200
    assert redis.xlen(beats.stream()) == 1
    assert beats.drain() == 1
    assert PlaybackSession.objects.get(pk=started.session.pk).position == 12
    playback.stop(viewer, started.session.public_id)
    assert redis.get(f"{redis_prefix()}live:{started.session.public_id}") == b"ended"
    live.forget()
    assert beat(app, started)[0] == 409


def test_with_redis_beats_arriving_together_share_a_round_trip_and_each_is_recorded(app, redis, platform, film, monkeypatch):
    """Fifty beats at once on one event loop: each answered 200 only once its entry is in the
    stream, in fewer round trips than beats (group commit)."""
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    path = f"/playback/{started.session.public_id}/heartbeat"
    headers = [(b"authorization", f"Bearer {started.playback_token}".encode()), (b"content-type", b"application/json")]
    statuses = []

    async def one(position):
        sent = []

        body = json.dumps({"position": position, "seconds": 1}).encode()

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            sent.append(message)

        length = [(b"content-length", b"%d" % len(body))]
        await app({"type": "http", "method": "POST", "path": path, "headers": headers + length}, receive, send)
        statuses.append(sent[0]["status"])

    from kinomost.cinema import pipelined

    round_trips = []  # the beats (a script each: liveness and XADD) of each write to Redis
    flush = pipelined._Protocol._flush

    def counted(self):
        written = bytes(self.outgoing)
        assert b"XADD\r\n" not in written and b"GET\r\n" not in written  # nothing but the scripts
        round_trips.append(written.count(b"\r\nEVALSHA\r\n") + written.count(b"\r\nEVAL\r\n"))
        flush(self)

    monkeypatch.setattr(pipelined._Protocol, "_flush", counted)

    async def all_at_once():
        await asyncio.gather(*(one(p) for p in range(50)))

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, all_at_once()).result()
    assert statuses == [200] * 50 and redis.xlen(beats.stream()) == 50
    assert sum(round_trips) == 50 and len(round_trips) < 50
    beats.drain()
    assert PlaybackSession.objects.get(pk=started.session.pk).position == 49


@pytest.mark.django_db(transaction=True)  # a lost key is answered by the row, read in Django's thread
def test_with_redis_a_beat_is_one_script_that_redis_may_have_forgotten_and_a_lost_key_asks_the_row(app, redis, platform, film):
    """Redis restarted without its data: the script is sent again (NOSCRIPT → EVAL), and a
    session whose liveness key is gone is answered by its row — live, recorded; stopped, 409."""
    viewer = viewer_of(platform)
    playing, stopped = _start(platform, viewer, film), _start(platform, viewer, film)
    playback.stop(viewer, stopped.session.public_id)
    redis.script_flush()
    live.forget()
    assert beat(app, playing, {"position": 5, "seconds": 5})[0] == 200  # the script was not cached in Redis
    assert redis.xlen(beats.stream()) == 1
    for started in (playing, stopped):
        redis.delete(live.key(started.session.public_id))
    live.forget()
    assert beat(app, playing, {"position": 9, "seconds": 4})[0] == 200
    assert beat(app, stopped)[0] == 409
    assert redis.xlen(beats.stream()) == 2  # the stopped session's beat was not written
    assert beats.drain() == 1
    assert PlaybackSession.objects.get(pk=playing.session.pk).position == 9


def test_with_redis_away_a_heartbeat_is_refused_with_503_not_lost_silently(app, redis, platform, film, settings):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    live.forget()
    assert beat(app, started)[0] == 200
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/2"  # Redis went away; liveness is still remembered
    status, _, body = beat(app, started)
    assert status == 503 and json.loads(body)["error"] == "unavailable"


@pytest.mark.django_db(transaction=True)  # the path in front of Django reads the row in Django's thread
def test_with_redis_away_streams_answer_from_memory_or_the_session_row_never_a_500(app, redis, platform, film, settings):
    """Segments, keys and nginx's liveness question go on without Redis: a process's last answer
    for the session, else its row; a stopped session stays refused either way."""
    settings.CINEMA_MAX_STREAMS = 3
    viewer = viewer_of(platform)
    playing, stopped = _start(platform, viewer, film), _start(platform, viewer, film)
    playback.stop(viewer, stopped.session.public_id)
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/2"  # Redis went away
    for memory in ("remembered", "forgotten"):  # forgotten: a process that never served them
        if memory == "forgotten":
            live.forget()
        for started, live_now in ((playing, True), (stopped, False)):
            status, _, _ = call(app, "GET", "/playback/live", headers=[("x-original-uri", started.master_url)])
            assert status == (204 if live_now else 403), (memory, live_now)
            assert call(app, "GET", started.master_url)[0] == (200 if live_now else 403), (memory, live_now)
            assert front.session_stream_live(started.master_url) is live_now  # through Django
    assert beat(app, playing)[0] == 503  # a beat still cannot be recorded: the player sends it again


def test_with_redis_a_batch_left_by_a_dead_folder_is_claimed_and_folded_once(redis, platform, film, monkeypatch):
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    PlaybackSession.objects.filter(pk=started.session.pk).update(last_heartbeat_at=timezone.now() - timedelta(seconds=60))
    for position, ago in ((15, 30), (30, 15)):
        beats.record(started.session.public_id, position, 15, now=time.time() - ago)
    beats.RedisFolder(redis, "dead")  # the group exists
    redis.xreadgroup(beats.GROUP, "dead", {beats.stream(): ">"}, count=10)  # read, then died before folding and XACK
    assert beats.drain() == 0  # nothing new; the dead folder's batch is not yet idle long enough
    monkeypatch.setattr(beats, "CLAIM_IDLE_MS", 0)
    assert beats.drain() == 1
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.position == 30 and session.seconds_watched == pytest.approx(30)
    entries = redis.xrange(beats.stream())
    assert beats.fold([beats._parse(i, f) for i, f in entries]) == 0  # the same batch again: no change
    assert redis.xpending(beats.stream(), beats.GROUP)["pending"] == 0


def redis_prefix():
    from django.conf import settings

    return settings.CINEMA_REDIS_PREFIX


def test_with_redis_away_and_liveness_not_remembered_a_heartbeat_is_refused_with_503(app, redis, platform, film, settings):
    """The liveness question itself cannot be answered: the player is told to send it again, in
    front of Django and through it alike (never a 500)."""
    viewer = viewer_of(platform)
    started = _start(platform, viewer, film)
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/2"
    live.forget()
    status, _, body = beat(app, started)
    assert status == 503 and json.loads(body)["error"] == "unavailable"
    status, answer = front.beat_answer(
        str(started.session.public_id), f"Bearer {started.playback_token}", json.dumps({"position": 1, "seconds": 1}).encode()
    )
    assert status == 503 and answer["error"] == "unavailable"
