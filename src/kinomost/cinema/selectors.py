"""Reads of the online cinema, always for an Actor: an organisation sees only its own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kinomost.cinema import tokens
from kinomost.cinema.app_models import RegisteredApp
from kinomost.cinema.models import Asset, AssetStatus, Platform
from kinomost.core.errors import NotFound
from kinomost.core.ids import record_id


def assets_of(actor) -> QuerySet[Asset]:
    return Asset.objects.filter(organisation_id=actor.organisation_id).select_related("work", "platform")


def asset_for(actor, public_id) -> Asset:
    asset = assets_of(actor).filter(public_id=public_id).first()
    if asset is None:
        raise NotFound(_("No such asset."))
    return asset


def platforms_of(actor) -> QuerySet[Platform]:
    return Platform.objects.filter(organisation_id=actor.organisation_id)


def storefronts(limit: int) -> list[Platform]:
    """Every platform's storefront by name, with its operator: the signed-out start page points a
    visitor to them (each storefront is public, so no actor is asked)."""
    return list(Platform.objects.select_related("organisation").order_by("name")[:limit])


def registered_app(platform: Platform, client_id: str):
    """The app registered on the platform under `client_id` (active or not), or None: a caller
    that registers an app once (the demo's TV app) asks before registering it."""
    return RegisteredApp.objects.filter(platform=platform, client_id=client_id).first()


def platform_for(actor, slug: str) -> Platform:
    platform = platforms_of(actor).filter(slug=slug).first()
    if platform is None:
        raise NotFound(_("No such platform."))
    return platform


def signed_urls(asset: Asset, expires: int | None = None) -> dict[str, str]:
    """The asset's files as token URLs (`/hls/<token>/<expires>/<asset>/<file>`, tokens.py), the
    only form nginx and the embedded server serve; empty where the file does not exist (yet).
    Whoever asked already passed `assets_of(actor)`. The segments stay encrypted: the key comes
    from /cinema/keys/<asset>/ to a studio member of the asset's organisation signed in with a
    browser session, or to a viewer inside a playback session (playback.key_for)."""
    expires = expires or tokens.expiry()
    url = lambda rel: tokens.stream_url(asset.public_id, rel, expires) if rel else ""  # noqa: E731
    return {
        "preview_url": url(asset.preview_playlist),
        "master_url": url(asset.master_playlist),
        "poster_url": url(asset.poster),
        "thumbnails_url": url(asset.thumbnails),
    }


def operator_source(asset: Asset, expires: int | None = None) -> dict | None:
    """What the studio's operator player plays: the master once ready, else the preview (the
    lowest rung) while the ladder encodes, else nothing yet."""
    urls = signed_urls(asset, expires)
    if asset.status == AssetStatus.READY and urls["master_url"]:
        return {"url": urls["master_url"], "preview": False}
    if asset.status != AssetStatus.FAILED and urls["preview_url"]:
        return {"url": urls["preview_url"], "preview": True}
    return None


def asset_status(asset: Asset) -> dict:
    """What a page, the API or the CLI shows while an asset is made, and where to play it once it
    can be: token URLs valid for CINEMA_TOKEN_SECONDS (`urls_expire_at`, Unix seconds)."""
    expires = tokens.expiry()
    return {
        "id": str(asset.public_id),
        "work_id": asset.work_id,
        "work_title": asset.work.original_title,
        "platform": asset.platform.slug if asset.platform_id else None,
        "status": asset.status,
        "step": asset.step,
        "progress": asset.progress,
        "eta_seconds": asset.eta_seconds,
        "error": asset.error,
        "duration": asset.duration,
        **signed_urls(asset, expires),
        "urls_expire_at": expires,
        "created_at": asset.created_at,
        "ready_at": asset.ready_at,
    }


def work_for_ingest(actor, reference: str):
    """A work by its catalogue reference (the organisation's own first) or by number."""
    from kinomost.catalog import selectors as catalog

    works = catalog.visible_works(actor)
    if (pk := record_id(reference)) is not None:
        found = works.filter(pk=pk).first()
    else:
        matches = list(works.filter(ref=reference).order_by("id"))
        found = next((w for w in matches if w.owner_id == actor.organisation_id), None) or (matches[0] if len(matches) == 1 else None)
    if found is None:
        raise catalog.no_such_work(reference)
    return found
