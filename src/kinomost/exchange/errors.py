"""The exchange's refusals: each is a core domain error (so the API maps it once) with its own
machine-readable code that a client can branch on."""

from kinomost.core.errors import Conflict, PermissionDenied


class StepRefused(Conflict):
    """The deal is not in a state where this step exists."""

    code = "step_refused"


class NotYourStep(PermissionDenied):
    """The step exists, but it belongs to the other party (or needs another role)."""

    code = "not_your_step"


class SigningRefused(Conflict):
    """Some work is no longer available: `details` lists every conflict (ledger shape)."""

    code = "rights_conflict"


class QuotaExceeded(Conflict):
    """Signing would break a hard quota: `details` gives the rule, used, adding and limit."""

    code = "quota_exceeded"


class ApprovalsMissing(Conflict):
    """A grant may not become active without its approvals: `details` lists each missing one."""

    code = "approvals_missing"


class ConfirmationNeeded(Conflict):
    """A signature is asked for without its confirmation: `details` states what it will do (for
    signing, what the ledger will be written: grants per term, territories, media, window)."""

    code = "confirmation_needed"
