"""Reads of the ledger that other apps ask and that are neither "licensed" (`rights.licensed`) nor
availability (`rights.availability`, which also answers "what the organisation holds":
`holdings_of`): the exchange and the cinema never import `rights.models` (the import-linter
contract "rights.models are read through rights' selectors")."""

from __future__ import annotations

from django.db.models import Q

from kinomost.rights.models import RightAtom


def has_position(organisation, work_ids, territory: str) -> bool:
    """Whether the organisation holds, grants or received anything on any of these works in the
    territory (any window): who has an interest in a work's regulator approvals there."""
    org = getattr(organisation, "pk", organisation)
    atoms = RightAtom.objects.filter(work_id__in=list(work_ids), territory=territory)
    return atoms.filter(Q(holder_id=org) | Q(licensee_id=org)).exists()
