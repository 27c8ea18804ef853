"""The exchange's choices: offer and deal states, approval kinds and statuses, quota measures, notification kinds.

They live apart from the models so that pages and other apps name a state or a kind without
importing the tables (the import-linter contracts in pyproject.toml): the models import them
from here, and so does everyone else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class DealState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    COUNTERED = "countered", _("Countered")
    AGREED = "agreed", _("Agreed")
    COUNTERSIGNED = "countersigned", _("Countersigned by the licensee")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    TERMINATED = "terminated", _("Terminated")


SIGNED_STATES = frozenset({DealState.SIGNED, DealState.ACTIVE, DealState.EXPIRED, DealState.TERMINATED})
OPEN_STATES = frozenset({DealState.DRAFT, DealState.PROPOSED, DealState.COUNTERED, DealState.AGREED, DealState.COUNTERSIGNED})


class ApprovalKind(models.TextChoices):
    CN_SCREENING_PERMIT = "cn_screening_permit", _("China: public screening permit")
    CN_ONLINE_REGISTRATION = "cn_online_registration", _("China: online distribution registration")
    RU_DISTRIBUTION_CERTIFICATE = "ru_distribution_certificate", _("Russia: distribution certificate")
    OTHER = "other", _("Other permit")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class QuotaMeasure(models.TextChoices):
    COUNT = "count", _("Works per period")
    SHARE = "share", _("Share of the platform's catalogue (%)")


class QuotaScope(models.TextChoices):
    ALL = "all", _("All works")
    FOREIGN = "foreign", _("Foreign works")
    REVENUE_SHARE_FOREIGN = "revenue_share_foreign", _("Foreign works on revenue share")


class NotificationKind(models.TextChoices):
    OFFER_RECEIVED = "offer_received", _("Offer received")
    COUNTER_PROPOSAL = "counter_proposal", _("Counter-proposal")
    ACCEPTED = "accepted", _("Proposal accepted")
    REJECTED = "rejected", _("Proposal rejected")
    WITHDRAWN = "withdrawn", _("Proposal withdrawn")
    COUNTERSIGNED = "countersigned", _("Countersigned: the deal awaits your signature")
    SIGNED = "signed", _("Deal signed")
    ACTIVATED = "activated", _("Deal active")
    TERMINATED = "terminated", _("Deal terminated")
    MESSAGE = "message", _("New message")
    OFFER_EXPIRING = "offer_expiring", _("Offer expiring")
    WINDOW_EXPIRING = "window_expiring", _("Window expiring")
    APPROVAL_CHANGED = "approval_changed", _("Approval changed")
    QUOTA_NEAR_LIMIT = "quota_near_limit", _("Quota near its limit")
