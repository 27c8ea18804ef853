"""Apps that sign viewers in: registered apps of a platform, their signed-in devices and bearer
tokens, and RFC 8628 device authorizations (a TV signing in by a code typed elsewhere).

Tokens and device codes are stored only as SHA-256 digests: a copy of the database signs nobody
in. A signed-in device (`AppSession`) is one family of tokens: rotating its refresh token keeps
the family, reusing a refresh token already used revokes it, and the viewer can revoke it from
the account page.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisteredApp(models.Model):
    """An app allowed to sign viewers in on a platform, by its public `client_id` (the demo's TV
    app is `kinomost-tv`). Public clients: there is no secret, a TV cannot keep one."""

    platform = models.ForeignKey("cinema.Platform", on_delete=models.CASCADE, related_name="apps")
    client_id = models.SlugField(_("client id"), max_length=64)
    name = models.CharField(_("name"), max_length=120, help_text="what the viewer is shown when approving a device")
    origins = models.JSONField(_("web origins"), default=list, blank=True, help_text="origins of a web app, e.g. https://tv.example.com")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "client_id"]
        constraints = [models.UniqueConstraint(fields=["platform", "client_id"], name="app_client_id_unique_per_platform")]
        verbose_name = _("registered app")
        verbose_name_plural = _("registered apps")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class AppSession(models.Model):
    """One signed-in device of a viewer: what "signed-in devices" lists and revokes. It keeps the
    profile the device chose (leaving a kids profile needs its PIN, as on the web)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    viewer = models.ForeignKey("cinema.Viewer", on_delete=models.CASCADE, related_name="app_sessions")
    app = models.ForeignKey(RegisteredApp, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    device_name = models.CharField(max_length=120, blank=True)
    profile = models.ForeignKey("cinema.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["viewer", "revoked_at"])]


class TokenKind(models.TextChoices):
    ACCESS = "access", _("Access")
    REFRESH = "refresh", _("Refresh")


class AppToken(models.Model):
    session = models.ForeignKey(AppSession, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=8, choices=TokenKind.choices)
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True, help_text="a refresh token, once rotated")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["session", "kind"]), models.Index(fields=["expires_at"])]  # the latter: purge_expired


class DeviceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    USED = "used", _("Signed in")


class DeviceAuthorization(models.Model):
    """RFC 8628: a device's request to sign in, approved or denied by a signed-in viewer who types
    its user code on the storefront's activation page. Single-use and short-lived."""

    app = models.ForeignKey(RegisteredApp, on_delete=models.CASCADE, related_name="device_authorizations")
    device_digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the device code, hex")
    user_code = models.CharField(max_length=8, db_index=True, help_text="8 letters of BCDFGHJKLMNPQRSTVWXZ, without the dash")
    status = models.CharField(max_length=8, choices=DeviceStatus.choices, default=DeviceStatus.PENDING)
    interval = models.PositiveSmallIntegerField(default=5, help_text="seconds the device waits between polls")
    expires_at = models.DateTimeField()
    last_polled_at = models.DateTimeField(null=True, blank=True)
    viewer = models.ForeignKey("cinema.Viewer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["expires_at"])]  # device_flow.purge_expired
