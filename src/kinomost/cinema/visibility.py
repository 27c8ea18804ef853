"""Keeping the storefront's visibility set (`visibility_models`) equal to what the rules say.

The rules stay where they are owned: `rights.licensed.licensed_windows` (what the organisation
holds or was granted, by window), `exchange.clearance.cleared_since` (the regulator's approvals),
the organisation's ready packages and the works' age ratings. This module only combines them per
platform × work × territory × medium into rows with a validity interval, and rewrites the rows of
the works an event touched:

- the ledger (`rights.signals.ledger_changed`): a holding, grant, holdback or termination;
- the exchange (`exchange.signals.approvals_changed`, `approval_rules_changed`): an approval
  granted or revoked, a rule defined;
- the catalogue (`catalog.signals.works_changed`): ratings or a work's parent changed;
- the cinema itself: an asset saved or deleted (ready, failed, re-ingested), a platform created or
  its territories or media changed.

Every receiver runs inside the sender's transaction, so a revocation is invisible to no page for
even a moment: the change and the set commit together, or neither does. `rebuild` recomputes a
platform from scratch; a test holds incremental updates equal to it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kinomost.catalog import selectors as catalog
from kinomost.catalog.signals import works_changed
from kinomost.cinema.models import Asset, AssetStatus, Platform
from kinomost.cinema.visibility_models import VisibleTitle, VisibleWork
from kinomost.core import periods
from kinomost.core.periods import Period
from kinomost.exchange import clearance as exchange
from kinomost.exchange.signals import approval_rules_changed, approvals_changed
from kinomost.rights.licensed import licensed_windows
from kinomost.rights.choices import OPEN_END
from kinomost.rights.signals import ledger_changed

_CHUNK = 2000  # works computed per round: bounded queries and memory however large the library
_BATCH = 5000


# ---------------------------------------------------------------- rewriting the set


def refresh(platform: Platform, work_ids) -> int:
    """Recompute the rows of these films and episodes (and the titles they belong to) on one
    platform. Works without a ready package simply lose their rows. Returns the rows written."""
    ids = sorted({int(w) for w in work_ids})
    if not ids:
        return 0
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            old = VisibleWork.objects.filter(platform=platform, work_id__in=chunk)
            tops = set(old.values_list("top_id", flat=True)) | {chain[-1] for chain in catalog.lineage(chunk).values()}
            old.delete()
            rows = compute(platform, chunk)
            VisibleWork.objects.bulk_create(rows, batch_size=_BATCH)
            written += len(rows)
            _retitle(platform, tops)
        _changed(platform)
    return written


def rebuild(platform: Platform) -> int:
    """The platform's whole set from scratch: every work the organisation has a ready package of."""
    with transaction.atomic():
        VisibleWork.objects.filter(platform=platform).delete()
        VisibleTitle.objects.filter(platform=platform).delete()
        ids = sorted(set(_ready_packages(platform).values_list("work_id", flat=True)))
        written, tops = 0, set()
        for start in range(0, len(ids), _CHUNK):
            rows = compute(platform, ids[start : start + _CHUNK])
            VisibleWork.objects.bulk_create(rows, batch_size=_BATCH)
            written += len(rows)
            tops |= {r.top_id for r in rows}
        _retitle(platform, tops, fresh=True)
        _changed(platform)
    return written


def _changed(platform: Platform) -> None:
    """A new `visibility_version`, in the transaction that rewrote the rows: every process's kept
    home rows of the platform are stale from the moment it commits (storefront._shelves). The
    receivers visit platforms in primary-key order, so two transactions that both change the
    same platforms take these row locks in one order (no deadlock on PostgreSQL)."""
    from kinomost.cinema.models import new_visibility_version

    platform.visibility_version = new_visibility_version()
    Platform.objects.filter(pk=platform.pk).update(visibility_version=platform.visibility_version)


def fill_missing(**kwargs) -> None:
    """After `migrate`: a platform with ready packages but no rows yet (a database from before the
    set existed) is rebuilt once, so an upgrade needs no extra step."""
    from django.db import connection

    if VisibleWork._meta.db_table not in connection.introspection.table_names():
        return  # migrated back below the set's migration
    for platform in Platform.objects.all():
        if not VisibleWork.objects.filter(platform=platform).exists() and _ready_packages(platform).exists():
            rebuild(platform)


def compute(platform: Platform, work_ids: list[int]) -> list[VisibleWork]:
    """The rows the rules give for these works on this platform (unsaved)."""
    packages = _newest_packages(platform, work_ids)
    if not packages:
        return []
    countries, leaves, org = list(platform.territories), list(platform.media), platform.organisation_id
    windows = licensed_windows(org, countries, leaves, works=list(packages))
    if not windows:
        return []
    family = catalog.lineage(windows)
    cleared = exchange.cleared_since(family, countries, leaves, platform=org)
    ages = _minimum_ages(family, countries)
    rows = []
    for wid, cells in windows.items():
        asset_id, ready_at = packages[wid]
        for (country, leaf), spans in cells.items():
            since = cleared.get((wid, country, leaf))
            if since is None:
                continue
            for span in periods.intersection(spans, [Period(None if since == date.min else since, None)]):
                rows.append(
                    VisibleWork(
                        platform=platform,
                        work_id=wid,
                        top_id=family[wid][-1],
                        territory=country,
                        media=leaf,
                        valid_from=span.lo,
                        valid_to=span.end or OPEN_END,
                        minimum_age=ages.get((wid, country)),
                        asset_id=asset_id,
                        ready_at=ready_at,
                    )
                )
    return rows


def _retitle(platform: Platform, top_ids, *, fresh: bool = False) -> None:
    """Rewrite the title rows of these films and series from their works' rows: per territory
    and age, the union of the windows; the newest package's time for 'Recently added'."""
    tops = sorted(top_ids)
    for start in range(0, len(tops), _CHUNK):
        chunk = tops[start : start + _CHUNK]
        if not fresh:
            VisibleTitle.objects.filter(platform=platform, top_id__in=chunk).delete()
        spans: dict[tuple, list[tuple]] = defaultdict(list)
        for top, country, begin, end, age, ready in VisibleWork.objects.filter(platform=platform, top_id__in=chunk).values_list(
            "top_id", "territory", "valid_from", "valid_to", "minimum_age", "ready_at"
        ):
            spans[(top, country, age)].append((begin, end, ready))
        titles = [
            VisibleTitle(platform=platform, top_id=top, territory=country, minimum_age=age, valid_from=begin, valid_to=end, ready_at=ready)
            for (top, country, age), found in spans.items()
            for begin, end, ready in _merged(found)
        ]
        VisibleTitle.objects.bulk_create(titles, batch_size=_BATCH)


def _merged(spans: list[tuple]) -> list[tuple]:
    """Overlapping or touching [from, to) spans joined; each keeps the newest ready time of its parts."""
    out: list[list] = []
    for begin, end, ready in sorted(spans, key=lambda s: s[0]):
        if out and begin <= out[-1][1]:
            last = out[-1]
            last[1] = max(last[1], end)
            last[2] = max((t for t in (last[2], ready) if t is not None), default=None)
        else:
            out.append([begin, end, ready])
    return [tuple(s) for s in out]


def _ready_packages(platform: Platform):
    """The organisation's ready packages this platform may stream: its own, or the organisation's for any platform."""
    return (
        Asset.objects.filter(organisation_id=platform.organisation_id, status=AssetStatus.READY)
        .filter(Q(platform__isnull=True) | Q(platform=platform))
        .exclude(master_playlist="")
    )


def _newest_packages(platform: Platform, work_ids: list[int]) -> dict[int, tuple[int, object]]:
    """work → (asset id, ready at) of its newest ready package."""
    found: dict[int, tuple[int, object]] = {}
    rows = _ready_packages(platform).filter(work_id__in=work_ids).order_by("work_id", "-ready_at", "-id")
    for asset_id, work_id, ready_at in rows.values_list("id", "work_id", "ready_at"):
        found.setdefault(work_id, (asset_id, ready_at))
    return found


def _minimum_ages(family: dict[int, tuple[int, ...]], countries: list[str]) -> dict[tuple[int, str], int | None]:
    """(work, country) → its age: its rating for the country, else its strictest rating; an
    episode without a rating takes its season's, then its series'. Absent: unrated."""
    ids = {a for chain in family.values() for a in chain}
    by_country: dict[tuple[int, str], int] = {}
    strictest: dict[int, int] = {}
    for wid, territory, age in catalog.rating_rows(ids):
        by_country[(wid, territory)] = age
        strictest[wid] = max(strictest.get(wid, 0), age)
    ages = {}
    for wid, chain in family.items():
        for country in countries:
            own = (by_country.get((w, country), strictest.get(w)) for w in chain)
            age = next((a for a in own if a is not None), None)
            if age is not None:
                ages[(wid, country)] = age
    return ages


# ---------------------------------------------------------------- the events that change it


def _with_descendants(work_ids) -> set[int]:
    """The works and their seasons and episodes: what a right, approval or rating on them reaches."""
    ids = {int(w) for w in work_ids}
    return ids | set(catalog.descendants(ids))


def _platforms_packaging(work_ids: set[int]) -> list[Platform]:
    """Platforms of the organisations with a package of any of these works."""
    orgs = set()
    ids = sorted(work_ids)
    for start in range(0, len(ids), _CHUNK):
        orgs |= set(Asset.objects.filter(work_id__in=ids[start : start + _CHUNK]).values_list("organisation_id", flat=True).distinct())
    return list(Platform.objects.filter(organisation_id__in=orgs).order_by("pk")) if orgs else []


@receiver(ledger_changed)
def _on_ledger(sender, organisations, works, **kwargs) -> None:
    platforms = list(Platform.objects.filter(organisation_id__in=list(organisations)).order_by("pk"))
    if platforms:
        affected = _with_descendants(works)
        for platform in platforms:
            refresh(platform, affected)


@receiver(approvals_changed)
def _on_approval(sender, works, territory, **kwargs) -> None:
    affected = _with_descendants(works)
    for platform in _platforms_packaging(affected):
        if territory in platform.territories:
            refresh(platform, affected)


@receiver(approval_rules_changed)
def _on_rule(sender, territory, **kwargs) -> None:
    for platform in Platform.objects.order_by("pk"):
        if territory in platform.territories:
            rebuild(platform)


@receiver(works_changed)
def _on_works(sender, works, **kwargs) -> None:
    affected = _with_descendants(works)
    for platform in _platforms_packaging(affected):
        refresh(platform, affected)


def asset_changed(asset: Asset) -> None:
    """A package became ready, failed, was replaced or removed: its work on the organisation's platforms."""
    for platform in Platform.objects.filter(organisation_id=asset.organisation_id).order_by("pk"):
        refresh(platform, [asset.work_id])


@receiver(post_save, sender=Asset)
def _on_asset_saved(sender, instance: Asset, **kwargs) -> None:
    # Saves during ingest (progress, steps) change nothing visible: only a ready package, or one
    # that was visible until now, needs its work recomputed.
    if instance.status == AssetStatus.READY or VisibleWork.objects.filter(asset_id=instance.pk).exists():
        asset_changed(instance)


@receiver(post_delete, sender=Asset)
def _on_asset_deleted(sender, instance: Asset, **kwargs) -> None:
    asset_changed(instance)


@receiver(post_save, sender=Platform)
def _on_platform_saved(sender, instance: Platform, created: bool, update_fields=None, **kwargs) -> None:
    if created or update_fields is None or {"territories", "media", "organisation"} & set(update_fields):
        rebuild(instance)
