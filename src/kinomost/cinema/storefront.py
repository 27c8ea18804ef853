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


def playable_works(viewing: Viewing, only: int | None = None) -> dict[int, Playable]:
    """Every work (film or episode) the viewer may play now, by work id; `only`: just that one.

    The organisation's ready packages come first (they bound the work), then the ledger is asked
    about those works alone, then approvals and ages."""
    platform = viewing.platform
    country = territories.normalise_country(viewing.territory) if viewing.territory else ""
    if not country or country not in platform.territories:
        return {}
    assets = _ready_assets(platform, only)
    if not assets:
        return {}
    licensed = licensed_media(platform.organisation_id, country, platform.media, viewing.on, works=list(assets))
    assets = {w: a for w, a in assets.items() if w in licensed}
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
    return playable_works(viewing, only=int(work_id)).get(int(work_id))


def visible_titles(viewing: Viewing) -> QuerySet[Work]:
    """Top-level works (films, series) with something playable: what rows and search list."""
    top_ids = {p.top_id for p in playable_works(viewing).values()}
    return Work.objects.filter(pk__in=top_ids)


def playable_under(viewing: Viewing, top_id: int) -> dict[int, Playable]:
    """The playable film, or the playable episodes of a series; empty if the title is not visible."""
    return {w: p for w, p in playable_works(viewing).items() if p.top_id == int(top_id)}


def _ready_assets(platform: Platform, only: int | None = None) -> dict[int, Asset]:
    """The newest ready asset per work, of the organisation, for this platform or any."""
    rows = (Asset.objects.filter(organisation_id=platform.organisation_id, status=AssetStatus.READY)
            .filter(Q(platform__isnull=True) | Q(platform=platform)).exclude(master_playlist="")
            .only("id", "public_id", "work_id", "ready_at").order_by("work_id", "-ready_at", "-id"))
    if only is not None:
        rows = rows.filter(work_id=only)
    found: dict[int, Asset] = {}
    for asset in rows:
        found.setdefault(asset.work_id, asset)
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


# --- what the pages show: rows, search, a title -------------------------------------------------

ROW_LENGTH = 20


@dataclass(frozen=True)
class Card:
    work: Work
    title: str
    position: float = 0.0  # continue watching: seconds into the programme
    duration: float | None = None
    play_work_id: int | None = None  # the episode to resume, for a series


def home_rows(viewing: Viewing, profile, language: str) -> list[tuple[str, list[Card]]]:
    """(label, cards): continue watching, new, then one row per genre, all from what is playable."""
    from django.utils.translation import gettext as _

    from kinomost.cinema.viewing_models import PlaybackSession
    from kinomost.core.genres import GENRES

    found = playable_works(viewing)
    tops = _titles({p.top_id for p in found.values()}, language)
    rows: list[tuple[str, list[Card]]] = []
    resumed, seen = [], set()
    recent = (PlaybackSession.objects.filter(profile=profile, work_id__in=list(found)).select_related("asset")
              .order_by("-last_heartbeat_at", "-id")[:100])
    for session in recent:
        top = found[session.work_id].top_id
        duration = session.asset.duration
        if top in seen or session.position <= 0 or (duration and session.position >= duration * 0.95):
            seen.add(top)
            continue
        seen.add(top)
        work, title = tops[top]
        resumed.append(Card(work, title, session.position, duration, session.work_id))
    if resumed:
        rows.append((_("Continue watching"), resumed[:ROW_LENGTH]))
    newest: dict[int, object] = {}
    ready = dict(Asset.objects.filter(pk__in=[p.asset_id for p in found.values()]).values_list("pk", "ready_at"))
    for p in sorted(found.values(), key=lambda p: ready.get(p.asset_id) or timezone.now(), reverse=True):
        newest.setdefault(p.top_id, p)
    rows.append((_("Recently added"), [Card(*tops[t]) for t in list(newest)[:ROW_LENGTH]]))
    by_genre: dict[str, list[Card]] = {}
    for top_id, slug in Work.genres.through.objects.filter(work_id__in=list(tops)).values_list("work_id", "genre_id").order_by("genre_id", "work_id"):
        by_genre.setdefault(slug, []).append(Card(*tops[top_id]))
    for slug, cards in sorted(by_genre.items(), key=lambda kv: str(GENRES.get(kv[0], kv[0]))):
        rows.append((str(GENRES.get(slug, slug)), cards[:ROW_LENGTH]))
    return rows


def search(viewing: Viewing, query: str, language: str, limit: int = 50) -> list[Card]:
    """The catalogue's cross-script search, restricted to what this viewer may see."""
    from kinomost.catalog.search.query import search_works

    scope = visible_titles(viewing)
    hits = search_works(query, scope=scope, limit=limit)
    tops = _titles({h.work_id for h in hits}, language)
    return [Card(*tops[h.work_id]) for h in hits if h.work_id in tops]


def _titles(work_ids, language: str) -> dict[int, tuple[Work, str]]:
    from kinomost.catalog.selectors import display_title, with_localizations

    works = with_localizations(Work.objects.filter(pk__in=list(work_ids)))
    return {w.pk: (w, display_title(w, language)) for w in works}
