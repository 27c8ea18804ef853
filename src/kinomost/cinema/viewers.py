"""Viewers' writes: sign-up, profiles, subscription and rentals (through the payment provider).
One business action per function; every one audited."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.cinema import payments, storefront
from kinomost.cinema.models import Platform
from kinomost.cinema.viewing_models import Profile, Rental, Subscription, Viewer
from kinomost.core import territories
from kinomost.core.audit import record
from kinomost.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied

SUBSCRIPTION_PRICE = Decimal("4.99")
SUBSCRIPTION_DAYS = 30
RENTAL_PRICE = Decimal("2.99")
RENTAL_HOURS = 48
RENTAL_START_WITHIN = timedelta(days=30)
CURRENCY = "EUR"
KIDS_DEFAULT_MAX_AGE = 12


def sign_up(platform: Platform, *, email: str, password: str, country: str) -> Viewer:
    """A new person becomes a viewer of this platform with one (adult) profile."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid email address.")) from None
    try:
        code = territories.normalise_country(country)
    except Exception:
        raise InvalidInput(_("Choose your country.")) from None
    User = get_user_model()
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from None
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise Conflict(_("An account with this email address exists: sign in instead."))
        user = User.objects.create_user(email=email, password=password)
        viewer = Viewer.objects.create(user=user, platform=platform, country=code)
        Profile.objects.create(viewer=viewer, name=email.split("@")[0][:60])
        record("cinema.viewer_signed_up", actor=user, organisation=platform.organisation_id, obj=viewer)
    return viewer


def join(platform: Platform, user) -> Viewer:
    """A person with an account elsewhere (another platform) opens one here, same country."""
    existing = Viewer.objects.filter(user=user, platform=platform).first()
    if existing is not None:
        return existing
    other = Viewer.objects.filter(user=user).order_by("id").first()
    if other is None:
        raise NotFound(_("No viewer account for this email on this platform: sign up first."))
    with transaction.atomic():
        viewer = Viewer.objects.create(user=user, platform=platform, country=other.country)
        Profile.objects.create(viewer=viewer, name=(user.email or "me").split("@")[0][:60])
        record("cinema.viewer_joined", actor=user, organisation=platform.organisation_id, obj=viewer)
    return viewer


def create_profile(viewer: Viewer, *, name: str, is_kids: bool, max_age: int | None = None) -> Profile:
    """A kids profile always has an age limit (12 unless chosen)."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(_("A profile needs a name of at most 60 characters."))
    if is_kids and max_age is None:
        max_age = KIDS_DEFAULT_MAX_AGE
    if max_age is not None and not 0 <= int(max_age) <= 18:
        raise InvalidInput(_("The maximum age rating is between 0 and 18."))
    with transaction.atomic():
        profile = Profile.objects.create(viewer=viewer, name=name, is_kids=is_kids, max_age=max_age)
        record("cinema.profile_created", actor=viewer.user, organisation=viewer.platform.organisation_id, obj=profile, kids=is_kids)
    return profile


def subscribe(viewer: Viewer) -> Subscription:
    """Charge one period and extend the subscription from its end (or from now if lapsed)."""
    charge = payments.provider().charge(account=viewer.user.email, amount=SUBSCRIPTION_PRICE, currency=CURRENCY,
                                        description=f"{viewer.platform.name}: {SUBSCRIPTION_DAYS} days")
    if not charge.approved:
        raise PermissionDenied(_("The payment was declined: %(reason)s") % {"reason": charge.reason})
    now = timezone.now()
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(viewer=viewer).first()
        start = max(now, sub.active_until) if sub else now
        until = start + timedelta(days=SUBSCRIPTION_DAYS)
        sub, _created = Subscription.objects.update_or_create(
            viewer=viewer, defaults={"active_until": until, "provider": charge.provider, "reference": charge.reference})
        record("cinema.subscribed", actor=viewer.user, organisation=viewer.platform.organisation_id, obj=sub,
               until=until.isoformat(), reference=charge.reference)
    return sub


def rent(viewer: Viewer, viewing: storefront.Viewing, work_id: int) -> Rental:
    """Rent a work the viewer can see and that the platform may rent out (TVOD licensed)."""
    found = storefront.playable(viewing, work_id)
    if found is None:
        raise NotFound(_("This title is not available."))
    if "tvod" not in found.media:
        raise InvalidInput(_("This title cannot be rented here."))
    if active_rental(viewer, work_id) is not None:
        raise Conflict(_("You have already rented this title."))
    charge = payments.provider().charge(account=viewer.user.email, amount=RENTAL_PRICE, currency=CURRENCY,
                                        description=f"{viewer.platform.name}: rental of work {work_id}")
    if not charge.approved:
        raise PermissionDenied(_("The payment was declined: %(reason)s") % {"reason": charge.reason})
    now = timezone.now()
    with transaction.atomic():
        rental = Rental.objects.create(viewer=viewer, work_id=work_id, paid_at=now, start_by=now + RENTAL_START_WITHIN,
                                       hours=RENTAL_HOURS, provider=charge.provider, reference=charge.reference)
        record("cinema.rented", actor=viewer.user, organisation=viewer.platform.organisation_id, obj=rental, work=work_id)
    return rental


def active_rental(viewer: Viewer, work_id: int, now=None) -> Rental | None:
    """A rental not yet started (and still startable) or started and not expired."""
    now = now or timezone.now()
    for rental in Rental.objects.filter(viewer=viewer, work_id=work_id):
        if rental.first_played_at is None and rental.start_by > now:
            return rental
        if rental.expires_at is not None and rental.expires_at > now:
            return rental
    return None
