"""Viewers of a platform's storefront and what they watch.

A viewer is a plain user (no organisation membership) with an account on one platform: the
account's country is the territory the rights are checked for. Profiles restrict what is shown
(a kids profile has a maximum age); a subscription, a rental (TVOD or PVOD) or a purchase (EST)
entitles — but only while the rights still make the title visible (see playback.entitlement); a
playback session is what the stream URLs, the key and the heartbeats hang on, and what royalties
read (seconds watched, contract, term): one row per play, never one per heartbeat.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.models import Work


class Viewer(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="viewer_accounts")
    platform = models.ForeignKey("cinema.Platform", on_delete=models.CASCADE, related_name="viewers")
    country = models.CharField(_("country"), max_length=2, help_text="ISO 3166-1 alpha-2: the territory rights are checked for")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "platform"], name="viewer_once_per_platform")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.platform}"


class Profile(models.Model):
    viewer = models.ForeignKey(Viewer, on_delete=models.CASCADE, related_name="profiles")
    name = models.CharField(_("name"), max_length=60)
    is_kids = models.BooleanField(_("kids profile"), default=False)
    max_age = models.PositiveSmallIntegerField(_("maximum age rating"), null=True, blank=True, help_text="empty = no limit")
    # A kids profile is left only with its PIN (a Django password hash of it; viewers.choose_profile).
    pin = models.CharField(max_length=128, blank=True, help_text="hash of the PIN that leaves a kids profile")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Subscription(models.Model):
    """SVOD on the viewer's platform; active while `active_until` is in the future."""

    viewer = models.OneToOneField(Viewer, on_delete=models.CASCADE, related_name="subscription")
    active_until = models.DateTimeField()
    provider = models.CharField(max_length=32)
    reference = models.CharField(max_length=100)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def is_active(self) -> bool:
        return self.active_until > timezone.now()


class Rental(models.Model):
    """TVOD or PVOD (premium rental): paid for, then watchable for a period counted from the first
    play, and only while the platform holds the right of that media (`media`). `work` is the
    title as the storefront lists it: a film, or a series whose episodes it then covers."""

    viewer = models.ForeignKey(Viewer, on_delete=models.CASCADE, related_name="rentals")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="+")
    media = models.CharField(max_length=8, default="tvod", help_text="tvod or pvod: the right the rental plays under")
    paid_at = models.DateTimeField()
    start_by = models.DateTimeField(help_text="the rental lapses if not started by then")
    hours = models.PositiveSmallIntegerField(default=48)
    first_played_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="set at the first play")
    provider = models.CharField(max_length=32)
    reference = models.CharField(max_length=100)

    class Meta:
        ordering = ["-paid_at", "-id"]
        indexes = [models.Index(fields=["viewer", "work"])]


class Purchase(models.Model):
    """EST (buy to own): paid once, watchable without a clock — but only while the platform still
    holds the EST right for the viewer's territory; ownership never overrides a lapsed licence.
    `work` is the title as listed (a film, or a series covering its episodes). The amount and
    currency are kept as the receipt the account page shows."""

    viewer = models.ForeignKey(Viewer, on_delete=models.CASCADE, related_name="purchases")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=32)
    reference = models.CharField(max_length=100)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["viewer", "work"], name="purchase_once_per_viewer_work")]


class PlaybackSession(models.Model):
    """One play of one asset by one profile. Its URLs work until `token_expires_at` (its hard end)
    unless ended first; it counts against the stream limit while its last heartbeat is recent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    viewer = models.ForeignKey(Viewer, on_delete=models.CASCADE, related_name="sessions")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="sessions")
    asset = models.ForeignKey("cinema.Asset", on_delete=models.PROTECT, related_name="sessions")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="+")
    territory = models.CharField(max_length=2)
    media = models.CharField(max_length=24, help_text="the right it plays under: svod, tvod, avod …")
    started_at = models.DateTimeField(auto_now_add=True)
    last_heartbeat_at = models.DateTimeField()
    token_expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    position = models.FloatField(default=0.0, help_text="seconds into the programme")
    seconds_watched = models.FloatField(default=0.0)
    # Heartbeats are folded in batches (cinema/beats.py): the first beat folded, and the key of the
    # last one, so that a batch folded twice changes nothing. last_heartbeat_at is the last beat.
    first_beat_at = models.DateTimeField(null=True, blank=True)
    folded_through = models.BigIntegerField(
        default=0, db_default=0
    )  # a database default too: bulk loaders (bench/royalties.py) insert rows by hand
    # [key, unix time] of the beats folded in the last beats.REMEMBER_SECONDS, so a batch folded
    # late (claimed from a dead folder) is told from one folded before. Null until the first fold.
    recent_beats = models.JSONField(null=True, blank=True)
    # The licence it plays under (rights.licensed.licence_of at start): an episode played under a
    # series grant names that grant. Royalty statements read viewing by contract.
    contract = models.ForeignKey("rights.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("rights.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["viewer", "ended_at", "last_heartbeat_at"]),
            models.Index(fields=["profile", "work"]),
            models.Index(fields=["contract", "started_at"], name="cinema_session_contract"),
            # Covers the royalty statements' aggregate of a platform-month of viewing (every column it
            # reads, the month's range first): the database reads the index alone, never a session row.
            # SQLite has one more, in the aggregate's grouping order (made by migration 0013, SQLite only).
            models.Index(
                fields=["started_at", "viewer", "seconds_watched", "contract", "work", "media", "territory"],
                name="cinema_session_royalties",
            ),
        ]


class RevenueKind(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription period")
    RENTAL = "rental", _("Rental")
    PURCHASE = "purchase", _("Purchase")


class Revenue(models.Model):
    """One charge of the online cinema — a subscription period, a rental, a purchase — as the
    receipt royalties are computed from: amount and currency as charged, where (territory), under
    which right (media), on which platform, when. A rental or purchase names its title and the
    licence it was sold under; a subscription period names neither (its receipts form the pool of
    the territory, shared by viewing: royalties.usage). Rows are never changed or deleted."""

    platform = models.ForeignKey("cinema.Platform", on_delete=models.PROTECT, related_name="revenue")
    organisation_id = models.BigIntegerField(help_text="the platform's organisation, as on viewing events")
    viewer = models.ForeignKey(Viewer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=RevenueKind.choices)
    media = models.CharField(max_length=8)
    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey("rights.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("rights.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    territory = models.CharField(max_length=2)
    amount = models.DecimalField(max_digits=18, decimal_places=4)
    currency = models.CharField(max_length=3)
    at = models.DateTimeField()
    provider = models.CharField(max_length=32)
    reference = models.CharField(max_length=100)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["platform", "kind", "at"], name="cinema_revenue_pool"),
            models.Index(fields=["contract", "at"], name="cinema_revenue_contract"),
        ]
