"""HLS files in the embedded server: the rules of what is served, and a fast path in front of Django.

Why a fast path: through Django, every 1 MB segment passes the middleware stack and a
FileResponse whose chunks are read in a thread and handed to the server one by one — measured
at 0.16× of nginx serving the same files. `HLSDelivery` sits in front of Django in
`kinomost.asgi` and answers GET/HEAD of `/hls/<token>/<expires>/<asset>/<file>` itself: it
checks the token (`tokens.is_valid`, the one owner of token rules), applies the file rules
below and hands the server the file's *path* (`http.response.pathsend`, which granian —
`kinomost serve` — implements: the file is then read and sent outside Python). A server
without the extension gets the file read in a thread and sent in large chunks.

The file rules live here, once: `views_stream.hls_file` (the fallback through Django, and the
view the test client reaches) calls the same functions, and `deploy/nginx.conf` states them
again for nginx (tests/cinema/test_playback_nginx.py proves they agree).

Only the local folder is served here. Where `storage.serves_locally()` says the published files
are elsewhere (object storage), every request goes on to Django, which decides.
"""

from __future__ import annotations

import asyncio
import re
import stat as stat_mode
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kinomost.cinema import live, origins, storage, tokens
from kinomost.cinema.content_types import CONTENT_TYPES, content_type  # noqa: F401 (views_stream reads delivery.content_type)
from kinomost.core.db import read_in_django_thread

PUBLIC_SUFFIXES = frozenset({".m3u8", ".ts", ".vtt", ".jpg", ".m4s", ".mp4", ".aac"})  # stream.json stays unserved
UNFINISHED_MARKS = (".partial-", ".tmp-")  # temporary folders and files of storage's all-or-nothing writes
# Playlists and segments are immutable; the token in the path keeps shared caches per viewer.
CACHE_CONTROL = "private, max-age=3600"

# The characters of a published file's name (what the pipeline writes). Anything else, a NUL
# above all (which the file system calls refuse with ValueError), names no file.
FILE_NAME = re.compile(r"[A-Za-z0-9_./-]+")
# The URL form of tokens.stream_url, as deploy/nginx.conf's location matches it. Anything else
# goes on to Django (whose URL pattern answers 404).
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
HLS_PATH = re.compile(
    r"^/hls/(?P<token>[A-Za-z0-9_-]{22})/(?P<expires>[0-9]{1,12})/"
    r"(?P<asset>" + _UUID + r")/(?P<file>" + FILE_NAME.pattern + r")\Z"
)
# A playback session's folder (tokens.session_base): the session, then the same form as above.
SESSION_PATH = re.compile(
    r"^/hls/s/(?P<session>" + _UUID + r")/(?P<token>[A-Za-z0-9_-]{22})/(?P<expires>[0-9]{1,12})/"
    r"(?P<asset>" + _UUID + r")/(?P<file>" + FILE_NAME.pattern + r")\Z"
)
CHUNK = 512 * 1024
PATHSEND = "http.response.pathsend"


@dataclass(frozen=True)
class PublishedFile:
    path: Path
    size: int
    content_type: str


def is_public_name(relative: str) -> bool:
    """May a player ever fetch this file of an asset folder? Storage-independent: a playlist,
    segment, subtitle or image suffix, only the characters of FILE_NAME, no `..` segment, no
    unfinished (partial/tmp) write."""
    if not FILE_NAME.fullmatch(relative):
        return False
    parts = PurePosixPath(relative).parts
    if not parts or ".." in parts or relative.startswith("/"):
        return False
    if any(mark in relative for mark in UNFINISHED_MARKS):
        return False
    return PurePosixPath(relative).suffix in PUBLIC_SUFFIXES


def local_file(asset_id, relative: str) -> PublishedFile | None:
    """The published file in the local HLS folder, or None (404): a public name, a regular file,
    and inside the asset's folder once links are resolved."""
    if not is_public_name(relative):
        return None
    root = storage.asset_dir(asset_id).resolve()
    target = (root / relative).resolve()
    if root not in target.parents:
        return None
    try:
        info = target.stat()
    except OSError:
        return None
    if not stat_mode.S_ISREG(info.st_mode):
        return None
    return PublishedFile(path=target, size=info.st_size, content_type=content_type(relative))


def response_headers(published: PublishedFile, origin: str | None = None) -> list[tuple[bytes, bytes]]:
    """What nginx's location sends with a file (deploy/nginx.conf), for both paths; CORS for a
    registered app's origin (`origins.cors_headers`)."""
    return [
        (b"content-type", published.content_type.encode()),
        (b"content-length", str(published.size).encode()),
        (b"cache-control", CACHE_CONTROL.encode()),
        (b"x-content-type-options", b"nosniff"),
        *origins.cors_headers(origin),
    ]


def session_playlist(data: bytes, asset_id, base: str) -> bytes:
    """A media playlist as a session's player reads it: the key URI the package names
    (`storage.key_uri`, which needs the site's cookie) becomes the session's own key URL, so a
    player without cookies (ffmpeg, Shaka, ExoPlayer, AVPlayer, a TV) gets the key."""
    return data.replace(f'URI="{storage.key_uri(asset_id)}"'.encode(), f'URI="{base}{tokens.KEY_FILE}"'.encode())


class HLSDelivery:
    """ASGI wrapper: answers token-checked HLS files from the local folder, passes the rest on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        session = self._session_request(scope)
        if session is not None:
            await self._session_file(scope, send, session)
            return
        match = self._hls_request(scope)
        if match is None:
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        origin = await origins.request_origin(scope)
        if not tokens.is_valid(match["token"], int(match["expires"]), match["asset"]):
            await _plain(send, 403, b"invalid or expired stream token", head, origin)
            return
        published = local_file(match["asset"], match["file"])
        if published is None:
            await _plain(send, 404, b"not found", head, origin)
            return
        await _send_file(scope, send, published, head, origin)

    async def _session_file(self, scope, send, match) -> None:
        """A file, or the key, of a playback session's folder: signed for the session, the
        session still live (`live`), then the file rules; media playlists name the session's key."""
        head, origin = scope["method"] == "HEAD", await origins.request_origin(scope)
        if not tokens.is_valid_session(match["session"], match["token"], int(match["expires"]), match["asset"]):
            await _plain(send, 403, b"invalid or expired stream token", head, origin)
            return
        if not await live.stream_may_play_async(match["session"]):
            await _plain(send, 403, b"this playback session has ended", head, origin)
            return
        if match["file"] == tokens.KEY_FILE:
            key = await _session_key(match["session"], match["asset"])
            if key is None:
                await _plain(send, 403, b"no playback session for this asset", head, origin)
                return
            await _bytes(send, key, "application/octet-stream", head, origin, cache="no-store")
            return
        published = local_file(match["asset"], match["file"])
        if published is None:
            await _plain(send, 404, b"not found", head, origin)
            return
        if published.path.suffix == ".m3u8":
            data = await asyncio.to_thread(published.path.read_bytes)
            base = match.string[: match.start("file")]
            await _bytes(send, session_playlist(data, match["asset"], base), published.content_type, head, origin)
            return
        await _send_file(scope, send, published, head, origin)

    @staticmethod
    def _session_request(scope):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        path = scope["path"]
        if not path.startswith(tokens.SESSION_PREFIX) or not storage.serves_locally():
            return None
        return SESSION_PATH.match(path)

    @staticmethod
    def _hls_request(scope):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        path = scope["path"]
        if not path.startswith(tokens.PREFIX) or not storage.serves_locally():
            return None
        return HLS_PATH.match(path)


_keys: dict[tuple[str, str], bytes] = {}  # (session, asset) → key: a session's key never changes


async def _session_key(session_id: str, asset_id: str) -> bytes | None:
    """The key of a live session's asset (liveness checked by the caller), from the database once
    per session and process."""
    found = _keys.get((session_id, asset_id))
    if found is None:
        from kinomost.cinema.viewing_models import PlaybackSession

        def read():
            return (
                PlaybackSession.objects.filter(public_id=session_id, asset__public_id=asset_id).values_list("asset__key", flat=True).first()
            )

        key = await read_in_django_thread(read)
        if key is None:
            return None
        if len(_keys) > 100_000:
            _keys.clear()
        found = _keys[(session_id, asset_id)] = bytes(key)
    return found


async def _bytes(send, body: bytes, content_type: str, head: bool, origin: str | None, cache: str = CACHE_CONTROL) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", cache.encode()),
                (b"x-content-type-options", b"nosniff"),
                *origins.cors_headers(origin),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else body})


async def _plain(send, status: int, body: bytes, head: bool, origin: str | None = None) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
                *origins.cors_headers(origin),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if head else body})


async def _send_file(scope, send, published: PublishedFile, head: bool, origin: str | None = None) -> None:
    if head:
        await send({"type": "http.response.start", "status": 200, "headers": response_headers(published, origin)})
        await send({"type": "http.response.body", "body": b""})
        return
    if PATHSEND in (scope.get("extensions") or {}):
        await send({"type": "http.response.start", "status": 200, "headers": response_headers(published, origin)})
        await send({"type": PATHSEND, "path": str(published.path)})
        return
    try:
        handle = await asyncio.to_thread(open, published.path, "rb")
    except OSError:
        await _plain(send, 404, b"not found", head)
        return
    try:
        await send({"type": "http.response.start", "status": 200, "headers": response_headers(published, origin)})
        remaining, chunk = published.size, b""
        while remaining > 0:
            chunk = await asyncio.to_thread(handle.read, min(CHUNK, remaining))
            remaining -= len(chunk)
            if not chunk or not remaining:
                break  # the whole file, or it shrank after the stat (the client then sees a short body)
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": chunk})  # the last piece; empty for an empty file
    finally:
        handle.close()
