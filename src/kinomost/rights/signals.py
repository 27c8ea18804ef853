"""What the ledger tells other apps, inside the transaction that changed it.

The ledger imports nobody downstream: an app that keeps something derived from it (the online
cinema's visibility set) subscribes here, and its receiver runs in the ledger's transaction, so
the derived data can never be seen out of step with the ledger.
"""

from django.dispatch import Signal

# Sent after a holding, grant, holdback or termination is written (before commit).
# kwargs: organisations (set of organisation ids whose position changed: holder, licensee),
#         works (set of work ids the atoms are on; a series' seasons and episodes are implied).
ledger_changed = Signal()
