"""Signing a TV in with a code: the OAuth 2.0 Device Authorization Grant (RFC 8628).

The TV asks for a code (`start`), shows the user code and polls (`poll`); the viewer, signed in on
a phone or computer, types the code on the storefront's activation page (`pending_for_code`) and
approves or denies (`decide`). Codes are single-use and live CINEMA_DEVICE_CODE_SECONDS; user
codes are 8 letters of 20 consonants (no vowels, so no words; 20^8 ≈ 2.6·10^10 codes), read
case- and dash-insensitively; wrong codes typed from one address are bounded by
`parties.throttle` (DEVICE_CODE). A device polling faster than its interval is told `slow_down`
and its interval grows by 5 s, as §3.5 says.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.cinema import app_auth
from kinomost.cinema.app_models import DeviceAuthorization, DeviceStatus, RegisteredApp
from kinomost.cinema.models import Platform
from kinomost.cinema.viewing_models import Viewer
from kinomost.core.audit import record
from kinomost.core.db import delete_in_batches
from kinomost.core.errors import DomainError, NotFound, PermissionDenied, TooManyAttempts
from kinomost.core.http import client_ip
from kinomost.parties import throttle

USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"
INTERVAL = 5
SLOW_DOWN_STEP = 5


class DeviceGrantError(DomainError):
    """An RFC 8628 §3.5 / RFC 6749 §5.2 answer of the token endpoint: 400 with `error` as the RFC
    names it (authorization_pending, slow_down, access_denied, expired_token, invalid_grant,
    invalid_client, unsupported_grant_type)."""

    status_code = 400

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    def as_dict(self) -> dict:
        return {**super().as_dict(), "error_description": self.message}


@dataclass(frozen=True)
class Started:
    authorization: DeviceAuthorization
    device_code: str
    user_code: str  # shown XXXX-XXXX


def shown(user_code: str) -> str:
    return f"{user_code[:4]}-{user_code[4:]}"


def expires_in(authorization: DeviceAuthorization) -> int:
    return max(0, int((authorization.expires_at - timezone.now()).total_seconds()))


def normalise_user_code(typed: str) -> str | None:
    """What the viewer typed, as stored: upper case, without dashes or spaces; None if it cannot be one."""
    code = "".join(ch for ch in (typed or "").upper() if ch not in "- \t")
    if len(code) != USER_CODE_LENGTH or any(ch not in USER_CODE_ALPHABET for ch in code):
        return None
    return code


def start(platform: Platform, client_id: str) -> Started:
    """A new device authorization for a registered app of the platform."""
    app = RegisteredApp.objects.filter(platform=platform, client_id=client_id or "", is_active=True).first()
    if app is None:
        raise DeviceGrantError("invalid_client", _("This app is not registered on this platform."))
    device_code = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + timedelta(seconds=settings.CINEMA_DEVICE_CODE_SECONDS)
    for _attempt in range(5):  # a clash with a live code is one in billions; retry anyway
        user_code = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))
        if not DeviceAuthorization.objects.filter(user_code=user_code, expires_at__gt=now, app__platform=platform).exists():
            break
    authorization = DeviceAuthorization.objects.create(
        app=app, device_digest=app_auth.digest(device_code), user_code=user_code, interval=INTERVAL, expires_at=expires
    )
    return Started(authorization, device_code, shown(user_code))


# A late poll is still told `expired_token` for this long; after it the code is unknown (`invalid_grant`).
EXPIRED_KEPT = timedelta(days=1)


def purge_expired(now=None) -> int:
    """Delete the codes expired longer than EXPIRED_KEPT (every beat folder runs this,
    `cinema.housekeeping`): each TV's sign-in leaves one, and they were kept for ever."""
    now = now or timezone.now()
    return delete_in_batches(DeviceAuthorization.objects.filter(expires_at__lte=now - EXPIRED_KEPT))


def poll(platform: Platform, *, grant_type: str, device_code: str, client_id: str) -> app_auth.TokenPair:
    """The device's poll: the tokens once approved (then the code is used up), else the RFC's error."""
    if grant_type != GRANT_TYPE:
        raise DeviceGrantError("unsupported_grant_type", _("Use the device code grant type."))
    now = timezone.now()
    with transaction.atomic():
        found = (
            DeviceAuthorization.objects.select_for_update(of=("self",))
            .select_related("app", "viewer__platform", "viewer__user")
            .filter(device_digest=app_auth.digest(device_code or ""), app__platform=platform)
            .first()
        )
        if found is None or found.status == DeviceStatus.USED:
            raise DeviceGrantError("invalid_grant", _("This device code is not valid: ask for a new one."))
        if found.app.client_id != client_id or not found.app.is_active:
            raise DeviceGrantError("invalid_client", _("This device code belongs to another app."))
        if found.expires_at <= now:
            raise DeviceGrantError("expired_token", _("The code has expired: ask for a new one."))
        if found.status == DeviceStatus.DENIED:
            raise DeviceGrantError("access_denied", _("The sign-in was denied."))
        too_soon = found.last_polled_at is not None and (now - found.last_polled_at).total_seconds() < found.interval
        found.last_polled_at = now
        if too_soon:
            found.interval += SLOW_DOWN_STEP
        found.save(update_fields=["last_polled_at", "interval"])
        if too_soon:
            outcome = DeviceGrantError(
                "slow_down", _("Polling too fast: wait %(seconds)d seconds between polls.") % {"seconds": found.interval}
            )
        elif found.status == DeviceStatus.PENDING:
            outcome = DeviceGrantError("authorization_pending", _("Waiting for the viewer to approve the sign-in."))
        else:
            found.status = DeviceStatus.USED
            found.save(update_fields=["status"])
            return app_auth.issue(found.viewer, app=found.app, device_name=found.app.name)
    raise outcome  # after the commit: the poll's time and interval are kept


def pending_for_code(request, platform: Platform, typed: str) -> DeviceAuthorization:
    """The live request a typed code names, for the activation page. Wrong codes count against the
    address (parties.throttle); once over the bound every attempt is refused for a while."""
    ip = client_ip(request)
    wait = throttle.locked_for(throttle.DEVICE_CODE, ip)
    if wait:
        raise TooManyAttempts(_("Too many wrong codes. Try again in %(seconds)s seconds.") % {"seconds": wait}, retry_after=wait)
    code = normalise_user_code(typed)
    found = None
    if code is not None:
        found = (
            DeviceAuthorization.objects.select_related("app")
            .filter(user_code=code, app__platform=platform, status=DeviceStatus.PENDING, expires_at__gt=timezone.now())
            .first()
        )
    if found is None:
        throttle.note_failure(throttle.DEVICE_CODE, ip)
        raise NotFound(_("No device is waiting for this code: check it, or ask the device for a new one."))
    return found


def decide(request, viewer: Viewer, typed: str, *, approve: bool, profile=None) -> DeviceAuthorization:
    """The viewer approves (the device is signed in as them at its next poll) or denies. Not from
    a kids profile (`profile`): the device would start on the account's own profile."""
    if approve and profile is not None and profile.is_kids:
        raise PermissionDenied(_("Switch to your own profile to approve a device."))
    found = pending_for_code(request, viewer.platform, typed)
    updated = DeviceAuthorization.objects.filter(pk=found.pk, status=DeviceStatus.PENDING).update(
        status=DeviceStatus.APPROVED if approve else DeviceStatus.DENIED, viewer=viewer, decided_at=timezone.now()
    )
    if not updated:  # decided in another tab a moment ago
        raise NotFound(_("No device is waiting for this code: check it, or ask the device for a new one."))
    found.refresh_from_db()
    record(
        "cinema.device_approved" if approve else "cinema.device_denied",
        actor=viewer.user,
        organisation=viewer.platform.organisation_id,
        obj=found,
        app=found.app.client_id,
    )
    return found
