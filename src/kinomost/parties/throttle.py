"""Sign-in throttling: the one owner of the policy (docs/security-accounts.md).

- A username and IP address pair is locked after `LOGIN_FAILURE_LIMIT` failed sign-ins (studio,
  storefront, admin) for `LOGIN_LOCK_MINUTES`: django-axes keeps those counts in the database.
- One IP address is bounded across all usernames (`LOGIN_FAILURES_PER_IP` in the same window), so
  one machine cannot try one password on many accounts.
- Invalid API keys: `API_KEY_FAILURES_PER_IP` from one IP address in the window and the API
  answers that address 429 (with Retry-After) until the window has passed.

The last two are counters in Django's cache (`KINOMOST_REDIS_URL` shares them between worker
processes; without it each process counts for itself). The client's IP is always
`kinomost.core.http.client_ip`, so the trusted-proxy rule applies here too.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kinomost.core.errors import TooManyAttempts
from kinomost.core.http import client_ip

LOGIN = "login"
API_KEY = "api-key"
DEVICE_CODE = "device-code"  # wrong user codes typed on a storefront's activation page (RFC 8628 §5.1)
PIN = "pin"  # wrong PINs to leave a kids profile, counted per IP address and profile


def _limits(kind: str) -> tuple[int, int]:
    """(failures allowed, window and lock in seconds) for a kind of IP-wide bound."""
    seconds = settings.KINOMOST_LOGIN_LOCK_MINUTES * 60
    if kind == LOGIN:
        return settings.KINOMOST_LOGIN_FAILURES_PER_IP, seconds
    if kind == DEVICE_CODE:
        return settings.KINOMOST_DEVICE_CODE_FAILURES_PER_IP, seconds
    if kind == PIN:
        return settings.KINOMOST_PIN_FAILURES, seconds
    return settings.KINOMOST_API_KEY_FAILURES_PER_IP, settings.KINOMOST_API_KEY_LOCK_MINUTES * 60


def _keys(kind: str, ip: str) -> tuple[str, str]:
    return f"kinomost:throttle:{kind}:{ip}:failures", f"kinomost:throttle:{kind}:{ip}:locked-until"


def locked_for(kind: str, ip: str | None) -> int:
    """Seconds until this IP may try again (0: it may now)."""
    if not ip:
        return 0
    until = cache.get(_keys(kind, ip)[1])
    return max(0, math.ceil(until - time.time())) if until else 0


def note_failure(kind: str, ip: str | None) -> None:
    """Count one failure of this IP; reaching the bound locks it for the window."""
    if not ip:
        return
    limit, seconds = _limits(kind)
    failures, locked = _keys(kind, ip)
    cache.add(failures, 0, timeout=seconds)  # the window starts at the first failure
    try:
        count = cache.incr(failures)
    except ValueError:  # expired between add and incr
        cache.set(failures, count := 1, timeout=seconds)
    if count >= limit:
        cache.set(locked, time.time() + seconds, timeout=seconds)
        cache.delete(failures)


def check_api_key_allowed(request) -> None:
    """Raise TooManyAttempts when this client sent too many invalid API keys."""
    wait = locked_for(API_KEY, client_ip(request))
    if wait:
        raise TooManyAttempts(
            str(_("Too many invalid API keys from your address. Try again in %(seconds)s seconds.") % {"seconds": wait}),
            retry_after=wait,
        )


def note_api_key_failure(request) -> None:
    note_failure(API_KEY, client_ip(request))


@receiver(user_login_failed)
def _count_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None and not getattr(request, "kinomost_ip_locked", False):
        note_failure(LOGIN, client_ip(request))


class IpBoundBackend:
    """First of AUTHENTICATION_BACKENDS: refuses every sign-in from an IP over its bound, before
    any password is checked. It marks the request as locked out, as django-axes does, so the
    sign-in form and the lockout response below say so."""

    def authenticate(self, request, **credentials):
        if request is not None and locked_for(LOGIN, client_ip(request)):
            request.kinomost_ip_locked = True
            request.axes_locked_out = True
            raise PermissionDenied  # Django stops here and sends user_login_failed
        return None  # no get_user: it never signs anyone in (and force_login skips it)


def retry_after(request) -> int:
    """Seconds a locked-out sign-in waits (the Retry-After of its 429)."""
    return _retry_after(request)


def _retry_after(request) -> int:
    if getattr(request, "kinomost_ip_locked", False):
        return locked_for(LOGIN, client_ip(request)) or 1
    return settings.KINOMOST_LOGIN_LOCK_MINUTES * 60


def locked_message(request) -> str:
    minutes = max(1, math.ceil(_retry_after(request) / 60))
    return ngettext(
        "Too many failed sign-ins. Sign-in is locked for %(minutes)d minute; try again later.",
        "Too many failed sign-ins. Sign-in is locked for %(minutes)d minutes; try again later.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, saying "locked, try again in N minutes" instead of "wrong
    password" when django-axes or the IP bound refused the attempt."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(locked_message(self.request), code="locked") from None
            raise


def lockout_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: the sign-in page itself (with the form's locked message), answered
    429 with Retry-After."""
    response = original_response
    if response is None:  # axes asks without a page (not a form sign-in): a plain answer
        from django.http import HttpResponse

        response = HttpResponse(locked_message(request), content_type="text/plain; charset=utf-8")
    response.status_code = 429
    response["Retry-After"] = str(_retry_after(request))
    return response
