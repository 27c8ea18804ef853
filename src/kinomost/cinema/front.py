"""The playback paths in front of Django: heartbeats, nginx's liveness question, CORS preflights.

Why in front: Django's middleware stack answers a trivial request at ~480/s per core here, and a
million viewers beating every 15 s send 66,667 beats/s. `PlaybackFront` wraps the ASGI
application (kinomost.asgi, outside `HLSDelivery`) and answers, without Django:

    POST /playback/<session>/heartbeat?position=s&seconds=s   (or the JSON body
         {"position": s, "seconds": s}; + token, below)  → 200 {"ok": true, "expires": <hard end>}
    GET  /playback/live                   nginx's auth_request: X-Original-URI is a session's
                                          stream URL → 204 live / 403
    OPTIONS on /playback/…, /hls/…, /cinema/keys/…   CORS preflight (cinema/origins.py)

The heartbeat's token is the session's playback token (`tokens.playback_token`, from start), as
`Authorization: Bearer <token>` or a `token` field of the JSON body (navigator.sendBeacon cannot
set headers; never in the query). It checks the token's signature for that session (403
otherwise: a forged token, or another session's — so another viewer's session cannot be driven),
the numbers (400), and that the session is live (409 once stopped, revoked or lapsed) while
making its one write (`beats.record_if_live_async`: with Redis one script that reads the
session's liveness and appends the beat, pipelined with the beats other requests are making at
the same moment; without it the process's memory or the session row, then the process's
buffer), and answers once it is made (503 if Redis cannot answer: the player sends it again).
Never the main database's writes. The players send the numbers in the query and no body: a body
costs granian an ASGI `receive`, which measured as most of a beat's CPU (bench/playback.py).

The same rules answer through Django (`beat_answer`, called by views_stream.session_heartbeat)
for servers without this wrapper and for the test client. `POST /playback/<session>/stop` is a
Django view (it writes the session row).
"""

from __future__ import annotations

import json
import re

from kinomost.cinema import beats, live, origins, tokens

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
HEARTBEAT_PATH = re.compile(r"^/playback/(?P<session>" + _UUID + r")/heartbeat/?\Z")
LIVE_PATH = "/playback/live"
PREFLIGHT_PATHS = re.compile(origins.CORS_PATHS)
MAX_BODY = 4096
MAX_POSITION, MAX_SECONDS = 10**7, 10**5


_ANSWERS = {
    beats.ENDED: (409, {"error": "ended", "detail": "This playback has ended: start it again."}),
    beats.UNAVAILABLE: (503, {"error": "unavailable", "detail": "The heartbeat could not be recorded: send it again."}),
}


def beat_answer(session_id: str, authorization: str | None, body: bytes, query: bytes = b"", is_live=live.is_live) -> tuple[int, dict]:
    """The heartbeat through Django: its checks, then liveness and the write, blocking."""
    checked = check_beat(session_id, authorization, body, query)
    if isinstance(checked, tuple):
        return checked
    return answer_for(checked, beats.record_if_live(session_id, *checked.numbers, is_live=is_live))


async def _async_beat(session_id: str, authorization: str | None, body: bytes, query: bytes) -> tuple[int, dict]:
    """The heartbeat in front of Django: the same checks, then liveness and the write in one
    round trip to Redis (`beats.record_if_live_async`)."""
    checked = check_beat(session_id, authorization, body, query)
    if isinstance(checked, tuple):
        return checked
    return answer_for(checked, await beats.record_if_live_async(session_id, *checked.numbers))


def answer_for(checked: CheckedBeat, outcome: str) -> tuple[int, dict]:
    """What the player is told once the beat was recorded, or why not (the same in both paths)."""
    if outcome == beats.RECORDED:
        return 200, {"ok": True, "expires": checked.expires}
    return _ANSWERS[outcome]


class CheckedBeat:
    """A heartbeat that passed its checks, but for liveness: its numbers and the session's end."""

    __slots__ = ("numbers", "expires")

    def __init__(self, numbers: tuple[float, float], expires: int):
        self.numbers, self.expires = numbers, expires


def check_beat(session_id: str, authorization: str | None, body: bytes, query: bytes = b"") -> CheckedBeat | tuple[int, dict]:
    """The body, the token (for this session) and the numbers, in that order; a refusal is
    (status, answer). The numbers are the body's, else the query's (`?position=…&seconds=…`, the
    form the players send: a beat without a body is not read from the connection at all, which
    is two thirds of a beat's CPU in granian); the token is never read from the query (URLs end
    up in logs)."""
    fields = parse_body(body)
    if fields is None:
        return 400, {"error": "invalid", "detail": 'The body is a JSON object: {"position": seconds, "seconds": seconds}.'}
    if query and "position" not in fields and "seconds" not in fields:
        fields.update(_query_numbers(query))
    token = bearer(authorization) or fields.get("token")
    expires = tokens.check_playback_token(session_id, token if isinstance(token, str) else "")
    if expires is None:
        return 403, {"error": "forbidden", "detail": "This token does not drive this playback session."}
    numbers = _numbers(fields)
    if numbers is None:
        return 400, {"error": "invalid", "detail": "position and seconds are numbers of seconds (0 or more)."}
    return CheckedBeat(numbers, expires)


def bearer(authorization: str | None) -> str | None:
    scheme, _, value = (authorization or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _query_numbers(query: bytes) -> dict:
    """position and seconds from a query string (the last of each wins; nothing else is read)."""
    found = {}
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        if name in (b"position", b"seconds"):
            found[name.decode()] = value.decode("latin-1")
    return found


def parse_body(body: bytes) -> dict | None:
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _numbers(fields: dict) -> tuple[float, float] | None:
    try:
        position, seconds = float(fields.get("position", 0)), float(fields.get("seconds", 0))
    except (TypeError, ValueError):
        return None
    if isinstance(fields.get("position"), bool) or isinstance(fields.get("seconds"), bool):
        return None
    if not (0 <= position < MAX_POSITION and 0 <= seconds < MAX_SECONDS):  # also refuses NaN
        return None
    return position, seconds


def session_stream_live(original_uri: str | None, is_live=live.stream_may_play) -> bool:
    """nginx's question (auth_request): is this session stream URL signed and its session live?"""
    from kinomost.cinema.delivery import SESSION_PATH

    match = SESSION_PATH.match((original_uri or "").split("?", 1)[0])
    if match is None:
        return False
    if not tokens.is_valid_session(match["session"], match["token"], int(match["expires"]), match["asset"]):
        return False
    return is_live(match["session"])


class PlaybackFront:
    """ASGI wrapper: heartbeats, nginx's liveness question and CORS preflights; the rest goes on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        if method == "OPTIONS" and PREFLIGHT_PATHS.match(path):
            await self._preflight(scope, send)
            return
        match = HEARTBEAT_PATH.match(path) if method == "POST" else None
        if match is not None:
            await self._heartbeat(scope, receive, send, match["session"])
            return
        if path == LIVE_PATH and method in ("GET", "HEAD"):
            live_now = await _async_stream_live(_header(scope, b"x-original-uri"))
            await _send(send, 204 if live_now else 403, None, [])
            return
        await self.app(scope, receive, send)

    async def _heartbeat(self, scope, receive, send, session_id: str) -> None:
        authorization, origin = _beat_headers(scope)
        cors = origins.cors_headers(await origins.request_origin(scope) if origin else None)
        body = await _read_body(receive) if _has_body(scope) else b""
        if body is None:
            await _send(send, 413, {"error": "too_large", "detail": "A heartbeat is a few bytes of JSON."}, cors)
            return
        status, answer = await _async_beat(session_id, authorization, body, scope.get("query_string") or b"")
        if status == 200:  # the answer of nearly every beat, written without json.dumps
            await _send_bytes(send, 200, _OK % answer["expires"], cors)
        else:
            await _send(send, status, answer, cors)

    async def _preflight(self, scope, send) -> None:
        origin = await origins.request_origin(scope)
        await _send(send, 204, None, origins.cors_headers(origin, preflight=True))


async def _async_stream_live(original_uri: str | None) -> bool:
    from kinomost.cinema.delivery import SESSION_PATH

    match = SESSION_PATH.match((original_uri or "").split("?", 1)[0])
    if match is None or not tokens.is_valid_session(match["session"], match["token"], int(match["expires"]), match["asset"]):
        return False
    return await live.stream_may_play_async(match["session"])


async def _read_body(receive) -> bytes | None:
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body"):  # a beat's body: one message
        body = message.get("body", b"")
        return body if len(body) <= MAX_BODY else None
    chunks, size = [], 0
    while True:
        if message["type"] == "http.disconnect":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)
        message = await receive()


_OK = b'{"ok": true, "expires": %d}'


async def _send(send, status: int, answer: dict | None, extra: list) -> None:
    if answer is None:
        await _send_bytes(send, status, None, extra)
    else:
        await _send_bytes(send, status, json.dumps(answer).encode(), extra)


async def _send_bytes(send, status: int, body: bytes | None, extra: list) -> None:
    """`body` None: no content (and no content type)."""
    headers = [(b"content-length", b"%d" % len(body or b"")), (b"cache-control", b"no-store"), *extra]
    if body is not None:
        headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body or b""})


def _has_body(scope) -> bool:
    """Whether the request may carry a body: an HTTP/1 request without Content-Length (or with 0)
    and without Transfer-Encoding has none (RFC 9112 §6.3), so `receive` need not be awaited; on
    HTTP/2 and 3 the body is read whatever the headers say."""
    if scope.get("http_version", "1.1") not in ("1.0", "1.1"):
        return True
    for name, value in scope.get("headers") or []:
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"0", b"")):
            return True
    return False


def _beat_headers(scope) -> tuple[str | None, str | None]:
    """(Authorization, Origin) in one pass over the headers."""
    authorization = origin = None
    for key, value in scope.get("headers") or []:
        if key == b"authorization" and authorization is None:  # the first, as _header reads it
            authorization = value.decode("latin-1")
        elif key == b"origin" and origin is None:
            origin = value.decode("latin-1")
    return authorization, origin


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return None
