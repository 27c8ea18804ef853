"""Reads of the online cinema, always for an Actor: an organisation sees only its own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kinomost.cinema import storage
from kinomost.cinema.models import Asset, Platform
from kinomost.core.errors import NotFound


def assets_of(actor) -> QuerySet[Asset]:
    return Asset.objects.filter(organisation_id=actor.organisation_id).select_related("work", "platform")


def asset_for(actor, public_id) -> Asset:
    asset = assets_of(actor).filter(public_id=public_id).first()
    if asset is None:
        raise NotFound(_("No such asset."))
    return asset


def platforms_of(actor) -> QuerySet[Platform]:
    return Platform.objects.filter(organisation_id=actor.organisation_id)


def platform_for(actor, slug: str) -> Platform:
    platform = platforms_of(actor).filter(slug=slug).first()
    if platform is None:
        raise NotFound(_("No such platform."))
    return platform


def asset_status(asset: Asset) -> dict:
    """What a page or the CLI shows while an asset is made, and where to play it once it can be."""
    url = lambda rel: storage.public_url(asset.public_id, rel)  # noqa: E731
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
        "preview_url": url(asset.preview_playlist),
        "master_url": url(asset.master_playlist),
        "poster_url": url(asset.poster),
        "thumbnails_url": url(asset.thumbnails),
        "created_at": asset.created_at,
        "ready_at": asset.ready_at,
    }


def work_for_ingest(actor, reference: str):
    """A work by its catalogue reference (the organisation's own first) or by number."""
    from kinomost.catalog import selectors as catalog

    works = catalog.visible_works(actor)
    if reference.isdigit():
        found = works.filter(pk=int(reference)).first()
    else:
        matches = list(works.filter(ref=reference).order_by("id"))
        found = next((w for w in matches if w.owner_id == actor.organisation_id), None) or (matches[0] if len(matches) == 1 else None)
    if found is None:
        raise NotFound(_("No such work: %(ref)s.") % {"ref": reference})
    return found
