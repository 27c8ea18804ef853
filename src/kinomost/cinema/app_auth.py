"""Bearer tokens for viewers' apps: sign in, rotate, authenticate, list and revoke devices.

An access token is short (CINEMA_APP_ACCESS_SECONDS, 15 minutes by default) and goes with every
API call; a refresh token (CINEMA_APP_REFRESH_DAYS) buys a new pair once. Both belong to one
signed-in device (`AppSession`). A refresh token used a second time means it was copied: the
whole device is signed out (OAuth 2.0 Security BCP, refresh token rotation). Only SHA-256
digests are stored; tokens are 256 random bits, so a fast hash is enough (no guessing a preimage).

A device keeps at most three rows: its pair and the refresh token it used last (the one a thief
racing the device would present). An app refreshing every 15 minutes would otherwise leave 96
used tokens a day behind it, a hundred million a day for a million TVs. Tokens past their end are
deleted by `purge_expired`, which every beat folder runs (`cinema.housekeeping`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.cinema.app_models import AppSession, AppToken, RegisteredApp, TokenKind
from kinomost.cinema.models import Platform
from kinomost.cinema.viewing_models import Viewer
from kinomost.core.audit import record
from kinomost.core.db import delete_in_batches
from kinomost.core.errors import DomainError, NotFound, TooManyAttempts
from kinomost.parties import throttle

ACCESS_PREFIX, REFRESH_PREFIX = "kva_", "kvr_"
LAST_USED_EVERY = timedelta(minutes=1)  # how often an access writes "last used" (not every call)


class NotSignedIn(DomainError):
    """401: a wrong password, or a token that is unknown, expired, used or revoked."""

    status_code = 401
    code = "unauthorized"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    session: AppSession


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def access_seconds() -> int:
    return int(getattr(settings, "CINEMA_APP_ACCESS_SECONDS", 900))


def sign_in(request, platform: Platform, *, email: str, password: str, client_id: str = "", device_name: str = "") -> TokenPair:
    """Email and password → a new signed-in device. Django's authenticate, so django-axes and the
    IP bound count and lock failed attempts exactly as on the sign-in pages."""
    user = authenticate(request, username=(email or "").strip().lower(), password=password or "")
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts(throttle.locked_message(request), retry_after=throttle.retry_after(request))
    viewer = Viewer.objects.filter(user=user, platform=platform).select_related("user", "platform").first() if user else None
    if viewer is None:
        raise NotSignedIn(_("Wrong email or password, or no account on this platform."))
    app = registered_app(platform, client_id) if client_id else None
    return issue(viewer, app=app, device_name=device_name)


def registered_app(platform: Platform, client_id: str) -> RegisteredApp:
    app = RegisteredApp.objects.filter(platform=platform, client_id=client_id, is_active=True).first()
    if app is None:
        raise NotFound(_("No such app on this platform."))
    return app


def issue(viewer: Viewer, *, app: RegisteredApp | None = None, device_name: str = "") -> TokenPair:
    """A new signed-in device with its first pair of tokens."""
    with transaction.atomic():
        session = AppSession.objects.create(
            viewer=viewer, app=app, device_name=(device_name or (app.name if app else ""))[:120], last_used_at=timezone.now()
        )
        pair = _pair(session)
        record(
            "cinema.app_signed_in",
            actor=viewer.user,
            organisation=viewer.platform.organisation_id,
            obj=session,
            app=app.client_id if app else "",
        )
    return pair


def _pair(session: AppSession) -> TokenPair:
    now = timezone.now()
    access, refresh = ACCESS_PREFIX + secrets.token_urlsafe(32), REFRESH_PREFIX + secrets.token_urlsafe(32)
    refresh_days = int(getattr(settings, "CINEMA_APP_REFRESH_DAYS", 30))
    AppToken.objects.bulk_create(
        [
            AppToken(session=session, kind=TokenKind.ACCESS, digest=digest(access), expires_at=now + timedelta(seconds=access_seconds())),
            AppToken(session=session, kind=TokenKind.REFRESH, digest=digest(refresh), expires_at=now + timedelta(days=refresh_days)),
        ]
    )
    return TokenPair(access, refresh, access_seconds(), session)


def refresh(platform: Platform, refresh_token: str) -> TokenPair:
    """A new pair for a refresh token, which is then used up. A used one presented again revokes
    the device: whoever holds a copy, and the device itself, must sign in again."""
    now = timezone.now()
    with transaction.atomic():
        token = (
            AppToken.objects.select_for_update(of=("self",))
            .select_related("session__viewer__platform")
            .filter(digest=digest(refresh_token or ""), kind=TokenKind.REFRESH, session__viewer__platform=platform)
            .first()
        )
        if token is None or token.session.revoked_at is not None or token.expires_at <= now:
            raise NotSignedIn(_("This sign-in has ended: sign in again."))
        session = token.session
        if token.used_at is None:
            token.used_at = now
            token.save(update_fields=["used_at"])
            # The old access token ends with the rotation; of the used refresh tokens only this one
            # is kept. An older copy presented later is unknown, refused without signing the device
            # out: the thief is refused either way, the device no longer warned (docs/decisions.md).
            AppToken.objects.filter(session=session).exclude(pk=token.pk).delete()
            AppSession.objects.filter(pk=session.pk).update(last_used_at=now)
            return _pair(session)
        _revoke(session, now, reason="refresh_token_reused")  # committed: the refusal below must not undo it
    raise NotSignedIn(_("This sign-in has ended: sign in again."))


def purge_expired(now=None) -> int:
    """Delete the tokens past their end (none of them can be accepted again), a batch per
    transaction; a device whose refresh token ran out unused is signed out at the same time, so
    that "signed-in devices" stops listing it. Returns the tokens deleted."""
    now = now or timezone.now()

    def sign_out_lapsed(batch) -> None:
        lapsed = {session for _pk, session, kind, used in batch if kind == TokenKind.REFRESH and used is None}
        AppSession.objects.filter(pk__in=lapsed, revoked_at__isnull=True).update(revoked_at=now)

    return delete_in_batches(AppToken.objects.filter(expires_at__lte=now), "session_id", "kind", "used_at", before=sign_out_lapsed)


def authenticated(platform: Platform, access_token: str) -> AppSession | None:
    """The signed-in device an access token belongs to, on this platform; None if it is unknown,
    expired or revoked."""
    return _authenticated(access_token, session__viewer__platform=platform)


def authenticated_at(org_slug: str, platform_slug: str, access_token: str) -> AppSession | None:
    """As `authenticated`, for the platform named in a URL (organisation and platform slugs): one
    query finds the token, its device, viewer, user, chosen profile and the platform with its
    organisation (`session.viewer.platform`), so an API call spends no second query on the
    platform. None if the token is unknown, expired, revoked or of another platform."""
    return _authenticated(
        access_token, session__viewer__platform__slug=platform_slug, session__viewer__platform__organisation__slug=org_slug
    )


@dataclass(frozen=True)
class Device:
    """A signed-in device as the most frequent call needs it: its id (an AppSession's pk) and its
    viewer's id."""

    pk: int
    viewer_id: int


def device_at(org_slug: str, platform_slug: str, access_token: str) -> Device | None:
    """As `authenticated_at`, for a call that needs to know only whose device it is (the heartbeat,
    every 15 s of every screen playing): the same token checks in one query of ids, without making
    six rows into models — measured, that half of the lookup's cost was the heartbeat's biggest
    part in the API (docs/apps.md, Performance)."""
    if not access_token.startswith(ACCESS_PREFIX):
        return None
    now = timezone.now()
    found = next(
        iter(
            _valid(
                access_token, now, session__viewer__platform__slug=platform_slug, session__viewer__platform__organisation__slug=org_slug
            ).values_list("session_id", "session__viewer_id", "session__last_used_at")[:1]
        ),
        None,
    )
    if found is None:
        return None
    pk, viewer_id, last_used_at = found
    _touch(pk, last_used_at, now)
    return Device(pk, viewer_id)


def _valid(access_token: str, now, **platform):
    """The one rule of a live access token: this digest, an access token, not expired, its device
    not signed out, on this platform. A slice of it, not .first(): the digest is unique, so the
    ORDER BY that first() adds is work for nothing."""
    return AppToken.objects.filter(
        digest=digest(access_token), kind=TokenKind.ACCESS, expires_at__gt=now, session__revoked_at__isnull=True, **platform
    ).order_by()


def _touch(session_id: int, last_used_at, now) -> None:
    """The devices list's "last used", written at most every LAST_USED_EVERY (not every call)."""
    if last_used_at is None or last_used_at < now - LAST_USED_EVERY:
        AppSession.objects.filter(pk=session_id).update(last_used_at=now)


def _authenticated(access_token: str, **platform) -> AppSession | None:
    if not access_token.startswith(ACCESS_PREFIX):
        return None
    now = timezone.now()
    token = next(
        iter(
            _valid(access_token, now, **platform).select_related(
                "session__viewer__platform__organisation", "session__viewer__user", "session__profile"
            )[:1]
        ),
        None,
    )
    if token is None:
        return None
    session = token.session
    _touch(session.pk, session.last_used_at, now)
    return session


def devices(viewer: Viewer):
    """The viewer's signed-in devices, newest first (revoked ones are not listed)."""
    return AppSession.objects.filter(viewer=viewer, revoked_at__isnull=True).select_related("app").order_by("-last_used_at", "-id")


def revoke(viewer: Viewer, public_id) -> AppSession:
    """Sign a device out: its tokens stop working at once."""
    try:
        session = AppSession.objects.filter(viewer=viewer, public_id=public_id, revoked_at__isnull=True).first()
    except (ValueError, TypeError):
        session = None
    if session is None:
        raise NotFound(_("No such signed-in device."))
    _revoke(session, timezone.now(), reason="revoked")
    return session


def _revoke(session: AppSession, now, *, reason: str) -> None:
    AppSession.objects.filter(pk=session.pk).update(revoked_at=now)
    AppToken.objects.filter(session=session).delete()
    session.revoked_at = now
    viewer = session.viewer
    record("cinema.app_signed_out", actor=viewer.user, organisation=viewer.platform.organisation_id, obj=session, reason=reason)


def choose_profile(session: AppSession, profile) -> None:
    AppSession.objects.filter(pk=session.pk).update(profile=profile)
    session.profile = profile
