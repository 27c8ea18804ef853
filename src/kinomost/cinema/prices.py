"""A platform's prices: set by its operator, in the platform's own currency (a Russian platform
sells in RUB) — the one owner of what a subscription period, a rental or a purchase costs.

`price(platform, media)` is what viewers.subscribe/rent/buy charge and what the title page
shows; `set_prices` is the operator's action. A new platform opens with OPENING_PRICES in EUR
until its operator sets its own.

A premium rental (PVOD) is never dearer than buying to own (EST), unless the operator says so
(`Platform.pvod_above_est`): `set_prices` refuses such prices, and `price` holds a PVOD price
stored before the rule at the EST price, so what is shown and charged keep to it."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kinomost.cinema.models import Platform
from kinomost.core import money
from kinomost.core.audit import record
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.core.money import Money
from kinomost.parties.roles import OPERATE_PLATFORM

PRICED_MEDIA = ("svod", "tvod", "pvod", "est")  # svod: one subscription period
OPENING_PRICES = {"svod": "4.99", "tvod": "2.99", "pvod": "12.99", "est": "14.99"}


def price(platform: Platform, media: str) -> Money:
    """The price of one acquisition under `media` on this platform, rounded to its currency."""
    if media not in PRICED_MEDIA:
        raise InvalidInput(_("This title cannot be bought here."))
    stored = (platform.prices or {}).get(media, OPENING_PRICES[media])
    cost = Money.of(stored, platform.currency).rounded
    if media == "pvod" and not platform.pvod_above_est:
        est = price(platform, "est")
        if est.amount < cost.amount:
            return est
    return cost


def set_prices(actor, platform: Platform, *, currency: str, prices: dict, pvod_above_est: bool | None = None) -> Platform:
    """The operator sets the platform's currency and prices (every priced media at once), and
    whether a premium rental may cost more than buying (None: as it was)."""
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
    allow_dearer = platform.pvod_above_est if pvod_above_est is None else bool(pvod_above_est)
    if not problems and not allow_dearer and Decimal(cleaned["pvod"]) > Decimal(cleaned["est"]):
        problems["pvod"] = _("a premium rental costs at most what buying to own costs (%(est)s), unless you allow it") % {
            "est": cleaned["est"]
        }
    if problems:
        raise InvalidInput(
            _("The prices are not valid: %(problems)s") % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())},
            details=problems,
        )
    with transaction.atomic():
        Platform.objects.filter(pk=platform.pk).update(currency=code, prices=cleaned, pvod_above_est=allow_dearer)
        platform.currency, platform.prices, platform.pvod_above_est = code, cleaned, allow_dearer
        record(
            "cinema.prices_set",
            actor=actor.user,
            organisation=actor.organisation,
            obj=platform,
            currency=code,
            pvod_above_est=allow_dearer,
            **cleaned,
        )
    return platform
