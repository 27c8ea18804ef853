"""Playback sessions: start (visibility, entitlement, stream limit), heartbeat, stop, and the key;
and entitlement itself (`entitlement`, `offers`), asked by the title page, the player and start.

A session is live while it is not stopped and its last heartbeat is recent (STALE_AFTER); the
stream limit counts live sessions of the account, and the key endpoint gives an asset's key only
to the user holding a live session for that asset. Every heartbeat stores the position (resume)
and a viewing event (royalties), renews the stream token, and asks the storefront again, so a
right that ends or a subscription that lapses stops playback within one heartbeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.cinema import storefront, tokens
from kinomost.cinema.models import Asset
from kinomost.cinema.viewing_models import PlaybackSession, Profile, Purchase, Rental, Subscription, Viewer, ViewingEvent
from kinomost.core.audit import record
from kinomost.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kinomost.rights import licensed

STALE_AFTER = timedelta(seconds=90)  # three missed heartbeats of 30 s
HEARTBEAT_SLACK = 5.0  # seconds a heartbeat may claim beyond the wall-clock time since the last


@dataclass(frozen=True)
class Started:
    session: PlaybackSession
    master_url: str
    expires: int
    resume_at: float


# --- entitlement: the one place that says whether a viewer may play a title, and what they may acquire

RENTAL_MEDIA = ("pvod", "tvod")  # rentals: a clock from the first play; pvod is the premium one
OFFER_ORDER = ("svod", "pvod", "tvod", "est")  # how the title page lists what the viewer may acquire


@dataclass(frozen=True)
class Entitlement:
    """Whether, and under which right, a viewer plays a playable now. `media` None: not entitled.
    `rental`: the rental that entitles (its clock starts at the first play); `owned`: the viewer
    bought the title (EST) and the platform still holds EST for it, so ownership counts now."""

    media: str | None
    rental: Rental | None = None
    owned: bool = False


def title_playable(viewing: storefront.Viewing, work_id: int) -> storefront.Playable | None:
    """The playable that stands for a title as the storefront lists it: the film (or an episode
    asked for by its own id) itself, else the first playable episode of a series. The title page,
    rentals and purchases all ask here, so they offer and check the same media."""
    found = storefront.playable(viewing, work_id)
    if found is not None:
        return found
    return next(iter(storefront.playable_under(viewing, work_id).values()), None)


def entitlement(viewer: Viewer, found: storefront.Playable, now: datetime | None = None) -> Entitlement:
    """The right the viewer plays under, each only if the platform holds it for this work in the
    viewer's territory today (`found.media`, from the ledger): free first, then subscription, then
    a purchase (EST: no clock), then a running or unstarted rental (PVOD, TVOD). An acquisition
    never overrides a lapsed licence: an EST purchase of a title whose EST right ended entitles to
    nothing. Rentals and purchases are of the title (film or series) or of the episode itself."""
    now = now or timezone.now()
    if found.media & storefront.FREE_MEDIA:
        return Entitlement(sorted(found.media & storefront.FREE_MEDIA)[0])
    if "svod" in found.media and Subscription.objects.filter(viewer=viewer, active_until__gt=now).exists():
        return Entitlement("svod")
    titles = {found.work_id, found.top_id}
    if "est" in found.media and Purchase.objects.filter(viewer=viewer, work_id__in=titles).exists():
        return Entitlement("est", owned=True)
    rentals = [r for r in active_rentals(viewer, titles, now) if r.media in found.media]
    if rentals:
        rental = min(rentals, key=lambda r: (r.expires_at is None, r.media != "pvod", r.paid_at))  # a running clock first
        return Entitlement(rental.media, rental=rental)
    return Entitlement(None)


def entitled_media(viewer: Viewer, found: storefront.Playable, now: datetime | None = None) -> str | None:
    return entitlement(viewer, found, now).media


def offers(viewer: Viewer, found: storefront.Playable, now: datetime | None = None) -> list[str]:
    """What this viewer may still acquire for the title, among what the platform sells for it here
    (svod, pvod, tvod, est), in OFFER_ORDER. Nothing while it plays free or already entitles,
    except buying to own (EST), which adds something a subscription or rental does not."""
    now = now or timezone.now()
    current = entitlement(viewer, found, now)
    if current.media in storefront.FREE_MEDIA or current.owned:
        return []
    owned = "est" in found.media and Purchase.objects.filter(viewer=viewer, work_id__in={found.work_id, found.top_id}).exists()
    sold = [m for m in OFFER_ORDER if m in found.media]
    if current.media is not None:
        return [m for m in sold if m == "est" and not owned]
    return [m for m in sold if not (m == "est" and owned)]


def active_rentals(viewer: Viewer, work_ids, now: datetime | None = None) -> list[Rental]:
    """Rentals of these works not yet started (and still startable) or started and not expired."""
    now = now or timezone.now()
    return [r for r in Rental.objects.filter(viewer=viewer, work_id__in=list(work_ids))
            if (r.first_played_at is None and r.start_by > now) or (r.expires_at is not None and r.expires_at > now)]


def start(viewer: Viewer, profile: Profile, viewing: storefront.Viewing, work_id: int) -> Started:
    if profile.viewer_id != viewer.pk:
        raise NotFound(_("No such profile."))
    found = storefront.playable(viewing, work_id)
    if found is None:
        raise NotFound(_("This title is not available."))
    entitled = entitlement(viewer, found)
    media = entitled.media
    if media is None:
        raise PermissionDenied(_("Subscribe, rent or buy this title to watch it."))
    now = timezone.now()
    expires = tokens.expiry()
    with transaction.atomic():
        # One lock per account serialises starts, so two devices cannot both take the last stream.
        Viewer.objects.select_for_update().filter(pk=viewer.pk).first()
        if live_sessions(viewer, now).count() >= settings.CINEMA_MAX_STREAMS:
            raise Conflict(_("You are already watching on %(n)d screens: stop one to start here.") % {"n": settings.CINEMA_MAX_STREAMS})
        if entitled.rental is not None:
            _start_rental_clock(entitled.rental, now)
        contract_id, term_id = licensed.licence_of(viewer.platform.organisation_id, work_id, viewing.territory, media, viewing.on) or (None, None)
        session = PlaybackSession.objects.create(
            viewer=viewer, profile=profile, asset_id=found.asset_id, work_id=work_id, territory=viewing.territory,
            media=media, last_heartbeat_at=now, token_expires_at=datetime.fromtimestamp(expires, tz=dt_timezone.utc),
            position=resume_position(profile, work_id), contract_id=contract_id, term_id=term_id,
        )
        record("cinema.playback_started", actor=viewer.user, organisation=viewer.platform.organisation_id, obj=session,
               work=work_id, territory=viewing.territory, media=media)
    master = Asset.objects.only("master_playlist").get(pk=found.asset_id).master_playlist
    return Started(session, tokens.stream_url(found.asset_public_id, master, expires), expires, session.position)


def live_sessions(viewer: Viewer, now: datetime | None = None):
    now = now or timezone.now()
    return PlaybackSession.objects.filter(viewer=viewer, ended_at__isnull=True, last_heartbeat_at__gt=now - STALE_AFTER)


def resume_position(profile: Profile, work_id: int) -> float:
    """Where this profile left the work; from the start if it was (nearly) finished."""
    last = PlaybackSession.objects.filter(profile=profile, work_id=work_id).select_related("asset").order_by("-last_heartbeat_at", "-id").first()
    if last is None:
        return 0.0
    duration = last.asset.duration or 0
    if duration and last.position >= duration * 0.95:
        return 0.0
    return last.position


def _start_rental_clock(rental: Rental, now: datetime) -> None:
    """The first play of a rental (TVOD or PVOD) starts its window; later plays change nothing."""
    started = Rental.objects.filter(pk=rental.pk, first_played_at__isnull=True).update(
        first_played_at=now, expires_at=now + timedelta(hours=rental.hours))
    if started:
        rental.refresh_from_db(fields=["first_played_at", "expires_at"])


@dataclass(frozen=True)
class Beat:
    base_url: str  # the freshly signed folder of the asset: the player rewrites its URLs to it
    expires: int


def heartbeat(viewer: Viewer, session_id, viewing: storefront.Viewing, *, position: float, seconds: float) -> Beat:
    """Store the position and the seconds watched since the last beat; renew the token."""
    session = _own_session(viewer, session_id)
    now = timezone.now()
    if session.ended_at is not None or session.last_heartbeat_at <= now - STALE_AFTER:
        raise Conflict(_("This playback has ended: start it again."))
    found = storefront.playable(viewing, session.work_id)
    if found is None or entitled_media(viewer, found, now) is None:
        stop(viewer, session_id, position=position)
        raise PermissionDenied(_("This title is no longer available to you."))
    position, seconds = _checked(position, seconds)
    seconds = min(seconds, (now - session.last_heartbeat_at).total_seconds() + HEARTBEAT_SLACK)
    expires = tokens.expiry()
    with transaction.atomic():
        PlaybackSession.objects.filter(pk=session.pk).update(
            last_heartbeat_at=now, position=position, seconds_watched=session.seconds_watched + seconds,
            token_expires_at=datetime.fromtimestamp(expires, tz=dt_timezone.utc))
        if seconds > 0:
            ViewingEvent.objects.create(session=session, organisation_id=viewer.platform.organisation_id, work_id=session.work_id,
                                        territory=session.territory, media=session.media, position=position, seconds=seconds)
    return Beat(tokens.asset_base(session.asset.public_id, expires), expires)


def stop(viewer: Viewer, session_id, *, position: float | None = None) -> PlaybackSession:
    session = _own_session(viewer, session_id)
    if session.ended_at is None:
        session.ended_at = timezone.now()
        if position is not None:
            session.position = _checked(position, 0)[0]
        session.save(update_fields=["ended_at", "position"])
        record("cinema.playback_stopped", actor=viewer.user, organisation=viewer.platform.organisation_id, obj=session,
               seconds_watched=round(session.seconds_watched, 1))
    return session


def key_for(user, asset_public_id, actor=None) -> bytes:
    """The asset's AES key: the one rule of who may have it. A viewer, only inside a live session
    of theirs for this asset; a studio member (`actor`, the signed-in person acting for an
    organisation), for an asset of that organisation — the same rule as the studio asset page,
    whose operator player needs the key to play the preview or the ladder. Anyone else: no."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("No playback session."))
    if actor is not None and actor.user is not None and actor.user.pk == user.pk:
        from kinomost.cinema import selectors

        own = selectors.assets_of(actor).filter(public_id=asset_public_id).values_list("key", flat=True).first()
        if own is not None:
            return bytes(own)
    now = timezone.now()
    session = (PlaybackSession.objects.filter(viewer__user=user, asset__public_id=asset_public_id, ended_at__isnull=True,
                                              last_heartbeat_at__gt=now - STALE_AFTER, token_expires_at__gt=now)
               .select_related("asset").first())
    if session is None:
        raise PermissionDenied(_("No playback session."))
    return bytes(session.asset.key)


def _own_session(viewer: Viewer, session_id) -> PlaybackSession:
    try:
        session = PlaybackSession.objects.select_related("asset").filter(viewer=viewer, public_id=session_id).first()
    except (ValueError, TypeError):
        session = None
    if session is None:
        raise NotFound(_("No such playback session."))
    return session


def _checked(position, seconds) -> tuple[float, float]:
    try:
        position, seconds = float(position), float(seconds)
    except (TypeError, ValueError):
        raise InvalidInput(_("Position and seconds are numbers.")) from None
    if not (0 <= position < 10**7 and 0 <= seconds < 10**5):
        raise InvalidInput(_("Position and seconds are numbers.")) from None
    return position, seconds
