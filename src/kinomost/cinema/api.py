"""Online cinema endpoints (under /api/v1/cinema). Thin: parse, call a selector or service, shape."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Router, Schema, Status

from kinomost.api_types import Count, RecordId, limit_field
from kinomost.cinema import selectors, services, uploads

router = Router(tags=["cinema"])


class AssetStatusOut(Schema):
    id: str
    work_id: int
    work_title: str
    platform: str | None
    status: str = Field(description="queued, processing, ready or failed")
    step: str = Field(description="probe, transcode, subtitles, thumbnails or publish while processing")
    progress: float = Field(description="percent done")
    eta_seconds: int | None = Field(description="estimated seconds left")
    error: str
    duration: float | None
    preview_url: str = Field(description="lowest rung, playable while the ladder is still encoding (a token URL)")
    master_url: str = Field(
        description="the ladder once ready (a token URL; segments are AES-128, the key is given "
        "to a signed-in studio member's browser session)"
    )
    poster_url: str
    thumbnails_url: str
    urls_expire_at: int = Field(description="Unix seconds until which the token URLs above are valid")
    created_at: datetime
    ready_at: datetime | None


class PlatformOut(Schema):
    slug: str
    name: str
    territories: list[str]
    media: list[str]
    languages: list[str]
    app_origins: list[str]


class AppOriginsIn(Schema):
    app_origins: list[str] = Field(
        ..., examples=[["https://tv.example"]], description="origins (scheme://host[:port]) of the platform's apps: they get CORS"
    )


class PlatformIn(Schema):
    slug: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    name: str = Field(..., min_length=1, max_length=200)
    territories: list[str] = Field(..., examples=[["RU", "BY", "KZ"]], description="countries or groups, e.g. CIS")
    media: list[str] = Field(..., examples=[["svod", "tvod", "est"]])
    languages: list[str] = Field(..., examples=[["ru", "en"]])


def _platform_out(platform) -> dict:
    return {
        "slug": platform.slug,
        "name": platform.name,
        "territories": platform.territories,
        "media": platform.media,
        "languages": platform.languages,
        "app_origins": platform.app_origins,
    }


@router.get("/assets", response=list[AssetStatusOut], summary="This organisation's assets, newest first, with ingest progress")
def list_assets(request, limit: Annotated[int, limit_field(50, 500)] = 50):
    return [selectors.asset_status(a) for a in selectors.assets_of(request.auth)[:limit]]


@router.get("/assets/{asset_id}", response=AssetStatusOut, summary="An asset's status, progress and time left")
def get_asset(request, asset_id: UUID):
    return selectors.asset_status(selectors.asset_for(request.auth, asset_id))


@router.get("/platforms", response=list[PlatformOut], summary="This organisation's platforms")
def list_platforms(request):
    return [_platform_out(p) for p in selectors.platforms_of(request.auth)]


@router.post("/platforms", response={201: PlatformOut}, summary="Open a platform: where it sells, by which media, in which languages")
def create_platform(request, payload: PlatformIn):
    platform = services.create_platform(
        request.auth,
        slug=payload.slug,
        name=payload.name,
        territories_spec=payload.territories,
        media=payload.media,
        languages=payload.languages,
    )
    return Status(201, _platform_out(platform))


@router.put(
    "/platforms/{slug}/app-origins",
    response=PlatformOut,
    summary="Set the web origins of the platform's apps (CORS on the viewer API, streams, keys and heartbeats)",
)
def set_app_origins(request, slug: str, payload: AppOriginsIn):
    platform = selectors.platform_for(request.auth, slug)
    return _platform_out(services.set_app_origins(request.auth, platform, payload.app_origins))


class UploadIn(Schema):
    filename: str = Field(..., max_length=300)
    size: int = Field(..., gt=0, le=uploads.MAX_FILE_BYTES, description="bytes")


class UploadOut(Schema):
    id: str
    filename: str
    size: int
    offset: int = Field(description="bytes received; send the next chunk from here")
    complete: bool


class LanguageUpload(Schema):
    language: str
    upload: str


class IngestIn(Schema):
    work_id: RecordId
    master: str = Field(..., description="id of a completed upload")
    audio: list[LanguageUpload] = Field(default_factory=list)
    subtitles: list[LanguageUpload] = Field(default_factory=list)
    platform: str | None = None
    ladder: list[Count] | None = Field(None, description="rung heights, e.g. [1080, 720, 360]")


@router.post("/uploads", response={201: UploadOut}, summary="Start a resumable upload (master, dub or subtitles)")
def start_upload(request, payload: UploadIn):
    return Status(201, uploads.start_upload(request.auth, filename=payload.filename, size=payload.size))


@router.get("/uploads/{upload_id}", response=UploadOut, summary="Where an upload stands: resume from `offset`")
def upload_state(request, upload_id: UUID):
    return uploads.upload_state(request.auth, upload_id)


@router.put(
    "/uploads/{upload_id}",
    response=UploadOut,
    summary="Append a chunk (raw body, at most 16 MB) at ?offset=, which must equal the bytes received",
)
def append_chunk(request, upload_id: UUID, offset: Annotated[int, Field(ge=0, le=uploads.MAX_FILE_BYTES)]):
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    return uploads.append_chunk(request.auth, upload_id, offset=offset, stream=request, length=length)


@router.post("/ingest", response={201: AssetStatusOut}, summary="Ingest completed uploads: a master, dubs and subtitles")
def ingest(request, payload: IngestIn):
    actor = request.auth
    asset = services.start_ingest(
        actor,
        services.IngestRequest(
            work=selectors.work_for_ingest(actor, str(payload.work_id)),
            master=uploads.completed_file(actor, payload.master),
            audio=[(a.language, uploads.completed_file(actor, a.upload)) for a in payload.audio],
            subtitles=[(s.language, uploads.completed_file(actor, s.upload)) for s in payload.subtitles],
            platform=selectors.platform_for(actor, payload.platform) if payload.platform else None,
            ladder=payload.ladder,
        ),
    )
    for upload_id in {payload.master, *(a.upload for a in payload.audio), *(s.upload for s in payload.subtitles)}:
        uploads.discard(actor, upload_id)
    return Status(201, selectors.asset_status(asset))
