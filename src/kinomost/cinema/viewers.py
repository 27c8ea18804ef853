"""Viewers' writes: sign-up, profiles, subscription, rentals (TVOD, PVOD) and purchases (EST),
all paid through the payment provider. One business action per function; every one audited; a
declined charge raises before anything is written.

Prices are the platform's, in its currency, set by its operator (cinema.prices). Every charge is
also written as a `Revenue` row in the same transaction as what it pays for: the receipts royalty
statements are computed from."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.mail import send_mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.cinema import payments, playback, prices, storefront
from kinomost.cinema.models import Platform
from kinomost.cinema.viewing_models import Profile, Purchase, Rental, Revenue, RevenueKind, Subscription, Viewer
from kinomost.core import money, territories
from kinomost.core.audit import record
from kinomost.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TooManyAttempts
from kinomost.parties import throttle
from kinomost.rights import licensed

SUBSCRIPTION_DAYS = 30
RENTAL_HOURS = 48
RENTAL_START_WITHIN = timedelta(days=30)  # a rental (TVOD or PVOD) lapses if not started by then
PVOD_HOURS = 48  # premium rental: a new release, often while still in cinemas
KIDS_DEFAULT_MAX_AGE = 12


def sign_up(platform: Platform, *, email: str, password: str, country: str) -> Viewer:
    """A new person becomes a viewer of this platform with one (adult) profile. Pages reach it
    only through a sign-up link (finish_sign_up), which proves the address first; the demo and
    tests call it directly."""
    email, code = _valid_email(email), _valid_country(country)
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


SIGN_UP_SALT = "kinomost.cinema.sign-up"
SIGN_UP_LINK_DAYS = 3


def start_sign_up(platform: Platform, *, email: str, country: str, link_for) -> None:
    """The sign-up form's action. It answers the same whether or not the address has an account,
    so the form cannot be used to learn who is registered: the address gets one email either way —
    a link to finish signing up (`link_for(token)`), or, for an address we know, a reminder to
    sign in (`link_for(None)`). Nothing is written until the link is followed: the address is
    proven before an account exists, and nobody can hold someone else's address."""
    email, code = _valid_email(email), _valid_country(country)
    if get_user_model().objects.filter(email=email).exists():
        subject = _("Your account on %(platform)s") % {"platform": platform.name}
        body = _(
            "Someone (perhaps you) tried to sign up on %(platform)s with this address. You already have an account: "
            "sign in at %(link)s\n\nIf it was not you, you can ignore this email."
        ) % {"platform": platform.name, "link": link_for(None)}
    else:
        token = signing.dumps({"platform": platform.pk, "email": email, "country": code}, salt=SIGN_UP_SALT)
        subject = _("Finish signing up on %(platform)s") % {"platform": platform.name}
        body = _(
            "To finish signing up on %(platform)s, choose your password at %(link)s (the link works for %(days)d days).\n\n"
            "If it was not you, you can ignore this email."
        ) % {"platform": platform.name, "link": link_for(token), "days": SIGN_UP_LINK_DAYS}
    send_mail(subject, body, None, [email])


def sign_up_claim(platform: Platform, token: str) -> dict:
    """What a sign-up link proves (email, country), or InvalidInput for a bad or stale link."""
    try:
        claim = signing.loads(token, salt=SIGN_UP_SALT, max_age=timedelta(days=SIGN_UP_LINK_DAYS))
    except signing.BadSignature:  # includes SignatureExpired
        claim = None
    if not isinstance(claim, dict) or claim.get("platform") != platform.pk:
        raise InvalidInput(_("This sign-up link is not valid or has expired: sign up again."))
    return claim


def finish_sign_up(platform: Platform, token: str, *, password: str) -> Viewer:
    """The link's page: the proven address becomes a viewer with the password chosen there."""
    claim = sign_up_claim(platform, token)
    return sign_up(platform, email=claim["email"], password=password, country=claim["country"])


def _valid_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter a valid email address.")) from None
    return email


def _valid_country(country: str) -> str:
    try:
        return territories.normalise_country(country)
    except Exception:
        raise InvalidInput(_("Choose your country.")) from None


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


PIN_DIGITS = (4, 8)


def create_profile(
    viewer: Viewer, *, name: str, is_kids: bool, max_age: int | None = None, pin: str = "", by: Profile | None = None
) -> Profile:
    """A kids profile always has an age limit (12 unless chosen) and a PIN of 4 to 8 digits that
    leaves it (choose_profile). From a kids profile (`by`) no profile can be added."""
    if by is not None and by.is_kids:
        raise PermissionDenied(_("A kids profile cannot add profiles."))
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(_("A profile needs a name of at most 60 characters."))
    if is_kids and max_age is None:
        max_age = KIDS_DEFAULT_MAX_AGE
    if max_age is not None and not 0 <= int(max_age) <= 18:
        raise InvalidInput(_("The maximum age rating is between 0 and 18."))
    pin = (pin or "").strip()
    if is_kids and not (pin.isascii() and pin.isdigit() and PIN_DIGITS[0] <= len(pin) <= PIN_DIGITS[1]):
        raise InvalidInput(
            _("A kids profile needs a PIN of 4 to 8 digits: it is asked for to leave the profile."), details={"pin": "required"}
        )
    with transaction.atomic():
        profile = Profile.objects.create(
            viewer=viewer, name=name, is_kids=is_kids, max_age=max_age, pin=make_password(pin) if is_kids else ""
        )
        record("cinema.profile_created", actor=viewer.user, organisation=viewer.platform.organisation_id, obj=profile, kids=is_kids)
    return profile


def choose_profile(viewer: Viewer, current: Profile | None, chosen: Profile, *, pin: str = "", ip: str | None = None) -> Profile:
    """Switch profiles. Leaving a kids profile needs its PIN; wrong PINs are bounded per address and
    profile (parties.throttle.PIN), so four digits cannot be tried through."""
    if chosen.viewer_id != viewer.pk:
        raise NotFound(_("No such profile."))
    if current is None or not current.is_kids or current.pk == chosen.pk:
        return chosen
    key = f"{ip or '-'}:{current.pk}"
    wait = throttle.locked_for(throttle.PIN, key)
    if wait:
        raise TooManyAttempts(_("Too many wrong PINs. Try again in %(seconds)s seconds.") % {"seconds": wait}, retry_after=wait)
    if not current.pin or not check_password((pin or "").strip(), current.pin):
        throttle.note_failure(throttle.PIN, key)
        raise PermissionDenied(_("Enter the kids profile's PIN to leave it."), details={"pin": "wrong"})
    return chosen


def confirm_price(platform: Platform, media: str, amount, currency: str) -> None:
    """The charge the viewer confirmed must be the price now: a price changed between the
    confirmation and the charge is refused (409, with the new price), never charged unseen."""
    cost = prices.price(platform, media)
    try:
        confirmed = money.Money.of(amount, currency).rounded
    except InvalidInput:
        raise InvalidInput(_("Confirm the price shown before paying."), details={"price": "required"}) from None
    if confirmed != cost:
        raise Conflict(
            _("The price is now %(price)s: confirm it to pay.") % {"price": money.format_money(cost.amount, cost.currency)},
            details=[{"field": "price", "price": str(cost.amount), "currency": cost.currency}],
        )


def subscribe(viewer: Viewer, confirmed: tuple | None = None) -> Subscription:
    """Charge one period and extend the subscription from its end (or from now if lapsed).
    `confirmed` (amount, currency): the price the viewer confirmed (confirm_price); pages and the API always pass it."""
    if confirmed is not None:
        confirm_price(viewer.platform, "svod", *confirmed)
    charge = _charge(viewer, "svod", f"{viewer.platform.name}: {SUBSCRIPTION_DAYS} days")
    now = timezone.now()
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(viewer=viewer).first()
        start = max(now, sub.active_until) if sub else now
        until = start + timedelta(days=SUBSCRIPTION_DAYS)
        sub, _created = Subscription.objects.update_or_create(
            viewer=viewer, defaults={"active_until": until, "provider": charge.provider, "reference": charge.reference}
        )
        _receipt(viewer, charge, RevenueKind.SUBSCRIPTION, "svod", viewer.country, now)
        record(
            "cinema.subscribed",
            actor=viewer.user,
            organisation=viewer.platform.organisation_id,
            obj=sub,
            until=until.isoformat(),
            reference=charge.reference,
        )
    return sub


def rent(viewer: Viewer, viewing: storefront.Viewing, work_id: int, media: str = "tvod", confirmed: tuple | None = None) -> Rental:
    """Rent a title the viewer can see, under a rental right the platform holds for it here: TVOD
    (RENTAL_HOURS) or PVOD, the premium rental (PVOD_HOURS), at the platform's price; the hours
    count from the first play. `work_id` is the title as listed (a series rents its episodes)."""
    if media not in playback.RENTAL_MEDIA:
        raise InvalidInput(_("This title cannot be rented here."))
    found = _offered(viewer, viewing, work_id, media, _("This title cannot be rented here."))
    if confirmed is not None:
        confirm_price(viewer.platform, media, *confirmed)
    charge = _charge(viewer, media, f"{viewer.platform.name}: {media} rental of work {work_id}")
    now = timezone.now()
    hours = PVOD_HOURS if media == "pvod" else RENTAL_HOURS
    with transaction.atomic():
        rental = Rental.objects.create(
            viewer=viewer,
            work_id=work_id,
            media=media,
            paid_at=now,
            start_by=now + RENTAL_START_WITHIN,
            hours=hours,
            provider=charge.provider,
            reference=charge.reference,
        )
        _receipt(viewer, charge, RevenueKind.RENTAL, media, viewing.territory, now, work_id=work_id, found=found)
        record(
            "cinema.rented",
            actor=viewer.user,
            organisation=viewer.platform.organisation_id,
            obj=rental,
            work=work_id,
            media=media,
            top=found.top_id,
            reference=charge.reference,
        )
    return rental


def buy(viewer: Viewer, viewing: storefront.Viewing, work_id: int, confirmed: tuple | None = None) -> Purchase:
    """Buy a title to own (EST) at the platform's price. It plays for as long as the platform holds the EST
    right for it in the viewer's territory (playback.entitlement): ownership never overrides a
    lapsed licence. `work_id` is the title as listed (a series is bought with its episodes)."""
    found = _offered(viewer, viewing, work_id, "est", _("This title cannot be bought here."))
    if confirmed is not None:
        confirm_price(viewer.platform, "est", *confirmed)
    cost = prices.price(viewer.platform, "est")
    charge = _charge(viewer, "est", f"{viewer.platform.name}: purchase of work {work_id}")
    now = timezone.now()
    try:
        with transaction.atomic():
            purchase = Purchase.objects.create(
                viewer=viewer,
                work_id=work_id,
                paid_at=now,
                amount=cost.amount,
                currency=cost.currency,
                provider=charge.provider,
                reference=charge.reference,
            )
            _receipt(viewer, charge, RevenueKind.PURCHASE, "est", viewing.territory, now, work_id=work_id, found=found)
            record(
                "cinema.bought",
                actor=viewer.user,
                organisation=viewer.platform.organisation_id,
                obj=purchase,
                work=work_id,
                amount=str(cost.amount),
                currency=cost.currency,
                reference=charge.reference,
            )
    except IntegrityError:  # a second tab bought it at the same moment: one purchase stands
        raise Conflict(_("You already own this title.")) from None
    return purchase


def _offered(viewer: Viewer, viewing: storefront.Viewing, work_id: int, media: str, not_sold: str) -> storefront.Playable:
    """The title, if the viewer sees it, the platform sells it under `media` here and the viewer may
    still acquire it that way (playback.offers: the same answer the title page shows)."""
    found = playback.title_playable(viewing, work_id)
    if found is None:
        raise NotFound(_("This title is not available."))
    if media not in found.media:
        raise InvalidInput(not_sold)
    if media not in playback.offers(viewer, found):
        if media == "est" and Purchase.objects.filter(viewer=viewer, work_id__in={found.work_id, found.top_id}).exists():
            raise Conflict(_("You already own this title."))
        raise Conflict(_("You can already watch this title."))
    return found


def _charge(viewer: Viewer, media: str, description: str) -> payments.Charge:
    """Charge the platform's price of `media`; a declined charge raises, so nothing is recorded."""
    cost = prices.price(viewer.platform, media)
    charge = payments.provider().charge(account=viewer.user.email, amount=cost.amount, currency=cost.currency, description=description)
    if not charge.approved:
        raise PermissionDenied(_("The payment was declined: %(reason)s") % {"reason": charge.reason})
    return charge


def _receipt(
    viewer: Viewer,
    charge: payments.Charge,
    kind: str,
    media: str,
    territory: str,
    at,
    *,
    work_id: int | None = None,
    found: storefront.Playable | None = None,
) -> Revenue:
    """The charge as a revenue row (inside the caller's transaction). A rental or purchase names
    the licence the title is sold under in that territory: the listed title's own, else the
    playable's (an episode's series grant is found from the episode too)."""
    platform = viewer.platform
    cost = prices.price(platform, media)
    licence = None
    if work_id is not None:
        day = timezone.localdate(at)
        licence = licensed.licence_of(platform.organisation_id, work_id, territory, media, day)
        if licence is None and found is not None:
            licence = licensed.licence_of(platform.organisation_id, found.work_id, territory, media, day)
    contract_id, term_id = licence or (None, None)
    return Revenue.objects.create(
        platform=platform,
        organisation_id=platform.organisation_id,
        viewer=viewer,
        kind=kind,
        media=media,
        work_id=work_id,
        contract_id=contract_id,
        term_id=term_id,
        territory=territory,
        amount=cost.amount,
        currency=cost.currency,
        at=at,
        provider=charge.provider,
        reference=charge.reference,
    )


def active_rental(viewer: Viewer, work_id: int, now=None) -> Rental | None:
    """A rental of this work not yet started (and still startable) or started and not expired."""
    return next(iter(playback.active_rentals(viewer, [work_id], now)), None)
