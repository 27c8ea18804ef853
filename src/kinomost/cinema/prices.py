"""A platform's prices: set by its operator, in the platform's own currency (a Russian platform
sells in RUB) — the one owner of what a subscription period, a rental or a purchase costs.

`price(platform, media)` is what viewers.subscribe/rent/buy charge and what the title page
shows; `set_prices` is the operator's action. A new platform opens with OPENING_PRICES (the
prices the cinema always charged) in EUR until its operator sets its own."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kinomost.cinema.models import Platform
from kinomost.core import money
from kinomost.core.audit import record
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.core.money import Money
from kinomost.parties.roles import OPERATE_PLATFORM

PRICED_MEDIA = ("svod", "tvod", "pvod", "est")  # svod: one subscription period
OPENING_PRICES = {"svod": "4.99", "tvod": "2.99", "pvod": "12.99", "est": "9.99"}


def price(platform: Platform, media: str) -> Money:
    """The price of one acquisition under `media` on this platform, rounded to its currency."""
    if media not in PRICED_MEDIA:
        raise InvalidInput(_("This title cannot be bought here."))
    stored = (platform.prices or {}).get(media, OPENING_PRICES[media])
    return Money.of(stored, platform.currency).rounded


def set_prices(actor, platform: Platform, *, currency: str, prices: dict) -> Platform:
    """The operator sets the platform's currency and prices (every priced media at once)."""
    actor.require(OPERATE_PLATFORM, _("run a platform"))
    if platform.organisation_id != actor.organisation_id:
        raise NotFound(_("No such platform."))
    code = money.currency(currency)
    problems, cleaned = {}, {}
    for media in PRICED_MEDIA:
        try:
            value = money.round_to(money.amount(prices.get(media, ""), field=media), code)
            if value <= 0:
                raise InvalidInput(_("a price is above zero"))
            cleaned[media] = str(value)
        except InvalidInput as exc:
            problems[media] = exc.message
    if problems:
        raise InvalidInput(_("The prices are not valid: %(problems)s") % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())},
                           details=problems)
    with transaction.atomic():
        Platform.objects.filter(pk=platform.pk).update(currency=code, prices=cleaned)
        platform.currency, platform.prices = code, cleaned
        record("cinema.prices_set", actor=actor.user, organisation=actor.organisation, obj=platform, currency=code, **cleaned)
    return platform
