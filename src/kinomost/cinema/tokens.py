"""Stream tokens: the one place that signs and checks the URLs of HLS files.

A URL is `/hls/<token>/<expires>/<asset public id>/<file>`. The token sits in the *path* so
that the relative URIs inside playlists (media playlists, segments, subtitles) resolve against
it and carry it along; a query string would be dropped at the first relative URI.

The token is nginx's `secure_link_md5` form, so nginx (deploy/nginx.conf) and the embedded
server check the very same token:

    token = base64url(md5("<expires>/<asset public id><secret>")), without padding

It covers the whole asset folder until `expires` (Unix seconds) and no other asset. MD5 is what
nginx can compute; the secret is long and random and the token expires within minutes (the
heartbeat hands out fresh ones), and the segments are AES-encrypted besides — the key is given
only inside a playback session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from django.conf import settings

PREFIX = "/hls/"


def stream_secret() -> str:
    """KINOMOST_STREAM_SECRET (shared with nginx), else one derived from the Django secret key."""
    configured = getattr(settings, "CINEMA_STREAM_SECRET", "")
    if configured:
        return configured
    return hmac.new(settings.SECRET_KEY.encode(), b"kinomost.cinema.stream-secret", hashlib.sha256).hexdigest()


def sign(public_id, expires: int) -> str:
    digest = hashlib.md5(f"{int(expires)}/{public_id}{stream_secret()}".encode()).digest()  # noqa: S324 (nginx secure_link)
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def expiry(seconds: int | None = None, now: float | None = None) -> int:
    lifetime = settings.CINEMA_TOKEN_SECONDS if seconds is None else seconds
    return int((now if now is not None else time.time()) + lifetime)


def asset_base(public_id, expires: int) -> str:
    """The signed folder of an asset: every file below it is readable until `expires`."""
    return f"{PREFIX}{sign(public_id, expires)}/{int(expires)}/{public_id}/"


def stream_url(public_id, relative: str, expires: int) -> str:
    return asset_base(public_id, expires) + relative.lstrip("/")


def is_valid(token: str, expires: int, public_id, now: float | None = None) -> bool:
    """Signed for this asset and not yet expired (nginx: $secure_link == "1")."""
    if int(expires) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(token.encode(), sign(public_id, expires).encode())
