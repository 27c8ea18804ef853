"""Who is asking: the user (or API key), the organisation they act for, and their role.

Every selector and service that touches private data takes an Actor; pages and APIs build it
once from the request (session membership or API key).
"""

from __future__ import annotations

from dataclasses import dataclass

from kinomost.core.errors import PermissionDenied
from kinomost.parties.models import Organisation
from kinomost.parties.roles import can


@dataclass(frozen=True)
class Actor:
    organisation: Organisation
    role: str
    user: object | None = None  # the User, or None for an API key
    api_key_id: int | None = None

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    def require(self, permission: frozenset, what: str = "do this") -> None:
        if not can(self.role, permission):
            from django.utils.translation import gettext as _

            from kinomost.parties.models import Role

            role = Role(self.role).label if self.role in Role.values else self.role
            raise PermissionDenied(
                _("Your role (%(role)s) in %(organisation)s may not %(what)s.")
                % {"role": role, "organisation": self.organisation.name, "what": _(what).rstrip(".")}
            )
