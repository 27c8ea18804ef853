"""The inbox: services of the exchange call `notify` inside their own transaction, so a step
and its notice are committed together. Texts are rendered when read (`exchange.inbox`), in the
reader's language."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kinomost.core.errors import NotFound
from kinomost.exchange.models import Notification


def notify(organisation, kind: str, *, deal=None, approval=None, key: str = "", **data) -> Notification | None:
    """Add a notice to an organisation's inbox. With a `key`, a second notice with the same key is
    not added (reminders run every day)."""
    org_id = getattr(organisation, "pk", organisation)
    if key and Notification.objects.filter(organisation_id=org_id, kind=kind, key=key).exists():
        return None
    return Notification.objects.create(organisation_id=org_id, kind=kind, deal=deal, approval=approval, key=key, data=data)


def mark_read(actor, notification_ids: list[int]) -> int:
    """A member marks notices read for themselves; other members still see them unread."""
    if actor.user is None:
        return 0
    with transaction.atomic():
        found = list(Notification.objects.filter(organisation_id=actor.organisation_id, pk__in=notification_ids))
        if len(found) != len(set(notification_ids)):
            raise NotFound(_("No such notification."))
        for n in found:
            n.read_by.add(actor.user)
    return len(found)
