"""Online cinema endpoints (under /api/v1/cinema). Thin: parse, call a selector or service, shape."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Field, Router, Schema, Status

from kinomost.cinema import selectors, services

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
    preview_url: str = Field(description="lowest rung, playable while the ladder is still encoding")
    master_url: str
    poster_url: str
    thumbnails_url: str
    created_at: datetime
    ready_at: datetime | None


class PlatformOut(Schema):
    slug: str
    name: str
    territories: list[str]
    media: list[str]
    languages: list[str]


class PlatformIn(Schema):
    slug: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    name: str = Field(..., min_length=1, max_length=200)
    territories: list[str] = Field(..., examples=[["RU", "BY", "KZ"]], description="countries or groups, e.g. CIS")
    media: list[str] = Field(..., examples=[["svod", "tvod", "est"]])
    languages: list[str] = Field(..., examples=[["ru", "en"]])


def _platform_out(platform) -> dict:
    return {"slug": platform.slug, "name": platform.name, "territories": platform.territories,
            "media": platform.media, "languages": platform.languages}


@router.get("/assets", response=list[AssetStatusOut], summary="This organisation's assets, newest first, with ingest progress")
def list_assets(request, limit: int = 50):
    return [selectors.asset_status(a) for a in selectors.assets_of(request.auth)[: max(1, min(limit, 500))]]


@router.get("/assets/{asset_id}", response=AssetStatusOut, summary="An asset's status, progress and time left")
def get_asset(request, asset_id: UUID):
    return selectors.asset_status(selectors.asset_for(request.auth, asset_id))


@router.get("/platforms", response=list[PlatformOut], summary="This organisation's platforms")
def list_platforms(request):
    return [_platform_out(p) for p in selectors.platforms_of(request.auth)]


@router.post("/platforms", response={201: PlatformOut}, summary="Open a platform: where it sells, by which media, in which languages")
def create_platform(request, payload: PlatformIn):
    platform = services.create_platform(
        request.auth, slug=payload.slug, name=payload.name, territories_spec=payload.territories,
        media=payload.media, languages=payload.languages,
    )
    return Status(201, _platform_out(platform))
