"""The two things a player fetches besides pages: HLS files (token-checked) and the asset key.

In production nginx serves /hls/ itself and checks the same token (deploy/nginx.conf); the
embedded server does it here so that `make run` plays without nginx. Kinomost itself serves
only sessions and keys.
"""

from __future__ import annotations

from pathlib import Path

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from kinomost.cinema import delivery, playback, storage, tokens
from kinomost.core.errors import PermissionDenied


@require_safe
def hls_file(request, token: str, expires: int, asset_id, path: str):
    """The fallback through Django: the embedded server answers these in cinema/delivery.py
    before Django sees them, with the same rules (the functions below are that module's)."""
    if not tokens.is_valid(token, expires, asset_id):
        return HttpResponseForbidden(b"invalid or expired stream token", content_type="text/plain")
    if not storage.serves_locally():
        return _from_object_storage(request, asset_id, path)
    published = delivery.local_file(asset_id, path)
    if published is None:
        raise Http404
    response = FileResponse(open(published.path, "rb"), content_type=published.content_type)
    for name, value in delivery.response_headers(published):
        response[name.decode()] = value.decode()
    return response


def _from_object_storage(request, asset_id, path: str):
    """The same file rules, the object streamed from the bucket (KINOMOST_S3_BUCKET set)."""
    if not delivery.is_public_name(path):
        raise Http404
    try:
        chunks, size = storage.open_published(asset_id, path)
    except FileNotFoundError:
        raise Http404 from None
    published = delivery.PublishedFile(path=Path(path), size=size, content_type=delivery.content_type(path))
    if request.method == "HEAD":
        chunks.close()
        response = HttpResponse(content_type=published.content_type)
    else:
        response = StreamingHttpResponse(_relay(chunks) if isinstance(request, ASGIRequest) else chunks,
                                         content_type=published.content_type)
    for name, value in delivery.response_headers(published):
        response[name.decode()] = value.decode()
    return response


async def _relay(chunks):
    """Under ASGI (`kinomost serve`) Django would read a synchronous iterator to its end before
    sending a byte; this hands the bucket's chunks on one by one, each read in a thread."""
    try:
        while (part := await sync_to_async(next, thread_sensitive=False)(chunks, None)) is not None:
            yield part
    finally:
        await sync_to_async(chunks.close, thread_sensitive=False)()


@never_cache
@require_GET
def asset_key(request, asset_id):
    """The key, for a viewer's live session or a studio member of the asset's organisation."""
    try:
        key = playback.key_for(request.user, asset_id, actor=getattr(request, "actor", None))
    except PermissionDenied:
        return HttpResponseForbidden(b"no playback session for this asset", content_type="text/plain")
    return HttpResponse(key, content_type="application/octet-stream")
