"""Reads of an organisation's inbox: its notifications, which this member has read, and each
notice's text in the reader's language."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kinomost.exchange.models import ApprovalStatus, Notification, NotificationKind


def inbox(actor, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(organisation_id=actor.organisation_id).select_related("deal", "approval__work")
    if unread_only and actor.user is not None:
        qs = qs.exclude(read_by=actor.user)
    return qs


def inbox_page(actor, *, unread_only: bool = False, limit: int = 200) -> list[tuple[Notification, bool]]:
    """The latest notices with whether this member has read each (two queries)."""
    notices = list(inbox(actor, unread_only=unread_only)[:limit])
    read = set()
    if actor.user is not None and notices:
        through = Notification.read_by.through
        read = set(
            through.objects.filter(user_id=actor.user.pk, notification_id__in=[n.pk for n in notices]).values_list(
                "notification_id", flat=True
            )
        )
    return [(n, n.pk in read) for n in notices]


def _quota_text(finding: dict) -> str:
    from kinomost.exchange.summary import quota_sentence  # the one wording of a quota finding

    return quota_sentence(finding)


_TEXTS = {
    NotificationKind.OFFER_RECEIVED: lambda d: _("Offer received: %(deal)s") % d,
    NotificationKind.COUNTER_PROPOSAL: lambda d: _("Counter-proposal on %(deal)s") % d,
    NotificationKind.ACCEPTED: lambda d: _("%(deal)s was accepted") % d,
    NotificationKind.REJECTED: lambda d: _("%(deal)s was rejected") % d,
    NotificationKind.WITHDRAWN: lambda d: _("%(deal)s was withdrawn") % d,
    NotificationKind.SIGNED: lambda d: _("%(deal)s was signed") % d,
    NotificationKind.ACTIVATED: lambda d: _("%(deal)s is active") % d,
    NotificationKind.TERMINATED: lambda d: _("%(deal)s was terminated on %(on)s") % d,
    NotificationKind.MESSAGE: lambda d: _("New message on %(deal)s") % d,
    NotificationKind.OFFER_EXPIRING: lambda d: _("The offer %(deal)s expires on %(on)s") % d,
    NotificationKind.WINDOW_EXPIRING: lambda d: _("The windows of %(deal)s end on %(on)s") % d,
    NotificationKind.APPROVAL_CHANGED: lambda d: _("Approval for %(work)s in %(territory)s is now %(status)s") % d,
    NotificationKind.QUOTA_NEAR_LIMIT: lambda d: _quota_text(d),
}


def _in_reader_words(n: Notification, data: dict) -> dict:
    """The codes a notice stores (CN, granted, the work's reference, a shipped quota's name) as
    the reader says them."""
    from kinomost.catalog.selectors import display_title
    from kinomost.core.languages import from_interface_code
    from kinomost.core.territories import territory_name

    words = {}
    if data.get("territory"):
        words["territory"] = territory_name(data["territory"])
    if data.get("status") in ApprovalStatus.values:
        words["status"] = str(ApprovalStatus(data["status"]).label).lower()
    if data.get("name"):
        words["name"] = _quota_name(data.get("rule"), data["name"])
    if n.approval_id and data.get("work"):
        words["work"] = display_title(n.approval.work, from_interface_code(get_language() or "en"))
    return words


def _quota_name(rule_id, stored: str) -> str:
    """A quota notice keeps the rule's id and the name as it was written: the reader reads the
    rule's name in their language (exchange.selectors.quota_rule_name), the stored one translated
    by the .po files when the rule is gone."""
    from kinomost.exchange.models import QuotaRule
    from kinomost.exchange.selectors import quota_rule_name

    rule = QuotaRule.objects.filter(pk=rule_id).first() if isinstance(rule_id, int) else None
    return quota_rule_name(rule) if rule is not None else _(stored)


def notification_text(n: Notification) -> str:
    data = {
        "deal": n.data.get("deal_name") or (n.deal.name if n.deal_id else ""),
        "on": "",
        "work": "",
        "territory": "",
        "status": "",
        "name": "",
        "after": "",
        "limit": "",
        **n.data,
    }
    data["deal"] = data.get("deal_name") or data["deal"]
    data.update(_in_reader_words(n, data))
    try:
        return _TEXTS[n.kind](data)
    except (KeyError, ValueError, TypeError):
        return n.get_kind_display()
