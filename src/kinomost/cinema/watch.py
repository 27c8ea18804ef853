"""What a viewer's storefront shows, composed once for the web pages and the viewer API.

The web storefront (`views_watch`) and the apps' API (`api_viewer`) both render these answers, so
what one shows or refuses the other shows or refuses the same way. Visibility is the
storefront's (`storefront.playable…`), entitlement and offers are playback's
(`playback.title_playable`, `playback.entitlement`, `playback.offers`), prices are
`prices.price`'s: nothing here decides those rules again, it only puts their answers together
for one audience (platform, viewer, profile, territory, language).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.catalog import selectors as catalog
from kinomost.catalog.selectors import display_synopsis, display_title
from kinomost.cinema import playback, prices, storefront, viewers
from kinomost.cinema.models import Platform, Track
from kinomost.cinema.viewing_models import Profile, Purchase, Rental, Subscription, Viewer
from kinomost.core.errors import NotFound, PermissionDenied
from kinomost.core.languages import language_name
from kinomost.core.money import Money

if TYPE_CHECKING:
    from kinomost.catalog.models import AgeRating, Credit, Work


@dataclass(frozen=True)
class Audience:
    """Who is looking: the viewing (platform, territory, age limit), the signed-in viewer and
    profile (None while browsing before signing in), and the reader's language."""

    viewing: storefront.Viewing
    viewer: Viewer | None
    profile: Profile | None
    language: str

    @property
    def platform(self) -> Platform:
        return self.viewing.platform


def audience(platform: Platform, viewer: Viewer | None, profile: Profile | None, language: str, client_ip: str | None = None) -> Audience:
    """The audience of one request. A viewer is seen from their account's country (or where the
    request comes from, storefront.viewing_territory); someone not signed in, from where the
    request comes from, else the platform's first territory."""
    if viewer is not None:
        territory = storefront.viewing_territory(viewer.country, client_ip)
    else:
        territory = storefront.viewing_territory(_home_territory(platform), client_ip)
    max_age = profile.max_age if profile is not None else None
    return Audience(storefront.Viewing(platform, territory, max_age), viewer, profile, language or "en")


def _home_territory(platform: Platform) -> str:
    """Where a stranger is assumed to be without GeoIP: the operator's own country if the platform
    sells there, else its first territory."""
    own = platform.organisation.country if platform.organisation_id else ""
    territories = platform.territories or []
    return own if own in territories else (territories[0] if territories else "")


# --- rows and search -----------------------------------------------------------------------------


def home(who: Audience) -> list[tuple[str, list[storefront.Card]]]:
    """The home rows: continue watching (a signed-in profile only), recently added, genres."""
    return storefront.home_rows(who.viewing, who.profile, who.language)


def search(who: Audience, query: str) -> list[storefront.Card]:
    """Titles and people: a title matches by its name in any script (the catalogue's search), or by
    a credited person's name (cast, director) — only among what this audience may see."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    cards = storefront.search(who.viewing, query, who.language)
    found = {c.work.pk for c in cards}
    return cards + [c for c in people_search(who, query) if c.work.pk not in found]


PEOPLE_ROLES = ("actor", "director")


def people_search(who: Audience, query: str, limit: int = 50) -> list[storefront.Card]:
    """Visible titles crediting a person (cast or director) whose name, in any spelling kept for
    them, contains the query at the start of a word (anywhere in a Han name), case-insensitively
    (`catalog.search.people`)."""
    works = catalog.works_crediting(query, PEOPLE_ROLES, lambda work: storefront.title_rows(who.viewing, work), limit)
    titles = {w.pk: w for w in catalog.titled(works)}
    return [storefront.Card(titles[w], display_title(titles[w], who.language)) for w in works if w in titles]


def continue_watching(who: Audience) -> list[storefront.Card]:
    """The home page's "continue watching" row alone (empty without a profile)."""
    if who.profile is None:
        return []
    label = _("Continue watching")
    return next((cards for name, cards in home(who) if name == label), [])


# --- a title -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    media: str  # svod (a subscription period), pvod, tvod, est
    price: Money
    hours: int | None = None  # rentals: hours from the first play


@dataclass(frozen=True)
class Episode:
    work: Work
    title: str


@dataclass(frozen=True)
class Season:
    label: str
    number: int | None
    episodes: list[Episode]


@dataclass(frozen=True)
class TitleView:
    """Everything a title page says, for the web page and the API alike."""

    work: Work
    title: str
    synopsis: str
    rating: AgeRating | None  # the rating the age check uses (see age_rating)
    minimum_age: int | None
    credits: list[tuple[Credit, str]]  # (credit, the person's name in the reader's language)
    seasons: list[Season]
    audio: list[tuple[str, str]]  # (language tag, its name in the reader's language), theirs first
    subtitles: list[tuple[str, str]]
    play_work_id: int  # what "Play" plays: the film, or the first playable episode
    entitlement: playback.Entitlement | None  # None while not signed in
    offers: list[Offer] = field(default_factory=list)
    currency: str = ""

    @property
    def entitled(self) -> bool:
        return self.entitlement is not None and self.entitlement.media is not None

    @property
    def free(self) -> bool:
        return self.entitlement is not None and self.entitlement.media in storefront.FREE_MEDIA


def title(who: Audience, work_id: int) -> TitleView:
    """A film or series the audience may see, or NotFound (never "it exists but not for you")."""
    found = storefront.playable_under(who.viewing, work_id)
    first = playback.title_playable(who.viewing, work_id, under=found) if found else None
    if first is None or first.top_id != int(work_id):
        raise NotFound(_("This title is not available."))
    work = catalog.titled([work_id]).prefetch_related("ratings").first()
    if work is None:
        raise NotFound(_("This title is not available."))
    entitled = playback.entitlement(who.viewer, first) if who.viewer is not None else None
    media = (
        playback.offers(who.viewer, first, current=entitled)
        if who.viewer is not None
        else [m for m in playback.OFFER_ORDER if m in first.media]
    )
    audio, subtitles = _languages({p.asset_id for p in found.values()}, who.language)
    return TitleView(
        work=work,
        title=display_title(work, who.language),
        synopsis=display_synopsis(work, who.language),
        rating=age_rating(list(work.ratings.all()), who.viewing.territory),
        minimum_age=first.minimum_age,
        credits=_credits(work, who.language),
        seasons=_seasons(work, found, who.language) if int(work_id) not in found else [],
        audio=audio,
        subtitles=subtitles,
        play_work_id=first.work_id,
        entitlement=entitled,
        offers=offers_priced(who.platform, media),
        currency=who.platform.currency,
    )


def age_rating(ratings: list[AgeRating], country: str) -> AgeRating | None:
    """The rating shown is the one the age check reads (storefront: the country's rating, else the
    strictest): a Russian viewer sees «16+», never another country's label for the same film."""
    own = [r for r in ratings if r.territory == country]
    if own:
        return own[0]
    return max(ratings, key=lambda r: r.minimum_age, default=None)


def offers_priced(platform: Platform, media: list[str]) -> list[Offer]:
    """The acquisitions offered, each at the platform's price in its currency (rentals with hours)."""
    hours = {"tvod": viewers.RENTAL_HOURS, "pvod": viewers.PVOD_HOURS}
    return [Offer(m, prices.price(platform, m), hours.get(m)) for m in media]


def _languages(asset_ids: set[int], language: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Audio and subtitle languages of the title's assets: the reader's own first, then by name."""
    tracks = Track.objects.filter(asset_id__in=asset_ids).exclude(language="").values_list("kind", "language").distinct()
    base = language.split("-")[0].lower()

    def ordered(tags):
        named = {(t, language_name(t, language)) for t in tags}
        return sorted(named, key=lambda pair: (pair[0].split("-")[0].lower() != base, pair[1].casefold()))

    return (ordered({lang for kind, lang in tracks if kind == "audio"}), ordered({lang for kind, lang in tracks if kind == "subtitles"}))


def _credits(work: Work, language: str) -> list[tuple[Credit, str]]:
    credits = work.credits.select_related("person").order_by("role", "order")[:30]
    return [(c, catalog.person_name(c.person, language)) for c in credits]


def _seasons(series: Work, found: dict, language: str) -> list[Season]:
    """The playable episodes of a series, by season (episodes directly under a series: one unnamed season)."""
    works = catalog.titled(list(found)).select_related("parent").order_by("parent__number", "number", "id")
    seasons: dict[int | None, tuple[str, int | None, list[Episode]]] = {}
    for episode in works:
        season = episode.parent if episode.parent_id != series.pk else None
        key = season.pk if season is not None else None
        if key not in seasons:
            if season is None:
                label = ""
            elif season.number:
                label = _("Season %(n)s") % {"n": season.number}
            else:
                label = display_title(season, language)
            seasons[key] = (label, season.number if season is not None else None, [])
        seasons[key][2].append(Episode(episode, display_title(episode, language)))
    return [Season(label, number, items) for label, number, items in seasons.values()]


def playable_for_player(who: Audience, work_id: int) -> storefront.Playable:
    """The film or episode the player opens: visible (else NotFound) and entitled (else the same
    PermissionDenied playback.start would give), so the player page never opens in vain."""
    found = storefront.playable(who.viewing, work_id)
    if found is None:
        raise NotFound(_("This title is not available."))
    if who.viewer is None or playback.entitled_media(who.viewer, found) is None:
        raise PermissionDenied(_("Subscribe, rent or buy this title to watch it."))
    return found


# --- the account ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountView:
    subscription: Subscription | None
    subscribed: bool
    price: Money  # one subscription period
    rentals: list[tuple[Rental, str]]
    purchases: list[tuple[Purchase, str]]
    live_sessions: int
    territory: str


def subscription_active(subscription: Subscription | None, now: datetime | None = None) -> bool:
    """The one reading of "subscribed": a subscription whose period has not ended (as entitlement reads it)."""
    return subscription is not None and subscription.active_until > (now or timezone.now())


def account(who: Audience) -> AccountView:
    viewer = who.viewer
    subscription = Subscription.objects.filter(viewer=viewer).first()
    return AccountView(
        subscription=subscription,
        subscribed=subscription_active(subscription),
        price=prices.price(viewer.platform, "svod"),
        rentals=_named(viewer.rentals.all()[:20], who.language),
        purchases=_named(viewer.purchases.all(), who.language),
        live_sessions=playback.live_sessions(viewer).count(),
        territory=who.viewing.territory,
    )


def _named(rows, language: str) -> list[tuple[object, str]]:
    """(rental or purchase, the title in the viewer's language)."""
    rows = list(rows)
    works = {w.pk: w for w in catalog.titled([r.work_id for r in rows])}
    return [(r, display_title(works[r.work_id], language)) for r in rows if r.work_id in works]


def title_name(work_id: int, language: str) -> str:
    work = catalog.titled([work_id]).first()
    return display_title(work, language) if work is not None else ""


def own_profile(viewer: Viewer, profile_id) -> Profile:
    """One of the viewer's profiles, or NotFound."""
    try:
        profile = Profile.objects.filter(viewer=viewer, pk=int(profile_id)).first()
    except (TypeError, ValueError):
        profile = None
    if profile is None:
        raise NotFound(_("No such profile."))
    return profile
