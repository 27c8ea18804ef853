"""Reads of the online cinema, always for an Actor: an organisation sees only its own."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kinomost.cinema import tokens
from kinomost.cinema.app_models import RegisteredApp
from kinomost.cinema.models import Asset, AssetStatus, Platform
from kinomost.cinema.viewing_models import PlaybackSession, Revenue, RevenueKind
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


# ---------------------------------------------------------------- viewing and receipts (royalties)
# What royalty statements read of the cinema, in bulk: the cinema owns what a qualifying session
# is (the platform's threshold) and what was charged; royalties own what it is worth.


_ROYALTIES_INDEX = "cinema_session_royalties_by_work"  # cinema migration 0013
_PLANNER_MIN_SESSIONS = 10_000  # below this every plan is fast


def _planner_knows_the_sessions() -> None:
    """On SQLite, make sure the planner's statistics know how many sessions there are.

    SQLite picks the skip-scan of `cinema_session_royalties_by_work` only when its statistics
    say the table is large. A database migrated while empty has no such statistics, and Kinomost
    runs no periodic ANALYZE, so without this a growing platform would sort every session of the
    month. When the statistics are missing or ten times off the table's size, the table is
    analysed again. `analysis_limit` makes that a sample: milliseconds on a million rows. The
    size is read as the largest rowid, one index seek."""
    if connection.vendor != "sqlite":
        return
    table = PlaybackSession._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT max(rowid) FROM "{table}"')
        size = cursor.fetchone()[0] or 0
        if size < _PLANNER_MIN_SESSIONS:
            return
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        known = None
        if cursor.fetchone():
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx = %s", [table, _ROYALTIES_INDEX])
            row = cursor.fetchone()
            known = int(row[0].split()[0]) if row else None
        if known and size / 10 <= known <= size * 10:
            return
        cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute(f'ANALYZE "{table}"')


def qualifying_viewing(platform_id: int, start, end) -> list[tuple[int, int | None, int, float, dict[str, float]]]:
    """The platform's qualifying sessions started in [start, end) (at least its
    `qualifying_seconds` watched), per (work, contract): (work id, contract id, views, seconds,
    {territory: seconds under SVOD}).

    One aggregate grouped by (work, contract) only, with an SVOD sum per territory the platform
    lists as a column: grouping by medium and territory as well made SQLite sort a wider key for
    every session of the month (docs/royalties.md, "Benchmarks"). Sessions in a territory the
    platform no longer lists (counted in the same pass), or a platform that lists none, take the
    general grouping by territory instead. The threshold is read once and compared as a constant:
    joined from the platform for every session it made the aggregate dearer than it need be. On
    SQLite (with planner statistics) it skip-scans `cinema_session_royalties_by_work`, an index in
    this grouping order (cinema migration 0013), so the month's sessions are not sorted at all."""
    platform = Platform.objects.only("qualifying_seconds", "territories").get(pk=platform_id)
    _planner_knows_the_sessions()
    sessions = PlaybackSession.objects.filter(
        viewer__platform_id=platform_id, started_at__gte=start, started_at__lt=end, seconds_watched__gte=platform.qualifying_seconds
    )
    territories = sorted(set(platform.territories or []))
    if territories:
        columns = {f"svod_{i}": Sum("seconds_watched", filter=Q(media="svod", territory=t)) for i, t in enumerate(territories)}
        rows = (
            sessions.values_list("work_id", "contract_id")
            .annotate(
                views=Count("*"),
                seconds=Sum("seconds_watched"),
                elsewhere=Count("work_id", filter=~Q(territory__in=territories)),
                **columns,
            )
            .order_by()
        )
        found = []
        for work_id, contract_id, views, seconds, elsewhere, *svod in rows:
            if elsewhere:
                break
            found.append((work_id, contract_id, views, seconds, {t: s for t, s in zip(territories, svod) if s}))
        else:
            return found
    merged: dict[tuple, list] = {}
    rows = (
        sessions.values_list("work_id", "contract_id", "territory")
        .annotate(views=Count("*"), seconds=Sum("seconds_watched"), svod=Sum("seconds_watched", filter=Q(media="svod")))
        .order_by()
    )
    for work_id, contract_id, territory, views, seconds, svod in rows:
        usage = merged.setdefault((work_id, contract_id), [work_id, contract_id, 0, 0.0, {}])
        usage[2] += views
        usage[3] += seconds or 0
        if svod:
            usage[4][territory] = svod
    return [tuple(u) for u in merged.values()]


def platform_ids_of(organisation_id: int) -> list[int]:
    """The ids of the organisation's platforms."""
    return list(Platform.objects.filter(organisation_id=organisation_id).order_by("id").values_list("id", flat=True))


def sales_under_contract(contract_id: int, start, end) -> list[tuple[int, str, object]]:
    """(work id, currency, total) of the rentals and purchases sold under the contract in
    [start, end): transactional receipts belong to the title sold."""
    rows = (
        Revenue.objects.filter(at__gte=start, at__lt=end, contract_id=contract_id, kind__in=[RevenueKind.RENTAL, RevenueKind.PURCHASE])
        .values_list("work_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by("work_id", "currency")
    )
    return list(rows)


def subscription_receipts(organisation_id: int, start, end) -> list[tuple[int, str, str, object]]:
    """(platform id, territory, currency, total) of the subscription periods charged on the
    organisation's platforms in [start, end): each is an SVOD pool."""
    rows = (
        Revenue.objects.filter(at__gte=start, at__lt=end, organisation_id=organisation_id, kind=RevenueKind.SUBSCRIPTION)
        .values_list("platform_id", "territory", "currency")
        .annotate(total=Sum("amount"))
        .order_by("platform_id", "territory", "currency")
    )
    return list(rows)


def first_use_under_contract(contract_id: int):
    """The first moment anything was watched or sold under the contract (each an indexed read),
    or None."""
    found = [
        PlaybackSession.objects.filter(contract_id=contract_id).order_by("started_at").values_list("started_at", flat=True).first(),
        Revenue.objects.filter(contract_id=contract_id).order_by("at").values_list("at", flat=True).first(),
    ]
    found = [d for d in found if d is not None]
    return min(found) if found else None
