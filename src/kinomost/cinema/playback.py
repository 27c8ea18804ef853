"""Playback sessions: start (visibility, entitlement, stream limit), heartbeat, stop, revocation
and the key; and entitlement itself (`entitlement`, `offers`), asked by the title page, the
player and start.

Start is the one place rights and entitlement are checked for a play. The session it opens has
one stream URL for its whole life (tokens.session_base: signed until the session's hard end), a
key URL bound to it, and a playback token for its heartbeats and stop, so a player needs nothing
but the master URL. The session ends early when stopped, revoked, or when its licence or
subscription lapses (`end_lapsed`, every CINEMA_RECHECK_SECONDS); `cinema.live` answers "still
live?" cheaply for every file, key and beat. Heartbeats record position and seconds through
`cinema.beats` (no row per beat; folded into the session in batches). The stream limit counts
sessions with a recent heartbeat (STALE_AFTER); a start ends silent ones beyond the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.cinema import beats, live, storefront, tokens
from kinomost.cinema.models import Asset
from kinomost.cinema.viewing_models import (
    PlaybackSession,
    Profile,
    Purchase,
    Rental,
    Subscription,
    Viewer,
)
from kinomost.core.audit import record
from kinomost.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kinomost.rights import licensed

STALE_AFTER = timedelta(seconds=90)  # six missed heartbeats of 15 s: the session stops counting against the stream limit


@dataclass(frozen=True)
class Started:
    session: PlaybackSession
    master_url: str  # valid for the whole session: /hls/s/<session>/<token>/<hard end>/<asset>/master.m3u8
    expires: int  # the session's hard end (Unix seconds)
    resume_at: float
    playback_token: str  # the bearer token of its heartbeats and stop (tokens.playback_token)


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
    paid_until: datetime | None = None  # svod: the end of the subscription's paid period


def title_playable(viewing: storefront.Viewing, work_id: int, under: dict | None = None) -> storefront.Playable | None:
    """The playable that stands for a title as the storefront lists it: the film (or an episode
    asked for by its own id) itself, else the first playable episode of a series. The title page,
    rentals and purchases all ask here, so they offer and check the same media. `under`: the
    title's `storefront.playable_under`, where the caller has read it (the title page): the same
    answer for a film or series, without reading the set twice more."""
    if under is not None:
        return under.get(int(work_id)) or next(iter(under.values()), None)
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
    if "svod" in found.media:
        paid_until = (
            Subscription.objects.filter(viewer=viewer, active_until__gt=now)
            .order_by("-active_until")
            .values_list("active_until", flat=True)
            .first()
        )
        if paid_until is not None:
            return Entitlement("svod", paid_until=paid_until)
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


def offers(viewer: Viewer, found: storefront.Playable, now: datetime | None = None, *, current: Entitlement | None = None) -> list[str]:
    """What this viewer may still acquire for the title, among what the platform sells for it here
    (svod, pvod, tvod, est), in OFFER_ORDER. Nothing while it plays free or already entitles,
    except buying to own (EST), which adds something a subscription or rental does not.
    `current`: the entitlement the caller already asked for (the title page shows both), so its
    queries are not asked twice."""
    now = now or timezone.now()
    current = current if current is not None else entitlement(viewer, found, now)
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
    return [
        r
        for r in Rental.objects.filter(viewer=viewer, work_id__in=list(work_ids))
        if (r.first_played_at is None and r.start_by > now) or (r.expires_at is not None and r.expires_at > now)
    ]


def start(viewer: Viewer, profile: Profile, viewing: storefront.Viewing, work_id: int) -> Started:
    """The one place visibility and entitlement are checked for a play: the storefront for this
    one work, the entitlement, the stream limit; then a session whose URLs last until its hard end
    (`_hard_end`) unless stopped, revoked or its licence lapses (`end_lapsed`)."""
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
    with transaction.atomic():
        _lock_account(viewer)
        streaming, open_ = _stream_counts(viewer, now)
        if streaming >= settings.CINEMA_MAX_STREAMS:
            raise Conflict(_("You are already watching on %(n)d screens: stop one to start here.") % {"n": settings.CINEMA_MAX_STREAMS})
        displaced = _make_room(viewer, now, open_)
        if entitled.rental is not None:
            _start_rental_clock(entitled.rental, now)
        hard_end = _hard_end(entitled, now)
        contract_id, term_id = licensed.licence_of(viewer.platform.organisation_id, work_id, viewing.territory, media, viewing.on) or (
            None,
            None,
        )
        session = PlaybackSession.objects.create(
            viewer=viewer,
            profile=profile,
            asset_id=found.asset_id,
            work_id=work_id,
            territory=viewing.territory,
            media=media,
            last_heartbeat_at=now,
            token_expires_at=datetime.fromtimestamp(hard_end, tz=dt_timezone.utc),
            position=resume_position(profile, work_id),
            contract_id=contract_id,
            term_id=term_id,
        )
        record(
            "cinema.playback_started",
            actor=viewer.user,
            organisation=viewer.platform.organisation_id,
            obj=session,
            work=work_id,
            territory=viewing.territory,
            media=media,
        )
    live.ended(displaced)
    live.opened(session.public_id, hard_end)
    beats.ensure_folder()  # this process folds beats and rechecks licences from now on
    master = found.master_playlist or Asset.objects.only("master_playlist").get(pk=found.asset_id).master_playlist
    base = tokens.session_base(session.public_id, found.asset_public_id, hard_end)
    return Started(session, base + master.lstrip("/"), hard_end, session.position, tokens.playback_token(session.public_id, hard_end))


def _hard_end(entitled: Entitlement, now: datetime) -> int:
    """When the session's URLs stop at the latest: CINEMA_SESSION_HOURS from now, or sooner when
    the entitlement is known to end (a rental's window, the subscription's paid period)."""
    ends = [now + timedelta(hours=settings.CINEMA_SESSION_HOURS)]
    if entitled.rental is not None:
        entitled.rental.refresh_from_db(fields=["expires_at"])
        ends.append(entitled.rental.expires_at or ends[0])
    if entitled.paid_until is not None:
        ends.append(entitled.paid_until)
    return int(min(ends).timestamp())


def _lock_account(viewer: Viewer) -> None:
    """One lock per account serialises starts, so two devices cannot both take the last stream:
    the viewer's row (SELECT … FOR UPDATE). SQLite has no row locks and needs no query for it:
    its transactions begin IMMEDIATE (settings), which takes the database's write lock at once."""
    if transaction.get_connection().features.has_select_for_update:
        Viewer.objects.select_for_update().filter(pk=viewer.pk).values_list("pk", flat=True).first()


def _stream_counts(viewer: Viewer, now: datetime) -> tuple[int, int]:
    """(sessions counting against the stream limit — `live_sessions` —, open sessions), in one
    query: a start needs both, and each was a COUNT of its own."""
    counts = _open_sessions(viewer, now).aggregate(open=Count("id"), streaming=Count("id", filter=_beating(now)))
    return counts["streaming"], counts["open"]


def _make_room(viewer: Viewer, now: datetime, open_count: int) -> list:
    """Silent sessions (no heartbeat for STALE_AFTER) no longer count, but their URLs would
    still play in a player that does not beat: end the oldest of them so that at most
    CINEMA_MAX_STREAMS sessions of the account can stream once this one starts (`open_count`:
    the account's sessions not ended and not past their hard end)."""
    surplus = open_count - (settings.CINEMA_MAX_STREAMS - 1)
    if surplus <= 0:
        return []
    silent = _open_sessions(viewer, now).filter(last_heartbeat_at__lte=now - STALE_AFTER).order_by("last_heartbeat_at", "id")
    ids = list(silent.values_list("public_id", flat=True)[:surplus])
    PlaybackSession.objects.filter(public_id__in=ids).update(ended_at=now)
    return ids


def live_sessions(viewer: Viewer, now: datetime | None = None):
    """Sessions that count against the stream limit: not ended, URLs not past their hard end,
    and a heartbeat within STALE_AFTER (a player that stops beating stops counting)."""
    now = now or timezone.now()
    return _open_sessions(viewer, now).filter(_beating(now))


def _open_sessions(viewer: Viewer, now: datetime):
    """The account's sessions not ended and whose URLs are not past their hard end."""
    return PlaybackSession.objects.filter(viewer=viewer, ended_at__isnull=True, token_expires_at__gt=now)


def _beating(now: datetime) -> Q:
    """A heartbeat within STALE_AFTER: a player that stops beating stops counting."""
    return Q(last_heartbeat_at__gt=now - STALE_AFTER)


def resume_position(profile: Profile, work_id: int) -> float:
    """Where this profile left the work; from the start if it was (nearly) finished."""
    last = (
        PlaybackSession.objects.filter(profile=profile, work_id=work_id)
        .order_by("-last_heartbeat_at", "-id")
        .values_list("position", "asset__duration")  # two numbers, not a session and an asset (with its key) built
        .first()
    )
    if last is None:
        return 0.0
    position, duration = last
    if duration and position >= duration * 0.95:
        return 0.0
    return position


def _start_rental_clock(rental: Rental, now: datetime) -> None:
    """The first play of a rental (TVOD or PVOD) starts its window; later plays change nothing."""
    started = Rental.objects.filter(pk=rental.pk, first_played_at__isnull=True).update(
        first_played_at=now, expires_at=now + timedelta(hours=rental.hours)
    )
    if started:
        rental.refresh_from_db(fields=["first_played_at", "expires_at"])


@dataclass(frozen=True)
class Beat:
    base_url: str  # the session's stream folder (unchanged for the whole session)
    expires: int  # the session's hard end


def heartbeat(viewer: Viewer | int, session_id, viewing: storefront.Viewing | None = None, *, position: float, seconds: float) -> Beat:
    """A viewer's own session (signed-in pages, the viewer API): check ownership and liveness,
    record the beat (`beats.record`: Redis or the process's buffer, never a row per beat). It
    does not ask the storefront again: `end_lapsed` ends sessions whose licence lapsed.
    `viewer` is the viewer or its id (the API's heartbeat knows only the id: app_auth.device_at).
    `viewing` is accepted for callers written before and not used."""
    public_id, ended_at, token_expires_at, asset_id = _own_beat(viewer, session_id)
    if not _is_live(public_id, ended_at, token_expires_at):
        raise Conflict(_("This playback has ended: start it again."))
    position, seconds = _checked(position, seconds)
    beats.record(public_id, position, seconds)
    expires = int(token_expires_at.timestamp())
    return Beat(tokens.session_base(public_id, asset_id, expires), expires)


def _own_beat(viewer: Viewer | int, session_id) -> tuple:
    """What a beat needs of the viewer's session, as values (public id, ended, hard end, asset's
    public id): `_own_session`'s rule, without making the session and its asset into models."""
    return _own(
        viewer,
        session_id,
        lambda own: next(iter(own.values_list("public_id", "ended_at", "token_expires_at", "asset__public_id")[:1]), None),
    )


def is_live_session(session: PlaybackSession) -> bool:
    return _is_live(session.public_id, session.ended_at, session.token_expires_at)


def _is_live(public_id, ended_at, token_expires_at) -> bool:
    return ended_at is None and token_expires_at > timezone.now() and live.is_live(public_id)


def stop(viewer: Viewer, session_id, *, position: float | None = None) -> PlaybackSession:
    return stop_session(_own_session(viewer, session_id), position=position)


def stop_session(session: PlaybackSession, *, position: float | None = None) -> PlaybackSession:
    """End a session (its owner stopped, or the holder of its playback token): its URLs, key and
    heartbeats stop working at once here and within CINEMA_LIVE_CACHE_SECONDS elsewhere."""
    if session.ended_at is None:
        checked = _checked(position, 0)[0] if position is not None else None
        with transaction.atomic():
            updated = PlaybackSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
                ended_at=timezone.now(), **({"position": checked} if checked is not None else {})
            )
            session.refresh_from_db()
            if updated:
                record(
                    "cinema.playback_stopped",
                    actor=session.viewer.user,
                    organisation=session.viewer.platform.organisation_id,
                    obj=session,
                    seconds_watched=round(session.seconds_watched, 1),
                )
        live.ended([session.public_id])
    return session


def revoke(sessions, reason: str) -> int:
    """End these sessions now (a queryset): a lapsed licence or subscription, a takedown."""
    now = timezone.now()
    ids = list(sessions.filter(ended_at__isnull=True).values_list("public_id", flat=True))
    if not ids:
        return 0
    PlaybackSession.objects.filter(public_id__in=ids, ended_at__isnull=True).update(ended_at=now)
    live.ended(ids)
    record("cinema.playback_revoked", actor=None, organisation=None, obj=None, sessions=len(ids), reason=reason)
    return len(ids)


def end_lapsed(now: datetime | None = None) -> int:
    """End open sessions whose licence no longer covers them today, or whose subscription lapsed
    (cancelled or refunded before the paid period's end): one licence question per distinct
    (organisation, work, territory, medium) being watched, not per session. Run by every beat
    folder every CINEMA_RECHECK_SECONDS, so a lapse stops playback within that bound."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    open_ = PlaybackSession.objects.filter(ended_at__isnull=True, token_expires_at__gt=now)
    groups = open_.order_by().values_list("viewer__platform__organisation_id", "work_id", "territory", "media").distinct()
    ended = 0
    for org_id, work_id, territory, media in groups:
        if licensed.licence_of(org_id, work_id, territory, media, today) is None:
            ended += revoke(
                open_.filter(viewer__platform__organisation_id=org_id, work_id=work_id, territory=territory, media=media), "licence lapsed"
            )
    lapsed = Subscription.objects.filter(active_until__lte=now).values("viewer_id")
    ended += revoke(open_.filter(media="svod", viewer_id__in=lapsed), "subscription lapsed")
    return ended


def key_for(user, asset_public_id, actor=None) -> bytes:
    """The asset's AES key for a signed-in person: the one rule of who may have it by cookie. A
    viewer, only inside a live session of theirs for this asset; a studio member (`actor`, the
    signed-in person acting for an organisation), for an asset of that organisation — the same
    rule as the studio asset page, whose operator player needs the key to play the preview or
    the ladder. Anyone else: no. (Players without cookies use the session's key URL:
    `session_key`.)"""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("No playback session."))
    if actor is not None and actor.user is not None and actor.user.pk == user.pk:
        from kinomost.cinema import selectors

        own = selectors.assets_of(actor).filter(public_id=asset_public_id).values_list("key", flat=True).first()
        if own is not None:
            return bytes(own)
    now = timezone.now()
    sessions = PlaybackSession.objects.filter(
        viewer__user=user, asset__public_id=asset_public_id, ended_at__isnull=True, token_expires_at__gt=now
    ).select_related("asset")
    session = next((s for s in sessions if live.is_live(s.public_id)), None)
    if session is None:
        raise PermissionDenied(_("No playback session."))
    return bytes(session.asset.key)


def session_key(session_id, asset_public_id) -> bytes:
    """The key for the holder of a session's signed URL (checked by the caller): the session
    must be live and of that asset."""
    if not live.is_live(session_id):
        raise PermissionDenied(_("This playback has ended: start it again."))
    key = (
        PlaybackSession.objects.filter(public_id=session_id, asset__public_id=asset_public_id, ended_at__isnull=True)
        .values_list("asset__key", flat=True)
        .first()
    )
    if key is None:
        raise PermissionDenied(_("No playback session."))
    return bytes(key)


def session_by_token(session_id, token: str) -> PlaybackSession:
    """The session a playback token drives (heartbeats and stop without cookies), or NotFound."""
    if tokens.check_playback_token(session_id, token) is None:
        raise NotFound(_("No such playback session."))
    session = PlaybackSession.objects.select_related("asset", "viewer__platform", "viewer__user").filter(public_id=session_id).first()
    if session is None:
        raise NotFound(_("No such playback session."))
    return session


def _own_session(viewer: Viewer, session_id) -> PlaybackSession:
    return _own(viewer, session_id, lambda own: own.select_related("asset").first())


def _own(viewer: Viewer | int, session_id, fetch):
    """The one ownership rule of a session: the viewer's own, else 404 (another viewer's session,
    an unknown one, or an id that is no session id) — whatever `fetch` reads of it."""
    try:
        found = fetch(PlaybackSession.objects.filter(viewer=viewer, public_id=session_id).order_by())
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise NotFound(_("No such playback session."))
    return found


def _checked(position, seconds) -> tuple[float, float]:
    try:
        position, seconds = float(position), float(seconds)
    except (TypeError, ValueError):
        raise InvalidInput(_("Position and seconds are numbers.")) from None
    if not (0 <= position < 10**7 and 0 <= seconds < 10**5):
        raise InvalidInput(_("Position and seconds are numbers.")) from None
    return position, seconds
