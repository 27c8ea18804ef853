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
import functools
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


# --- playback sessions: one URL for the whole session, and the bearer token of its heartbeats
#
# A session's stream folder is /hls/s/<session>/<token>/<expires>/<asset>/<file>, signed like the
# asset folder above but over the session too (so nginx's secure_link_md5 checks it as well):
#
#     token = base64url(md5("<expires>/<asset public id>/<session public id><secret>"))
#
# `expires` is the session's hard end (CINEMA_SESSION_HOURS, or sooner when the entitlement
# ends), so standard players that never re-fetch a VOD playlist keep working for a whole film,
# paused and resumed. Ending a session early (stop, revocation, a lapsed licence) is not a matter
# of the signature: the servers ask `cinema.live` whether the session is still live.

SESSION_PREFIX = "/hls/s/"
KEY_FILE = "key"  # the session's key URL: <session folder>key, which the session path rewrites playlists to


def sign_session(session_id, public_id, expires: int) -> str:
    message = f"{int(expires)}/{public_id}/{session_id}{stream_secret()}"
    digest = hashlib.md5(message.encode()).digest()  # noqa: S324 (nginx secure_link)
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def session_base(session_id, public_id, expires: int) -> str:
    """The signed folder of an asset for one playback session."""
    return f"{SESSION_PREFIX}{session_id}/{sign_session(session_id, public_id, expires)}/{int(expires)}/{public_id}/"


def is_valid_session(session_id, token: str, expires: int, public_id, now: float | None = None) -> bool:
    """Signed for this session and asset, and before the session's hard end. Liveness (not
    stopped or revoked) is `cinema.live`'s question."""
    if int(expires) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(token.encode(), sign_session(session_id, public_id, expires).encode())


def _playback_mac(session_id, expires: int) -> str:
    # hmac.digest: the one-shot form (OpenSSL's, no HMAC object built): the same MAC, a beat's check cheaper
    mac = hmac.digest(_playback_secret(settings.SECRET_KEY), f"playback/{session_id}/{int(expires)}".encode(), "sha256")[:18]
    return base64.urlsafe_b64encode(mac).decode()


def playback_token(session_id, expires: int) -> str:
    """The bearer token of one session's heartbeats and stop (`<expires>.<mac>`): whoever holds it
    drives that session and no other; it proves nothing about any other session or viewer."""
    return f"{int(expires)}.{_playback_mac(session_id, expires)}"


def check_playback_token(session_id, token: str, now: float | None = None) -> int | None:
    """The session's hard end if `token` is this session's and not past it, else None."""
    expires, _, mac = (token or "").partition(".")
    if not expires.isdigit() or len(expires) > 12 or not mac:
        return None
    if int(expires) < (now if now is not None else time.time()):
        return None
    return int(expires) if hmac.compare_digest(mac.encode(), _playback_mac(session_id, int(expires)).encode()) else None


@functools.lru_cache(maxsize=4)
def _playback_secret(secret_key: str) -> bytes:
    """The playback tokens' key, derived from the site's secret once (a heartbeat checks one)."""
    return hmac.new(secret_key.encode(), b"kinomost.cinema.playback-token", hashlib.sha256).digest()
