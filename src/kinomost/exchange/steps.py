"""One way in for a deal's steps, whoever asks (the studio's buttons, the API): a step's name and
what the person typed → the service in `deals` that takes it. A signature (the licensee's
countersignature, the licensor's signature that writes the ledger) is taken only once confirmed:
unconfirmed, it is refused with what it would write, for the page or the client to show. The pages and the API used to keep a
table each, and they drifted (the studio knew no `counter`, the API checked visibility only for
unknown names); now both call `take_step`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from kinomost.core.errors import InvalidInput
from kinomost.exchange import deals, proposals, summary
from kinomost.exchange.errors import ConfirmationNeeded


@dataclass(frozen=True)
class StepInput:
    """Everything any step may need; each step reads only its own fields."""

    proposal: proposals.ProposalInput | None = None  # counter: the new version
    works: list | None = None  # accept: a selection of the latest version's works (None: all)
    note: str = ""  # counter: a note for the other party
    reason: str = ""  # reject, call_off, terminate: said in the thread
    on_date: date | str | None = None  # countersign, sign, activate, terminate
    confirmed: bool = False  # countersign, sign: the person saw what the signature does and confirmed it


def _need_proposal(data: StepInput) -> proposals.ProposalInput:
    if data.proposal is None:
        raise InvalidInput(_("A counter-proposal needs a proposal."), details={"proposal": "required"})
    return data.proposal


_CALLS = {
    "propose": lambda actor, pk, d: deals.propose(actor, pk),
    "counter": lambda actor, pk, d: deals.counter(actor, pk, _need_proposal(d), note=d.note),
    "accept": lambda actor, pk, d: deals.accept(actor, pk, works=d.works),
    "reject": lambda actor, pk, d: deals.reject(actor, pk, reason=d.reason),
    "withdraw": lambda actor, pk, d: deals.withdraw(actor, pk),
    "call_off": lambda actor, pk, d: deals.call_off(actor, pk, reason=d.reason),
    "countersign": lambda actor, pk, d: deals.countersign(actor, pk, on_date=d.on_date),
    "sign": lambda actor, pk, d: deals.sign(actor, pk, on_date=d.on_date),
    "activate": lambda actor, pk, d: deals.activate(actor, pk, on_date=d.on_date),
    "terminate": lambda actor, pk, d: deals.terminate(actor, pk, on_date=d.on_date, reason=d.reason),
}
STEPS = tuple(_CALLS)
SIGNATURES = ("countersign", "sign")  # the steps a person confirms after reading what they do


def take_step(actor, deal_id: int, step: str, data: StepInput | None = None):
    """Take `step` on the deal for the actor: the deal (or `SignResult` with quota warnings for a
    signature). A deal the actor may not see is NotFound before anything else is said about the
    request — not even that its step or its input is wrong."""
    deal = deals.deal_for(actor, deal_id)
    call = _CALLS.get(step)
    if call is None:
        raise InvalidInput(_("Unknown step."), details=[{"step": step, "steps": sorted(_CALLS)}])
    data = data or StepInput()
    if step in SIGNATURES and not data.confirmed and step in deals.steps_for(actor, deal):
        raise ConfirmationNeeded(confirmation_text(deal, step), details=summary.signing_preview(deal))
    return call(actor, deal_id, data)


def confirmation_text(deal, step: str) -> str:
    """What a signature does, as the person confirming it reads it."""
    lines = "; ".join(summary.signing_sentences(deal))
    if step == "countersign":
        return _("Countersign: once the licensor signs, the ledger will write %(lines)s. Confirm to countersign.") % {"lines": lines}
    return _("Signing writes into the rights ledger: %(lines)s. Confirm to sign.") % {"lines": lines}
