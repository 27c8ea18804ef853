"""The two things a player fetches besides pages: HLS files (token-checked) and the asset key.

In production nginx serves /hls/ itself and checks the same token (deploy/nginx.conf); the
embedded server does it here so that `make run` plays without nginx. Kinomost itself serves
only sessions and keys.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from kinomost.cinema import delivery, playback, tokens
from kinomost.core.errors import PermissionDenied


@require_safe
def hls_file(request, token: str, expires: int, asset_id, path: str):
    """The fallback through Django: the embedded server answers these in cinema/delivery.py
    before Django sees them, with the same rules (the functions below are that module's)."""
    if not tokens.is_valid(token, expires, asset_id):
        return HttpResponseForbidden(b"invalid or expired stream token", content_type="text/plain")
    published = delivery.local_file(asset_id, path)
    if published is None:
        raise Http404
    response = FileResponse(open(published.path, "rb"), content_type=published.content_type)
    for name, value in delivery.response_headers(published):
        response[name.decode()] = value.decode()
    return response


@never_cache
@require_GET
def asset_key(request, asset_id):
    try:
        key = playback.key_for(request.user, asset_id)
    except PermissionDenied:
        return HttpResponseForbidden(b"no playback session for this asset", content_type="text/plain")
    return HttpResponse(key, content_type="application/octet-stream")
