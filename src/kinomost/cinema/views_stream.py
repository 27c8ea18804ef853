"""What a player fetches besides pages: HLS files (token-checked), a session's files and key,
and its heartbeats and stop by playback token.

In production nginx serves /hls/ itself and checks the same tokens (deploy/nginx.conf); the
embedded server answers HLS files, session keys and heartbeats in front of Django
(cinema/delivery.py, cinema/front.py) by the same rules, and these views are the fallback (the
test client, a server without the wrappers).
"""

from __future__ import annotations

from pathlib import Path

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
    StreamingHttpResponse,
)
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from kinomost.cinema import delivery, front, live, playback, storage, tokens
from kinomost.core.errors import InvalidInput, NotFound, PermissionDenied
from kinomost.core.http import json_body


@require_safe
def hls_file(request, token: str, expires: int, asset_id, path: str):
    """The fallback through Django: the embedded server answers these in cinema/delivery.py
    before Django sees them, with the same rules (the functions below are that module's)."""
    if not tokens.is_valid(token, expires, asset_id):
        return HttpResponseForbidden(b"invalid or expired stream token", content_type="text/plain")
    return _plain_file(request, asset_id, path)


@require_safe
def session_file(request, session_id, token: str, expires: int, asset_id, path: str):
    """A file or the key of a playback session's folder, through Django (the embedded server
    answers these in cinema/delivery.py first, by the same rules)."""
    if not tokens.is_valid_session(session_id, token, expires, asset_id):
        return HttpResponseForbidden(b"invalid or expired stream token", content_type="text/plain")
    if not live.stream_may_play(session_id):
        return HttpResponseForbidden(b"this playback session has ended", content_type="text/plain")
    if path == tokens.KEY_FILE:
        try:
            key = playback.session_key(session_id, asset_id)
        except PermissionDenied:
            return HttpResponseForbidden(b"no playback session for this asset", content_type="text/plain")
        response = HttpResponse(key, content_type="application/octet-stream")
        response["Cache-Control"] = "no-store"
        return response
    if not path.endswith(".m3u8"):
        return _plain_file(request, asset_id, path)
    return _session_playlist(request, session_id, token, expires, asset_id, path)


def _plain_file(request, asset_id, path: str):
    if not storage.serves_locally():
        return _from_object_storage(request, asset_id, path)
    published = delivery.local_file(asset_id, path)
    if published is None:
        raise Http404
    response = FileResponse(open(published.path, "rb"), content_type=published.content_type)
    for name, value in delivery.response_headers(published):
        response[name.decode()] = value.decode()
    return response


def _session_playlist(request, session_id, token, expires, asset_id, path: str):
    if not delivery.is_public_name(path):
        raise Http404
    if storage.serves_locally():
        published = delivery.local_file(asset_id, path)
        if published is None:
            raise Http404
        data = published.path.read_bytes()
    else:
        try:
            chunks, _size = storage.open_published(asset_id, path)
        except FileNotFoundError:
            raise Http404 from None
        try:
            data = b"".join(chunks)
        finally:
            chunks.close()
    base = f"{tokens.SESSION_PREFIX}{session_id}/{token}/{expires}/{asset_id}/"
    body = delivery.session_playlist(data, asset_id, base)
    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=delivery.content_type(path))
    response["Content-Length"] = str(len(body))
    response["Cache-Control"] = delivery.CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_safe
def session_live(request):
    """nginx's auth_request (deploy/nginx.conf) through Django; cinema/front.py answers it first."""
    return HttpResponse(status=204 if front.session_stream_live(request.headers.get("X-Original-URI")) else 403)


@csrf_exempt  # authenticated by the session's playback token, never by a cookie
@never_cache
@require_POST
def session_heartbeat(request, session_id):
    """The heartbeat through Django, for servers without cinema/front.py in front (same rules)."""
    status, answer = front.beat_answer(
        str(session_id),
        request.headers.get("Authorization"),
        json_body(request, front.MAX_BODY + 1),
        request.META.get("QUERY_STRING", "").encode("latin-1"),
    )
    return JsonResponse(answer, status=status)


@csrf_exempt  # authenticated by the session's playback token, never by a cookie
@never_cache
@require_POST
def session_stop(request, session_id):
    """Stop a session by its playback token (apps and players without the site's cookie)."""
    fields = front.parse_body(json_body(request, front.MAX_BODY)) or {}
    token = front.bearer(request.headers.get("Authorization")) or fields.get("token")
    try:
        session = playback.session_by_token(session_id, token if isinstance(token, str) else "")
        session = playback.stop_session(session, position=fields.get("position"))
    except NotFound:
        return JsonResponse({"error": "forbidden", "detail": "This token does not drive this playback session."}, status=403)
    except InvalidInput as exc:
        return JsonResponse({"error": "invalid", "detail": str(exc)}, status=400)
    return JsonResponse({"position": session.position, "seconds_watched": round(session.seconds_watched, 1)})


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
        response = StreamingHttpResponse(
            _relay(chunks) if isinstance(request, ASGIRequest) else chunks, content_type=published.content_type
        )
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
