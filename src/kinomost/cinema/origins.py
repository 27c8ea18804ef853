"""Which web origins get CORS: the one rule for Django's routes (django-cors-headers, configured
from here in settings and apps.py), the paths in front of Django (streams, keys, heartbeats) and,
for KINOMOST_APP_ORIGINS, nginx (deploy/nginx.conf's map).

An origin is allowed when it is in KINOMOST_APP_ORIGINS or in some platform's `app_origins` (set
by its operator in the studio or the API). Other origins get no CORS header at all, so a page on
them cannot read a stream, a key or an API answer even with a leaked URL. No credentials are
allowed cross-origin: apps authenticate with bearer tokens and signed URLs, never the site's
cookies.
"""

from __future__ import annotations

import re
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from kinomost.core.db import read_in_django_thread
from kinomost.core.errors import InvalidInput

# The paths that answer apps of other origins (django-cors-headers' CORS_URLS_REGEX says the same).
CORS_PATHS = r"^/(api/v1/viewer/|hls/|cinema/keys/|playback/)"
REFRESH_SECONDS = 30.0
ALLOW_METHODS = b"GET, HEAD, POST, OPTIONS"
ALLOW_HEADERS = b"authorization, content-type, range"
EXPOSE_HEADERS = b"content-length, content-range"
MAX_AGE = b"600"

_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")
_platform_origins: frozenset[str] = frozenset()
_loaded_at = float("-inf")
_lock = threading.Lock()


def normalise(value: str) -> str:
    """An origin as browsers send it: scheme://host[:port], lower case, no path; else InvalidInput."""
    text = (value or "").strip().rstrip("/").lower()
    parts = urlsplit(text)
    if not _ORIGIN.match(text) or parts.path or parts.query:
        raise InvalidInput(_("%(origin)s is not an origin: give scheme://host[:port], e.g. https://tv.example.") % {"origin": value})
    return text


def is_allowed(origin: str | None) -> bool:
    if not origin:
        return False
    origin = origin.rstrip("/").lower()
    if origin in settings.APP_ORIGINS:
        return True
    if time.monotonic() - _loaded_at > REFRESH_SECONDS:
        _load()
    return origin in _platform_origins


async def request_origin(scope) -> str | None:
    """The request's Origin if it is allowed (for the ASGI paths in front of Django), else None."""
    origin = _header(scope, b"origin")
    if not origin:
        return None
    if origin.rstrip("/").lower() in settings.APP_ORIGINS:
        return origin
    if time.monotonic() - _loaded_at > REFRESH_SECONDS:
        await read_in_django_thread(_load)
    return origin if origin.rstrip("/").lower() in _platform_origins else None


def cors_headers(origin: str | None, preflight: bool = False) -> list[tuple[bytes, bytes]]:
    """The CORS headers for an allowed origin (none for others; `Vary: Origin` always, since the
    answer depends on it)."""
    if not origin:
        return [(b"vary", b"origin")]
    headers = [(b"access-control-allow-origin", origin.encode()), (b"vary", b"origin"), (b"access-control-expose-headers", EXPOSE_HEADERS)]
    if preflight:
        headers += [
            (b"access-control-allow-methods", ALLOW_METHODS),
            (b"access-control-allow-headers", ALLOW_HEADERS),
            (b"access-control-max-age", MAX_AGE),
        ]
    return headers


def forget() -> None:
    """Read the platforms' origins again at the next request (after an operator changed them)."""
    global _loaded_at
    _loaded_at = float("-inf")


def cors_allowed_by_platforms(sender, request, **kwargs) -> bool:
    """django-cors-headers' `check_request_enabled` signal (which it asks beside CORS_URLS_REGEX,
    so the paths are checked here again): a platform's own app origins."""
    return bool(re.match(CORS_PATHS, request.path_info)) and is_allowed(request.headers.get("origin"))


def _load() -> None:
    global _platform_origins, _loaded_at
    from kinomost.cinema.models import Platform

    with _lock:
        found = set()
        for origins in Platform.objects.exclude(app_origins=[]).values_list("app_origins", flat=True):
            found.update(str(o).rstrip("/").lower() for o in origins or [])
        _platform_origins, _loaded_at = frozenset(found), time.monotonic()


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return None
