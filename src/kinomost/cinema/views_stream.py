"""The two things a player fetches besides pages: HLS files (token-checked) and the asset key.

In production nginx serves /hls/ itself and checks the same token (deploy/nginx.conf); the
embedded server does it here so that `make run` plays without nginx. Kinomost itself serves
only sessions and keys.
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kinomost.cinema import playback, storage, tokens
from kinomost.core.errors import PermissionDenied

CONTENT_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".vtt": "text/vtt", ".jpg": "image/jpeg",
                 ".m4s": "video/iso.segment", ".mp4": "video/mp4", ".aac": "audio/aac", ".json": "application/json"}
PUBLIC_FILES = {".m3u8", ".ts", ".vtt", ".jpg", ".m4s", ".mp4", ".aac"}  # stream.json and partial folders stay unserved


@require_GET
def hls_file(request, token: str, expires: int, asset_id, path: str):
    if not tokens.is_valid(token, expires, asset_id):
        return HttpResponseForbidden(b"invalid or expired stream token", content_type="text/plain")
    root = storage.asset_dir(asset_id).resolve()
    target = (root / path).resolve()
    if root not in target.parents or target.suffix not in PUBLIC_FILES or ".partial-" in path or not target.is_file():
        raise Http404
    response = FileResponse(open(target, "rb"), content_type=CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(str(target))[0])
    # Playlists and segments are immutable; the token in the path keeps caches per viewer.
    response["Cache-Control"] = "private, max-age=3600"
    return response


@never_cache
@require_GET
def asset_key(request, asset_id):
    try:
        key = playback.key_for(request.user, asset_id)
    except PermissionDenied:
        return HttpResponseForbidden(b"no playback session for this asset", content_type="text/plain")
    return HttpResponse(key, content_type="application/octet-stream")
