"""The audit log: services call `record` inside their transaction, so an action and its trace
are committed (or rolled back) together."""

from __future__ import annotations

from kinomost.core.models import AuditEvent


def record(action: str, *, actor=None, organisation=None, obj=None, **data) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation_id=getattr(organisation, "pk", organisation),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
