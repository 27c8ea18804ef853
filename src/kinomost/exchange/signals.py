"""What the exchange tells other apps, inside the transaction that changed it (see
rights.signals for why: derived data such as the cinema's visibility set stays in step)."""

from django.dispatch import Signal

# An approval was recorded or its status changed. kwargs: works (ids; a season's or series'
# approval covers its episodes), territory (ISO country code).
approvals_changed = Signal()

# A regulator's rule was defined or changed: every work in the territory may be affected.
# kwargs: territory.
approval_rules_changed = Signal()
