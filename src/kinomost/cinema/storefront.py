"""What a viewer may see and play on a platform: the one visibility rule, computed from the ledger.

Playable = the platform's organisation holds an active holding or received grant for the work
(or its season or series) in the viewer's territory and one of the platform's media today, the
approvals the regulator requires exist, a ready asset of the organisation exists, and the
viewer's profile allows the work's age rating. Nothing is cached or curated by hand: a change in
the ledger shows at the next request. Home rows, search, the title page and playback start all
ask here, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from kinomost.catalog.models import AgeRating, Work
from kinomost.cinema.models import Asset, AssetStatus, Platform
from kinomost.core import territories
from kinomost.rights.licensed import licensed_media

FREE_MEDIA = {"avod", "fvod"}  # no payment: advertising-funded or free


@dataclass(frozen=True)
class Viewing:
    """Who is looking: the platform, the viewer's territory, the profile's age limit, the day."""

    platform: Platform
    territory: str
    max_age: int | None = None  # None = no limit
    day: date | None = None

    @property
    def on(self) -> date:
        return self.day or timezone.localdate()


@dataclass(frozen=True)
class Playable:
    work_id: int
    top_id: int  # the film itself, or the series an episode belongs to
    asset_id: int
    asset_public_id: str
    media: frozenset[str]  # the platform's media it is licensed and cleared for
    minimum_age: int | None


def viewing_territory(account_country: str, client_ip: str | None) -> str:
    """The account's country, unless the operator configured a GeoIP2 country database and the
    request comes from elsewhere: then the country the request comes from."""
    located = _geoip_country(client_ip) if client_ip else None
    return located or account_country


def _geoip_country(ip: str) -> str | None:
    path = getattr(settings, "CINEMA_GEOIP2_COUNTRY_DB", "")
    if not path:
        return None
    try:
        import geoip2.database
        import geoip2.errors
    except ImportError:  # the operator set a database without installing geoip2: fall back to the account
        return None
    try:
        with geoip2.database.Reader(path) as reader:
            return reader.country(ip).country.iso_code or None
    except (geoip2.errors.AddressNotFoundError, ValueError, OSError):
        return None


def playable_works(viewing: Viewing) -> dict[int, Playable]:
    """Every work (film or episode) the viewer may play now, by work id."""
    platform = viewing.platform
    country = territories.normalise_country(viewing.territory) if viewing.territory else ""
    if not country or country not in platform.territories:
        return {}
    licensed = licensed_media(platform.organisation_id, country, platform.media, viewing.on)
    if not licensed:
        return {}
    assets = _ready_assets(platform, set(licensed))
    if not assets:
        return {}
    family = _family(list(assets))
    ages = _minimum_ages(family, country)
    cleared = _cleared_media(platform, country, viewing.on, {w: licensed[w] for w in assets})
    found = {}
    for work_id, asset in assets.items():
        media = cleared.get(work_id, set())
        age = ages.get(work_id)
        if not media or not _age_allowed(age, viewing.max_age):
            continue
        parent, grandparent = family[work_id]
        found[work_id] = Playable(work_id, grandparent or parent or work_id, asset.pk, str(asset.public_id), frozenset(media), age)
    return found


def playable(viewing: Viewing, work_id: int) -> Playable | None:
    return playable_works(viewing).get(int(work_id))


def visible_titles(viewing: Viewing) -> QuerySet[Work]:
    """Top-level works (films, series) with something playable: what rows and search list."""
    top_ids = {p.top_id for p in playable_works(viewing).values()}
    return Work.objects.filter(pk__in=top_ids)


def playable_under(viewing: Viewing, top_id: int) -> dict[int, Playable]:
    """The playable film, or the playable episodes of a series; empty if the title is not visible."""
    return {w: p for w, p in playable_works(viewing).items() if p.top_id == int(top_id)}


def _ready_assets(platform: Platform, work_ids: set[int]) -> dict[int, Asset]:
    """The newest ready asset per licensed work, of the organisation, for this platform or any."""
    rows = (Asset.objects.filter(organisation_id=platform.organisation_id, status=AssetStatus.READY)
            .filter(Q(platform__isnull=True) | Q(platform=platform)).exclude(master_playlist="")
            .only("id", "public_id", "work_id", "ready_at").order_by("work_id", "-ready_at", "-id"))
    found: dict[int, Asset] = {}
    for asset in rows:
        if asset.work_id in work_ids and asset.work_id not in found:
            found[asset.work_id] = asset
    return found


def _family(work_ids: list[int]) -> dict[int, tuple[int | None, int | None]]:
    return {wid: (parent, grandparent) for wid, parent, grandparent in
            Work.objects.filter(pk__in=work_ids).values_list("id", "parent_id", "parent__parent_id")}


def _minimum_ages(family: dict[int, tuple], country: str) -> dict[int, int | None]:
    """A work's age: its rating for the country, else its strictest rating; an episode without a
    rating takes its season's, then its series'. None: unrated."""
    ids = set(family) | {a for pair in family.values() for a in pair if a}
    by_work: dict[int, int] = {}
    strictest: dict[int, int] = {}
    for wid, territory, age in AgeRating.objects.filter(work_id__in=ids).values_list("work_id", "territory", "minimum_age"):
        if territory == country:
            by_work[wid] = age
        strictest[wid] = max(strictest.get(wid, 0), age)
    own = lambda wid: by_work.get(wid, strictest.get(wid))  # noqa: E731
    ages = {}
    for wid, (parent, grandparent) in family.items():
        ages[wid] = next((own(w) for w in (wid, parent, grandparent) if w and own(w) is not None), None)
    return ages


def _age_allowed(age: int | None, max_age: int | None) -> bool:
    if max_age is None:
        return True
    return age is not None and age <= max_age  # an unrated work is not shown to a limited profile


def _cleared_media(platform: Platform, country: str, day: date, licensed: dict[int, set[str]]) -> dict[int, set[str]]:
    """Drop the media a regulator's approval is missing for (exchange's rules). Without any rule
    for the country nothing is asked, so the usual case costs one query."""
    try:
        from kinomost.exchange import selectors as exchange
        from kinomost.exchange.models import ApprovalRule
    except ImportError:  # the exchange app is optional for a storefront
        return licensed
    if not ApprovalRule.objects.filter(territory=country).exists():
        return licensed
    return {wid: {m for m in media if exchange.is_cleared(wid, country, m, day, platform=platform.organisation_id)}
            for wid, media in licensed.items()}
