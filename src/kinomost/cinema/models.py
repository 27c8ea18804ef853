"""Platforms (online cinemas), the assets they stream and the ingest jobs that make them.

An Asset is one work's encrypted HLS package for one organisation; its files live in the
public HLS storage (see `storage`), its AES key only here in the database. An IngestJob carries
the queue's lease so a job whose worker died is taken over (see `queue`).
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.models import Work

# The choices live in choices.py (pages name them without the tables); the app's own modules
# still import them from here too.
from kinomost.cinema.choices import PLATFORM_MEDIA as PLATFORM_MEDIA, AssetStatus, JobState, SourceKind, TrackKind
from kinomost.parties.models import Organisation


def opening_prices() -> dict:
    """A new platform's prices until its operator sets its own (cinema.prices)."""
    from kinomost.cinema.prices import OPENING_PRICES

    return dict(OPENING_PRICES)


def new_visibility_version() -> int:
    return secrets.randbits(62)


class Platform(models.Model):
    """An online cinema run by an organisation: where it sells (territories), how (media) and in
    which languages. The storefront (later) shows a work when rights cover all three."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="platforms")
    slug = models.SlugField(max_length=64)
    name = models.CharField(_("name"), max_length=200)
    territories = models.JSONField(_("territories"), default=list, help_text="ISO 3166-1 alpha-2 codes, expanded")
    media = models.JSONField(_("media"), default=list, help_text="VOD media leaves: svod, avod, tvod, est …")
    languages = models.JSONField(_("languages"), default=list, help_text="BCP 47 tags, the first is the default")
    currency = models.CharField(_("currency"), max_length=3, default="EUR", help_text="ISO 4217: what the platform sells in")
    prices = models.JSONField(_("prices"), default=opening_prices, help_text="media → price in the platform's currency (cinema.prices)")
    # A session counts as a view (and its seconds in the SVOD pool) from this many seconds
    # watched: see docs/royalties.md for why 60 is the default.
    qualifying_seconds = models.PositiveIntegerField(_("a view counts from (seconds)"), default=60)
    # Web origins of the platform's own apps (a TV app, a partner's site: "https://tv.example"),
    # which get CORS on the viewer API, streams, keys and heartbeats (cinema/origins.py).
    app_origins = models.JSONField(
        _("app origins"), default=list, blank=True, help_text="origins (scheme://host[:port]) of the platform's apps"
    )
    browse_signed_out = models.BooleanField(
        _("browsing before signing in"),
        default=False,
        help_text="anyone may see the rows, search and title pages; playing needs an account",
    )
    pvod_above_est = models.BooleanField(
        _("a premium rental may cost more than buying"),
        default=False,
        help_text="otherwise a premium rental is never dearer than buying to own (cinema.prices)",
    )
    # A new random value in the transaction of every change to the platform's visibility set
    # (cinema.visibility): processes reuse the home page's rows while it is the same
    # (storefront._shelves). Random, not a counter: a rolled-back change or a restored backup
    # brings back a value whose rows were computed for exactly that state.
    visibility_version = models.BigIntegerField(default=new_visibility_version, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="platform_slug_unique_per_org")]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name


class Asset(models.Model):
    """A work's streamable package. `public_id` names its folder and key URI, so database ids
    never appear in public URLs."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cinema_assets")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="cinema_assets")
    platform = models.ForeignKey(Platform, null=True, blank=True, on_delete=models.SET_NULL, related_name="assets")
    status = models.CharField(_("status"), max_length=16, choices=AssetStatus.choices, default=AssetStatus.QUEUED)
    step = models.CharField(_("step"), max_length=32, blank=True)
    progress = models.FloatField(_("progress"), default=0.0, help_text="0–100")
    eta_seconds = models.PositiveIntegerField(_("time left (s)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    ladder = models.JSONField(default=list, help_text="rung heights asked for, e.g. [1080, 720, 480, 360]")
    probe = models.JSONField(default=dict, blank=True, help_text="what the probe found in the master")
    duration = models.FloatField(null=True, blank=True)
    preview_playlist = models.CharField(max_length=300, blank=True, help_text="lowest rung, playable while transcoding")
    master_playlist = models.CharField(max_length=300, blank=True)
    poster = models.CharField(max_length=300, blank=True)
    thumbnails = models.CharField(max_length=300, blank=True, help_text="WebVTT index of the sprite sheets")
    # AES-128 key and IV: served only by Kinomost inside a playback session, never stored as a file
    # under the public HLS folder.
    key = models.BinaryField(max_length=16, editable=False)
    iv = models.BinaryField(max_length=16, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["work", "status"])]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.work} ({self.public_id})"


class AssetSource(models.Model):
    """A file the operator handed in: the master, an added dub, a subtitle file. Kept in the
    private storage until the asset is ready."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    language = models.CharField(max_length=16, blank=True)
    path = models.CharField(max_length=500, help_text="relative to the private storage")
    original_name = models.CharField(max_length=300)
    size = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["id"]


class Track(models.Model):
    """One rendition in the master playlist: a video rung, an audio language or a subtitle."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="tracks")
    kind = models.CharField(max_length=16, choices=TrackKind.choices)
    name = models.CharField(max_length=64)
    language = models.CharField(max_length=16, blank=True)
    playlist = models.CharField(max_length=300, help_text="relative to the asset's folder")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    bandwidth = models.PositiveIntegerField(null=True, blank=True, help_text="peak bits per second")
    average_bandwidth = models.PositiveIntegerField(null=True, blank=True)
    codecs = models.CharField(max_length=100, blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["asset", "kind", "-height", "id"]
        constraints = [models.UniqueConstraint(fields=["asset", "kind", "name"], name="track_name_unique_per_asset")]


class IngestJob(models.Model):
    """The queue entry for an asset's ingest. A worker holds it by a lease (owner, token, expiry)
    that it renews while it works; an expired lease lets any worker take the job over and
    continue after the last completed step."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="jobs")
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    done_steps = models.JSONField(default=list)
    current_step = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "lease_expires_at"])]


from kinomost.cinema.viewing_models import PlaybackSession, Profile, Rental, Revenue, Subscription, Viewer  # noqa: E402,F401  (viewers: see viewing_models)
from kinomost.cinema.visibility_models import VisibleTitle, VisibleWork  # noqa: E402,F401  (the storefront's set: see visibility)
from kinomost.cinema.app_models import AppSession, AppToken, DeviceAuthorization, RegisteredApp  # noqa: E402,F401  (apps: see app_models)
