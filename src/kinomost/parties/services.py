"""Writes about organisations, people and API keys. Each function is one action in one transaction."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from kinomost.core import audit
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.core.languages import clean_names
from kinomost.core.territories import normalise_country
from kinomost.parties.models import ApiKey, Membership, Organisation, OrganisationKind, Role, User

API_KEY_PREFIX = "km"


@transaction.atomic
def create_organisation(
    *,
    slug: str,
    name: str,
    kind: str = OrganisationKind.OTHER,
    country: str = "",
    parent_slug: str | None = None,
    names: dict | None = None,
    actor=None,
) -> Organisation:
    """`names` is the name per language ({"ru": "…", "zh-Hans": "…"}), shown to readers of each."""
    names = clean_names(names)
    if slugify(slug) != slug:
        raise InvalidInput(f"'{slug}' is not a valid slug (lower-case letters, digits and hyphens)")
    if kind not in OrganisationKind.values:
        raise InvalidInput(f"unknown kind '{kind}'; one of: {', '.join(OrganisationKind.values)}")
    if Organisation.objects.filter(slug=slug).exists():
        raise Conflict(f"an organisation with slug '{slug}' already exists")
    parent = None
    if parent_slug:
        parent = Organisation.objects.filter(slug=parent_slug).first()
        if parent is None:
            raise NotFound(f"no parent organisation '{parent_slug}'")
    org = Organisation.objects.create(
        slug=slug,
        name=name.strip() or next(iter(names.values()), slug),
        names=names,
        kind=kind,
        country=normalise_country(country) if country else "",
        parent=parent,
    )
    audit.record("organisation.created", actor=actor, organisation=org, obj=org, slug=slug)
    return org


@transaction.atomic
def rename_organisation(*, organisation: Organisation, names: dict, name: str | None = None, actor=None) -> Organisation:
    """Set an organisation's name per language (what is not given is removed) and, optionally, the
    name as stored; an owner does it on the organisation page, staff in the admin."""
    organisation.names = clean_names(names)
    if name is not None and name.strip():
        organisation.name = name.strip()[:200]
    organisation.save(update_fields=["names", "name"])
    audit.record("organisation.renamed", actor=actor, organisation=organisation, obj=organisation, names=organisation.names)
    return organisation


@transaction.atomic
def create_member(
    *, email: str, organisation: Organisation, role: str, password: str | None = None, display_name: str = "", actor=None
) -> tuple[User, str | None]:
    """Create the person if new and add them to the organisation.

    Returns the user and, when no password was given, a generated one to hand over once.
    """
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"'{email}' is not an email address") from None
    if role not in Role.values:
        raise InvalidInput(f"unknown role '{role}'; one of: {', '.join(Role.values)}")
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    generated = None
    if user is None:
        if password is None:
            generated = password = secrets.token_urlsafe(12)
        else:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise InvalidInput(" ".join(exc.messages)) from None
        user = User.objects.create_user(email=email, password=password, display_name=display_name)
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise Conflict(f"{email} is already a member of {organisation.name}")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    audit.record("membership.created", actor=actor, organisation=organisation, obj=user, role=role)
    return user, generated


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, organisation: Organisation, name: str, role: str = Role.READ_ONLY, actor=None) -> tuple[ApiKey, str]:
    """Returns the key and its full token; the token is shown once and never stored."""
    if role not in Role.values:
        raise InvalidInput(f"unknown role '{role}'")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(organisation=organisation, name=name or "API key", prefix=prefix, secret_hash=_hash(secret), role=role)
    audit.record("api_key.created", actor=actor, organisation=organisation, obj=key, name=key.name, role=role)
    return key, f"{API_KEY_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def revoke_api_key(*, organisation: Organisation, prefix: str, actor=None) -> ApiKey:
    key = ApiKey.objects.filter(organisation=organisation, prefix=prefix, revoked_at__isnull=True).first()
    if key is None:
        raise NotFound(f"no active API key '{prefix}' in {organisation.name}")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit.record("api_key.revoked", actor=actor, organisation=organisation, obj=key)
    return key


def authenticate_api_key(token: str) -> ApiKey | None:
    """The active key that `token` proves, or None. Constant-time on the secret."""
    from django.utils.crypto import constant_time_compare

    parts = (token or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        return None
    key = ApiKey.objects.select_related("organisation").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not constant_time_compare(key.secret_hash, _hash(parts[2])):
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def set_time_zone(user, zone: str) -> None:
    """The IANA zone the person reads times in; empty: their organisation's country's."""
    from kinomost.core.timezones import is_zone

    zone = (zone or "").strip()
    if zone and not is_zone(zone):
        raise InvalidInput(f"'{zone}' is not a time zone (e.g. Europe/Moscow, Asia/Shanghai)", details={"time_zone": zone})
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    audit.record("user.time_zone", actor=user, obj=user, time_zone=zone)
