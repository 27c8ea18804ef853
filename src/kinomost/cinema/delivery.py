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

from kinomost.cinema import storage, tokens
from kinomost.cinema.content_types import CONTENT_TYPES, content_type  # noqa: F401 (views_stream reads delivery.content_type)
PUBLIC_SUFFIXES = frozenset({".m3u8", ".ts", ".vtt", ".jpg", ".m4s", ".mp4", ".aac"})  # stream.json stays unserved
UNFINISHED_MARKS = (".partial-", ".tmp-")  # temporary folders and files of storage's all-or-nothing writes
# Playlists and segments are immutable; the token in the path keeps shared caches per viewer.
CACHE_CONTROL = "private, max-age=3600"

# The characters of a published file's name (what the pipeline writes). Anything else, a NUL
# above all (which the file system calls refuse with ValueError), names no file.
FILE_NAME = re.compile(r"[A-Za-z0-9_./-]+")
# The URL form of tokens.stream_url, as deploy/nginx.conf's location matches it. Anything else
# goes on to Django (whose URL pattern answers 404).
HLS_PATH = re.compile(r"^/hls/(?P<token>[A-Za-z0-9_-]{22})/(?P<expires>[0-9]{1,12})/"
                      r"(?P<asset>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/(?P<file>" + FILE_NAME.pattern + r")\Z")
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


def response_headers(published: PublishedFile) -> list[tuple[bytes, bytes]]:
    """What nginx's location sends with a file (deploy/nginx.conf), for both paths."""
    return [
        (b"content-type", published.content_type.encode()),
        (b"content-length", str(published.size).encode()),
        (b"cache-control", CACHE_CONTROL.encode()),
        (b"x-content-type-options", b"nosniff"),
    ]


class HLSDelivery:
    """ASGI wrapper: answers token-checked HLS files from the local folder, passes the rest on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        match = self._hls_request(scope)
        if match is None:
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if not tokens.is_valid(match["token"], int(match["expires"]), match["asset"]):
            await _plain(send, 403, b"invalid or expired stream token", head)
            return
        published = local_file(match["asset"], match["file"])
        if published is None:
            await _plain(send, 404, b"not found", head)
            return
        await _send_file(scope, send, published, head)

    @staticmethod
    def _hls_request(scope):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        path = scope["path"]
        if not path.startswith(tokens.PREFIX) or not storage.serves_locally():
            return None
        return HLS_PATH.match(path)


async def _plain(send, status: int, body: bytes, head: bool) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff")]})
    await send({"type": "http.response.body", "body": b"" if head else body})


async def _send_file(scope, send, published: PublishedFile, head: bool) -> None:
    if head:
        await send({"type": "http.response.start", "status": 200, "headers": response_headers(published)})
        await send({"type": "http.response.body", "body": b""})
        return
    if PATHSEND in (scope.get("extensions") or {}):
        await send({"type": "http.response.start", "status": 200, "headers": response_headers(published)})
        await send({"type": PATHSEND, "path": str(published.path)})
        return
    try:
        handle = await asyncio.to_thread(open, published.path, "rb")
    except OSError:
        await _plain(send, 404, b"not found", head)
        return
    try:
        await send({"type": "http.response.start", "status": 200, "headers": response_headers(published)})
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
