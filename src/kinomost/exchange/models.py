"""The exchange: offers (packages), deals with every proposal kept, approvals, quotas, inbox.

A proposal — works, terms, money — is one shape wherever it appears: an offer's package and every
version of a deal share it (`ProposalFields`). Versions are written once and never updated, so the
history of a negotiation is exactly what each party saw. Signed deals point to the ledger's
`Contract`s (the ledger never points back: it only stores `external_ref = "exchange.deal:<id>"`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.models import Work
from kinomost.parties.models import Organisation
from kinomost.rights.models import Contract

# The choices live in choices.py (pages name them without the tables); the app's own modules
# still import them from here too.
from kinomost.exchange.choices import (
    OPEN_STATES as OPEN_STATES,
    SIGNED_STATES as SIGNED_STATES,
    ApprovalKind,
    ApprovalStatus,
    DealState,
    NotificationKind,
    OfferStatus,
    QuotaMeasure,
    QuotaScope,
)


class ProposalFields(models.Model):
    """Terms and money as proposed. `terms` is a list of
    {territories, territories_excluded, media, start, end, exclusive, sublicensable, languages}
    in the ledger's own wording; money is Decimal in one ISO 4217 currency."""

    terms = models.JSONField(_("terms"), default=list)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    fee_per_work = models.DecimalField(_("fee per work"), max_digits=16, decimal_places=2, default=Decimal("0"))
    flat_fee = models.DecimalField(_("flat fee for the package"), max_digits=16, decimal_places=2, default=Decimal("0"))
    revenue_share = models.DecimalField(_("revenue share (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    minimum_guarantee = models.DecimalField(_("minimum guarantee"), max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        abstract = True


class Offer(ProposalFields):
    """A package built by one organisation from its catalogue, sent to one or more others.
    Sending opens one deal per receiver; the offer itself stays as it was sent."""

    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers_sent")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    saved_filter = models.JSONField(_("saved filter"), default=dict, blank=True)
    works = models.ManyToManyField(Work, through="OfferItem", related_name="+")
    recipients = models.ManyToManyField(Organisation, blank=True, related_name="offers_received")
    status = models.CharField(_("status"), max_length=8, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class OfferItem(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["offer", "work"], name="exchange_offer_item_once")]


class Deal(models.Model):
    """A negotiation between a licensor (grants the rights) and a licensee, and — once signed —
    the contract in force. `initiator` drafted it; the author of the latest version waits for
    the other party (see `deals.TRANSITIONS`)."""

    licensor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deals_as_licensor")
    licensee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deals_as_licensee")
    initiator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="deals")
    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=DealState.choices, default=DealState.DRAFT, db_index=True)
    expires_on = models.DateField(_("offer expires on"), null=True, blank=True)
    countersigned_on = models.DateField(_("countersigned on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    closed_reason = models.CharField(max_length=40, blank=True, help_text="why a deal was cancelled: rejected, withdrawn, expired…")
    contracts = models.ManyToManyField(Contract, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["licensor", "state"]), models.Index(fields=["licensee", "state"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"KM-DEAL-{self.pk}"

    @staticmethod
    def visible_to(organisation_id: int) -> Q:
        """The one rule of who sees a deal: its two parties, and a draft only the party drafting
        it (the other party meets the deal when it is proposed)."""
        parties = Q(licensor_id=organisation_id) | Q(licensee_id=organisation_id)
        return parties & (~Q(state=DealState.DRAFT) | Q(initiator_id=organisation_id))

    def party_of(self, organisation_id: int) -> str | None:
        if organisation_id == self.licensor_id:
            return "licensor"
        if organisation_id == self.licensee_id:
            return "licensee"
        return None

    def other_party_id(self, organisation_id: int) -> int:
        return self.licensee_id if organisation_id == self.licensor_id else self.licensor_id


class DealVersion(ProposalFields):
    """One proposal or counter-proposal, immutable once written."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    works = models.ManyToManyField(Work, through="DealVersionWork", related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deal", "number"]
        constraints = [models.UniqueConstraint(fields=["deal", "number"], name="exchange_version_number_once")]


class DealVersionWork(models.Model):
    version = models.ForeignKey(DealVersion, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "work"], name="exchange_version_work_once")]


class DealMessage(models.Model):
    """The thread beside the versions."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Approval(models.Model):
    """A regulator's permit for a work in a territory, recorded by the organisation that holds it
    (the work's owner or a party with rights there). `platform` names the platform a per-platform
    registration is for."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="approvals")
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="approvals")
    territory = models.CharField(_("territory"), max_length=2)
    kind = models.CharField(_("kind"), max_length=32, choices=ApprovalKind.choices)
    platform = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    permitted_use = models.CharField(_("permitted use"), max_length=200, blank=True)
    age_category = models.CharField(_("age category"), max_length=8, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["territory", "kind", "id"]
        indexes = [models.Index(fields=["work", "territory", "kind", "status"], name="exchange_approval_lookup")]


class ApprovalRule(models.Model):
    """Which approval a grant in (territory, media) needs before it is active or shown."""

    territory = models.CharField(_("territory"), max_length=2)
    media = models.CharField(_("media"), max_length=24, help_text="a media group or leaf")
    kind = models.CharField(_("approval"), max_length=32, choices=ApprovalKind.choices)
    per_platform = models.BooleanField(_("one per platform"), default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["territory", "media", "kind"]
        constraints = [models.UniqueConstraint(fields=["territory", "media", "kind"], name="exchange_approval_rule_once")]


class QuotaRule(models.Model):
    """'China, theatrical: at most 34 revenue-sharing foreign films per calendar year' (count) or
    'China, online: foreign titles at most 30% of the platform's catalogue' (share, per licensee)."""

    name = models.CharField(_("name"), max_length=200)
    # The name per language, as organisations' (exchange.selectors.quota_rule_name).
    names = models.JSONField(_("names by language"), default=dict, blank=True, help_text='{"ru": "…", "zh-Hans": "…", "en": "…"}')
    territory = models.CharField(_("territory"), max_length=2)
    media = models.CharField(_("media"), max_length=24)
    measure = models.CharField(_("measure"), max_length=8, choices=QuotaMeasure.choices)
    scope = models.CharField(_("counts"), max_length=24, choices=QuotaScope.choices, default=QuotaScope.FOREIGN)
    limit = models.DecimalField(_("limit"), max_digits=8, decimal_places=2)
    hard = models.BooleanField(_("hard (refuses)"), default=True)
    period = models.CharField(_("period"), max_length=8, default="year", help_text="calendar year")

    class Meta:
        ordering = ["territory", "media", "id"]


class Notification(models.Model):
    """One line in an organisation's inbox; every member sees it and marks it read for
    themselves. `key` makes reminders idempotent (one 'offer expiring' per deal)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exchange_notifications")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    deal = models.ForeignKey(Deal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    approval = models.ForeignKey(Approval, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=120, blank=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="exchange_inbox")]
