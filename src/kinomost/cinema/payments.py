"""Payment providers: the interface a real acquirer plugs into, and the test provider.

Services call `provider().charge(...)` and keep only the provider's name and reference; card
data never reaches Kinomost. `KINOMOST_PAYMENT_PROVIDER` (a dotted path) picks the provider;
the default is the test provider, which approves every charge except amounts ending in .13
(so a refusal can be tried on the demo, and tests set a price such as 9.13 to be declined).
A declined charge carries a reason in words; the services then raise and record nothing.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Charge:
    approved: bool
    reference: str
    provider: str
    reason: str = ""


class PaymentProvider:
    name = "abstract"

    def charge(self, *, account: str, amount: Decimal, currency: str, description: str) -> Charge:
        raise NotImplementedError


class TestProvider(PaymentProvider):
    name = "test"

    def charge(self, *, account: str, amount: Decimal, currency: str, description: str) -> Charge:
        if Decimal(amount) % 1 == Decimal("0.13"):
            return Charge(False, "", self.name, _("declined by the test provider"))
        return Charge(True, f"test-{uuid.uuid4().hex[:16]}", self.name)


def provider() -> PaymentProvider:
    """The configured provider: the setting CINEMA_PAYMENT_PROVIDER, else the environment's
    KINOMOST_PAYMENT_PROVIDER (as documented above), else the test provider."""
    path = (
        getattr(settings, "CINEMA_PAYMENT_PROVIDER", "")
        or os.environ.get("KINOMOST_PAYMENT_PROVIDER", "")
        or "kinomost.cinema.payments.TestProvider"
    )
    return import_string(path)()
