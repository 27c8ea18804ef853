"""Organisations, the people who work for them, and machine keys.

Every private object in Kinomost belongs to an Organisation; a User acts for an organisation
through a Membership whose role says what they may do.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MEDIA_GROUP = "media_group", _("Media group")
    PRODUCER = "producer", _("Producer")
    DISTRIBUTOR = "distributor", _("Distributor")
    BROADCASTER = "broadcaster", _("Broadcaster")
    PLATFORM = "platform", _("Online platform")
    REGULATOR = "regulator", _("Regulator")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The name per language ({"ru": "…", "zh-Hans": "…", "en": "…"}), as people's `names`: pages
    # show the reader's (parties.selectors.organisation_name), `name` when none fits.
    names = models.JSONField(_("names by language"), default=dict, blank=True, help_text='{"ru": "…", "zh-Hans": "…", "en": "…"}')
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subsidiaries", verbose_name=_("parent group")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person; signs in with their email address."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True, help_text="interface language")
    # Times on pages are shown in this IANA zone; empty: the zone of the organisation's country.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, help_text="IANA zone, e.g. Europe/Moscow")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self) -> str:
        return self.display_name or self.email


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    LICENSING_MANAGER = "licensing_manager", _("Licensing manager")
    PLATFORM_OPERATOR = "platform_operator", _("Platform operator")
    READ_ONLY = "read_only", _("Read-only")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class ApiKey(models.Model):
    """A machine credential of one organisation. Only a hash of the secret is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128)
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.READ_ONLY)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation.slug}:{self.prefix} ({self.name})"
