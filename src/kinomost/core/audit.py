"""The audit log: services call `record` inside their transaction, so an action and its trace
are committed (or rolled back) together.

`actor` is whoever acted: the services' Actor (a member acting for an organisation, or an
organisation's API key), or a bare User where there is no organisation context (a viewer, a
command-line operator). Pass the Actor itself, not `actor.user`: an API key has no user, and
only the Actor carries which key it was.
"""

from __future__ import annotations

from kinomost.core.models import AuditEvent


def record(action: str, *, actor=None, organisation=None, obj=None, **data) -> AuditEvent:
    api_key_id = getattr(actor, "api_key_id", None)
    if hasattr(actor, "api_key_id"):  # an Actor: its person (None for a key) and organisation
        organisation = organisation if organisation is not None else actor.organisation
        actor = actor.user
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        organisation_id=getattr(organisation, "pk", organisation),
        api_key_id=api_key_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
