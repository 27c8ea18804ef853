"""What the catalogue tells other apps, inside the transaction that changed it (see
rights.signals for why)."""

from django.dispatch import Signal

# A work's age ratings or its place in a family (its parent) changed. kwargs: works (ids; the
# seasons and episodes of a changed series inherit its ratings).
works_changed = Signal()
