"""Deals: the state machine and every step on it. `TRANSITIONS` is the one table that says which
step exists in which state, where it leads, and which party may take it; every step below goes
through `_take`, which checks that table, the role, and records the audit event.

    draft → proposed → countered (any number of rounds) → agreed → countersigned → signed → active → expired
    exits: cancelled (withdrawn, rejected, expired offer, called off), terminated

Both parties sign: the licensee countersigns the agreed version, then the licensor signs, and
signing grants every term through the rights ledger inside one transaction: all grants or none.
Accepting only some of the offered works is a counter-proposal (the package's money was agreed
for the whole package), so the other party answers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinomost.core import audit, periods
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.exchange import clearance, proposals, quotas, selectors
from kinomost.exchange.errors import NotYourStep, SigningRefused, StepRefused
from kinomost.exchange.models import Deal, DealMessage, DealState, DealVersion, DealVersionWork, NotificationKind
from kinomost.exchange.notifications import notify
from kinomost.exchange.permissions import NEGOTIATE
from kinomost.parties.models import Organisation
from kinomost.rights import availability as avail
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput

S = DealState

# who may take a step
INITIATOR = "initiator"  # the party that drafted the deal
AUTHOR = "author"  # the party that wrote the latest version
RESPONDER = "responder"  # the other party: the one the latest version waits for
LICENSOR = "licensor"
LICENSEE = "licensee"
EITHER = "either"
SYSTEM = "system"  # only the daily refresh


@dataclass(frozen=True)
class Step:
    sources: frozenset
    target: str
    who: str


TRANSITIONS: dict[str, Step] = {
    "propose": Step(frozenset({S.DRAFT}), S.PROPOSED, INITIATOR),
    "counter": Step(frozenset({S.PROPOSED, S.COUNTERED}), S.COUNTERED, RESPONDER),
    "accept": Step(frozenset({S.PROPOSED, S.COUNTERED}), S.AGREED, RESPONDER),
    "reject": Step(frozenset({S.PROPOSED, S.COUNTERED}), S.CANCELLED, RESPONDER),
    "withdraw": Step(frozenset({S.DRAFT, S.PROPOSED, S.COUNTERED}), S.CANCELLED, AUTHOR),
    "call_off": Step(frozenset({S.AGREED, S.COUNTERSIGNED}), S.CANCELLED, EITHER),
    "countersign": Step(frozenset({S.AGREED}), S.COUNTERSIGNED, LICENSEE),
    "sign": Step(frozenset({S.COUNTERSIGNED}), S.SIGNED, LICENSOR),
    "activate": Step(frozenset({S.SIGNED}), S.ACTIVE, EITHER),
    "terminate": Step(frozenset({S.SIGNED, S.ACTIVE}), S.TERMINATED, LICENSOR),
    "expire": Step(frozenset({S.SIGNED, S.ACTIVE}), S.EXPIRED, SYSTEM),
    "lapse": Step(frozenset({S.PROPOSED, S.COUNTERED}), S.CANCELLED, SYSTEM),
}


@dataclass
class SignResult:
    deal: Deal
    warnings: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- who may do what


def may_take(org_id: int, deal: Deal, action: str, *, author_id: int | None = None) -> bool:
    """The table's answer for one organisation (role not considered)."""
    step = TRANSITIONS[action]
    if deal.state not in step.sources or deal.party_of(org_id) is None:
        return False
    if step.who in (LICENSOR, LICENSEE):
        return deal.party_of(org_id) == step.who
    if step.who == INITIATOR:
        return org_id == deal.initiator_id
    if step.who in (AUTHOR, RESPONDER):
        author_id = author_id if author_id is not None else _author_id(deal)
        return (org_id == author_id) == (step.who == AUTHOR)
    return step.who == EITHER


def steps_for(actor, deal: Deal) -> list[str]:
    """The steps this actor could take now — what a page shows as buttons."""
    if actor.role not in NEGOTIATE:
        return []
    author_id = _author_id(deal)
    return [a for a in TRANSITIONS if may_take(actor.organisation_id, deal, a, author_id=author_id)]


def _author_id(deal: Deal) -> int:
    version = selectors.latest_version(deal)
    return version.author_id if version else deal.initiator_id


def _check(actor, deal: Deal, action: str) -> Step:
    step = TRANSITIONS[action]
    if deal.party_of(actor.organisation_id) is None:
        raise NotFound(_("No such deal."))
    if deal.state not in step.sources:
        raise StepRefused(
            _("A deal that is %(state)s cannot be %(step)s.") % {"state": deal.get_state_display(), "step": action},
            details=[{"state": deal.state, "step": action, "allowed_from": sorted(step.sources)}],
        )
    actor.require(NEGOTIATE, _("negotiate deals"))
    if step.who == SYSTEM or not may_take(actor.organisation_id, deal, action):
        raise NotYourStep(_("This step belongs to the other party."), details=[{"state": deal.state, "step": action, "who": step.who}])
    return step


def _take(actor, deal: Deal, action: str, *, checked: bool = False, **changes) -> Deal:
    """Check the table (unless the caller just did), move the deal, audit who, when and what
    changed. `actor=None` is the daily refresh taking a SYSTEM step."""
    step = TRANSITIONS[action] if actor is None or checked else _check(actor, deal, action)
    before = deal.state
    deal.state = step.target
    for name, value in changes.items():
        setattr(deal, name, value)
    deal.save()
    audit.record(
        f"exchange.deal.{action}",
        actor=actor,
        obj=deal,
        before=before,
        after=deal.state,
        **{k: _plain(v) for k, v in changes.items()},
    )
    return deal


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


# ---------------------------------------------------------------- reading a deal for a step


def deal_for(actor, deal_id: int, *, lock: bool = False) -> Deal:
    """The deal if the actor's organisation may see it (Deal.visible_to); otherwise NotFound."""
    qs = Deal.objects.select_related("licensor", "licensee")
    if lock:
        qs = qs.select_for_update()
    deal = qs.filter(Deal.visible_to(actor.organisation_id), pk=deal_id).first()
    if deal is None:
        raise NotFound(_("No such deal."))
    return deal


# ---------------------------------------------------------------- drafting and negotiating


def create_deal(
    actor,
    counterparty,
    data: proposals.ProposalInput,
    *,
    as_licensor: bool = True,
    name: str = "",
    expires_on=None,
    message: str = "",
    offer=None,
) -> Deal:
    """A draft between the actor's organisation and a counterparty; the actor may be either side
    (a buyer may draft a request for works in the seller's catalogue)."""
    actor.require(NEGOTIATE, _("negotiate deals"))
    other = counterparty if isinstance(counterparty, Organisation) else Organisation.objects.filter(pk=counterparty).first()
    if other is None:
        raise NotFound(_("No such organisation."))
    if other.pk == actor.organisation_id:
        raise InvalidInput(_("A deal needs two different organisations."))
    licensor, licensee = (actor.organisation, other) if as_licensor else (other, actor.organisation)
    proposal = proposals.validate(data, licensor)
    with transaction.atomic():
        deal = Deal.objects.create(
            licensor=licensor,
            licensee=licensee,
            initiator=actor.organisation,
            offer=offer,
            name=(name or "").strip() or _("Package of %(count)s works") % {"count": len(proposal.works)},
            expires_on=periods.parse_date(expires_on),
        )
        _write_version(deal, actor, proposal, note="")
        if message.strip():
            DealMessage.objects.create(deal=deal, author=actor.organisation, author_user=actor.user, body=message.strip())
        audit.record("exchange.deal.drafted", actor=actor, obj=deal, licensor=licensor.pk, licensee=licensee.pk, works=len(proposal.works))
    return deal


def revise_draft(actor, deal_id: int, data: proposals.ProposalInput) -> Deal:
    """A draft may be rewritten before it is proposed; each rewrite is kept as a version."""
    with transaction.atomic():
        deal = deal_for(actor, deal_id, lock=True)
        if deal.state != S.DRAFT:
            raise StepRefused(_("Only a draft can be revised; propose a counter instead."), details=[{"state": deal.state}])
        if deal.initiator_id != actor.organisation_id:
            raise NotYourStep(_("Only the party that drafted the deal may revise it."))
        actor.require(NEGOTIATE, _("negotiate deals"))
        version = _write_version(deal, actor, proposals.validate(data, deal.licensor), note="")
        audit.record("exchange.deal.revised", actor=actor, obj=deal, version=version.number)
    return deal


def propose(actor, deal_id: int) -> Deal:
    with transaction.atomic():
        deal = _take(actor, deal_for(actor, deal_id, lock=True), "propose")
        notify(deal.other_party_id(actor.organisation_id), NotificationKind.OFFER_RECEIVED, deal=deal, deal_name=deal.name)
    return deal


def counter(actor, deal_id: int, data: proposals.ProposalInput, *, note: str = "") -> Deal:
    """Different works, terms or money: a new version, and the other party's turn."""
    with transaction.atomic():
        deal = deal_for(actor, deal_id, lock=True)
        _check(actor, deal, "counter")
        version = _write_version(deal, actor, proposals.validate(data, deal.licensor), note=note)
        _take(actor, deal, "counter", checked=True)
        audit.record("exchange.deal.version", actor=actor, obj=deal, version=version.number)
        notify(
            deal.other_party_id(actor.organisation_id),
            NotificationKind.COUNTER_PROPOSAL,
            deal=deal,
            deal_name=deal.name,
            version=version.number,
        )
    return deal


def accept(actor, deal_id: int, *, works=None) -> Deal:
    """Agree to the latest version. Accepting only a selection of its works is not an agreement:
    the package's money was offered for the whole package, so the selection becomes a new version
    (same terms and money, to be re-agreed) and the other party's turn — a counter-proposal."""
    with transaction.atomic():
        deal = deal_for(actor, deal_id, lock=True)
        _check(actor, deal, "accept")
        current = selectors.latest_version(deal)
        chosen = _selection(current, works)
        if chosen is not None:
            data = proposals.ProposalInput(
                works=chosen, terms=current.terms, currency=current.currency, **{f: getattr(current, f) for f in proposals.MONEY_FIELDS}
            )
            version = _write_version(
                deal,
                actor,
                proposals.validate(data, deal.licensor),
                note=_("Accepted %(chosen)s of %(offered)s works; the package's money must be re-agreed.")
                % {"chosen": len(chosen), "offered": current.items.count()},
            )
            _take(actor, deal, "counter", checked=True)
            audit.record("exchange.deal.version", actor=actor, obj=deal, version=version.number)
            notify(
                deal.other_party_id(actor.organisation_id),
                NotificationKind.COUNTER_PROPOSAL,
                deal=deal,
                deal_name=deal.name,
                version=version.number,
            )
            return deal
        _take(actor, deal, "accept", checked=True)
        notify(deal.other_party_id(actor.organisation_id), NotificationKind.ACCEPTED, deal=deal, deal_name=deal.name)
    return deal


def _selection(current: DealVersion, works) -> list[int] | None:
    """The works an acceptance names, if they are fewer than the version offers (None: all)."""
    if works is None:
        return None
    chosen = [w.pk if hasattr(w, "pk") else int(w) for w in works]
    offered = list(current.items.values_list("work_id", flat=True))
    if not chosen or set(chosen) - set(offered):
        raise InvalidInput(
            _("Select works from the latest version only."), details=[{"field": "works", "not_offered": sorted(set(chosen) - set(offered))}]
        )
    return None if set(chosen) == set(offered) else chosen


def countersign(actor, deal_id: int, *, on_date=None) -> Deal:
    """The licensee signs the agreed version; the licensor's signature then writes the ledger."""
    day = periods.parse_date(on_date) or timezone.localdate()
    with transaction.atomic():
        deal = _take(actor, deal_for(actor, deal_id, lock=True), "countersign", countersigned_on=day)
        notify(deal.licensor_id, NotificationKind.COUNTERSIGNED, deal=deal, deal_name=deal.name)
    return deal


def reject(actor, deal_id: int, *, reason: str = "") -> Deal:
    with transaction.atomic():
        deal = _take(actor, deal_for(actor, deal_id, lock=True), "reject", closed_reason="rejected")
        _message(actor, deal, reason)
        notify(deal.other_party_id(actor.organisation_id), NotificationKind.REJECTED, deal=deal, deal_name=deal.name)
    return deal


def withdraw(actor, deal_id: int) -> Deal:
    with transaction.atomic():
        deal = deal_for(actor, deal_id, lock=True)
        was_draft = deal.state == S.DRAFT  # the other party never saw a draft: nothing to tell
        _take(actor, deal, "withdraw", closed_reason="withdrawn")
        if not was_draft:
            notify(deal.other_party_id(actor.organisation_id), NotificationKind.WITHDRAWN, deal=deal, deal_name=deal.name)
    return deal


def call_off(actor, deal_id: int, *, reason: str = "") -> Deal:
    """Either party may still walk away from an agreement that is not signed."""
    with transaction.atomic():
        deal = _take(actor, deal_for(actor, deal_id, lock=True), "call_off", closed_reason="called_off")
        _message(actor, deal, reason)
        notify(deal.other_party_id(actor.organisation_id), NotificationKind.WITHDRAWN, deal=deal, deal_name=deal.name)
    return deal


def may_post_message(actor) -> bool:
    """Whether the thread shows this actor a form to post (post_message checks the same rule)."""
    return actor.role in NEGOTIATE


def post_message(actor, deal_id: int, body: str) -> DealMessage:
    """A message in the deal's thread speaks for the organisation, so it needs a negotiating role
    (a read-only member reads the thread, like the rest of the deal)."""
    actor.require(NEGOTIATE, _("post in deal threads"))
    text = (body or "").strip()
    if not text:
        raise InvalidInput(_("A message cannot be empty."), details={"body": "required"})
    with transaction.atomic():
        deal = deal_for(actor, deal_id)
        message = DealMessage.objects.create(deal=deal, author=actor.organisation, author_user=actor.user, body=text)
        audit.record("exchange.deal.message", actor=actor, obj=deal, message=message.pk)
        notify(deal.other_party_id(actor.organisation_id), NotificationKind.MESSAGE, deal=deal, deal_name=deal.name)
    return message


def _message(actor, deal, text: str) -> None:
    if (text or "").strip():
        DealMessage.objects.create(deal=deal, author=actor.organisation, author_user=actor.user, body=text.strip())


def _write_version(deal: Deal, actor, proposal: proposals.Proposal, *, note: str) -> DealVersion:
    last = deal.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = DealVersion.objects.create(
        deal=deal, number=last + 1, author=actor.organisation, author_user=actor.user, note=note, **proposal.fields()
    )
    DealVersionWork.objects.bulk_create(DealVersionWork(version=version, work=w, position=i) for i, w in enumerate(proposal.works))
    return version


# ---------------------------------------------------------------- signing and after


def sign(actor, deal_id: int, *, on_date=None) -> SignResult:
    """Grant every term of the agreed version through the ledger, in one transaction.

    Before any write, every term is checked with the ledger's own availability selector and
    every conflict is collected, so the refusal lists them all (work, territory, media, window,
    reason, blocking contract). Hard quotas refuse with the count; soft ones warn. The ledger
    re-checks under its lock while granting, so a rival grant that slips in between still
    refuses — and the exception rolls back the grants already written in this transaction.
    """
    day = periods.parse_date(on_date) or timezone.localdate()
    with transaction.atomic():
        deal = deal_for(actor, deal_id, lock=True)
        _check(actor, deal, "sign")
        version = selectors.latest_version(deal)
        works = list(version.works.all())
        conflicts = conflicts_of(deal.licensor, works, version.terms)
        if conflicts:
            raise SigningRefused(_signing_message(conflicts), details=conflicts)
        warnings = quotas.check_signing(deal, version, works)
        contract_ids = []
        for i, term in enumerate(version.terms, start=1):
            reference = deal.reference if len(version.terms) == 1 else f"{deal.reference}/{i}"
            try:
                created = ledger.grant(
                    actor,
                    deal.licensee,
                    proposals.term_input(term, works),
                    contract=ContractInput(
                        reference=reference,
                        signed_on=day,
                        external_ref=f"exchange.deal:{deal.pk}",
                        money=proposals.contract_money(version, len(works), first=i == 1),
                    ),
                )
            except Conflict as exc:  # a rival grant committed after our check: the ledger names it
                details = [{"term": i, **d} for d in exc.details]
                raise SigningRefused(_signing_message(details) if details else exc.message, details=details) from exc
            contract_ids.append(created.contract_id)
        deal.contracts.add(*contract_ids)
        _take(actor, deal, "sign", checked=True, signed_on=day)
        for org_id in (deal.licensor_id, deal.licensee_id):
            notify(org_id, NotificationKind.SIGNED, deal=deal, deal_name=deal.name)
        for warning in warnings:
            for org_id in (deal.licensor_id, deal.licensee_id):
                notify(org_id, NotificationKind.QUOTA_NEAR_LIMIT, deal=deal, **warning)
    return SignResult(deal, warnings)


def conflicts_of(licensor, works, terms: list[dict]) -> list[dict]:
    """Every (work, territory, media) of every term the licensor may not grant — the same
    selector and the same detail shape as the ledger's own refusal."""
    refs = {w.pk: w.ref for w in works}
    found = []
    for index, term in enumerate(terms, start=1):
        countries, leaves, window = proposals.term_cells(term)
        result = avail.availability(licensor, works, countries, leaves, window, term.get("exclusive", False), term.get("languages") or [])
        found += [
            {"term": index, "work": wid, "work_ref": refs.get(wid, ""), "territory": cell.territory, "media": cell.media, **gap.as_dict()}
            for wid, work in result.items()
            for cell in work.problems()
            for gap in cell.gaps
        ]
    return found


def _signing_message(conflicts: list[dict]) -> str:
    works = sorted({c["work_ref"] or str(c["work"]) for c in conflicts})
    return _("Nothing was signed: %(count)s conflicts on %(works)s work(s) (%(first)s).") % {
        "count": len(conflicts),
        "works": len(works),
        "first": ", ".join(works[:5]),
    }


def activate(actor, deal_id: int, *, on_date=None) -> Deal:
    """A signed deal becomes active once its window has begun and every approval the rules
    require for its (work, territory, media) exists."""
    day = periods.parse_date(on_date) or timezone.localdate()
    with transaction.atomic():
        deal = deal_for(actor, deal_id, lock=True)
        _check(actor, deal, "activate")
        _refuse_activation(deal, day)
        _take(actor, deal, "activate", checked=True)
        for org_id in (deal.licensor_id, deal.licensee_id):
            notify(org_id, NotificationKind.ACTIVATED, deal=deal, deal_name=deal.name)
    return deal


def _refuse_activation(deal: Deal, day: date) -> None:
    version = selectors.latest_version(deal)
    first_start = min(periods.parse_date(t["start"]) for t in version.terms)
    if not periods.Period(first_start).contains_date(day):  # the window has not begun
        raise StepRefused(
            _("The deal's window begins on %(date)s.") % {"date": first_start.isoformat()}, details=[{"starts": first_start.isoformat()}]
        )
    clearance.require_approvals(deal, version, day)


def terminate(actor, deal_id: int, *, on_date, reason: str = "") -> Deal:
    """End the remaining grants on a date (the ledger shortens them; nothing is deleted)."""
    day = periods.parse_date(on_date)
    if day is None:
        raise InvalidInput(_("A termination needs a date."), details={"on_date": "required"})
    with transaction.atomic():
        deal = deal_for(actor, deal_id, lock=True)
        _check(actor, deal, "terminate")
        atoms = sum(ledger.terminate(actor, contract, day) for contract in deal.contracts.all())
        _take(actor, deal, "terminate", checked=True, terminated_on=day)
        _message(actor, deal, reason)
        audit.record("exchange.deal.grants_ended", actor=actor, obj=deal, atoms=atoms, on=day.isoformat())
        notify(deal.licensee_id, NotificationKind.TERMINATED, deal=deal, deal_name=deal.name, on=day.isoformat())
    return deal


def deal_ends(deal: Deal) -> date | None:
    """When the last window of the deal ends (None: some window is open)."""
    ends = [periods.parse_date(t.get("end")) for t in selectors.latest_version(deal).terms]
    return None if any(e is None for e in ends) else max(ends)


# ---------------------------------------------------------------- the daily refresh


@dataclass
class RefreshReport:
    lapsed: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    reminded: int = 0


def refresh(today=None, *, remind_days: int = 14) -> RefreshReport:
    """What time alone changes: offers past their expiry lapse, deals past their last window
    expire, and both parties are reminded of offers and windows ending within `remind_days`."""
    day = periods.parse_date(today) or timezone.localdate()
    report = RefreshReport()
    with transaction.atomic():
        for deal in Deal.objects.select_for_update().filter(state__in=[S.PROPOSED, S.COUNTERED], expires_on__lt=day):
            _take(None, deal, "lapse", closed_reason="expired")
            report.lapsed.append(deal.pk)
        for deal in Deal.objects.select_for_update().filter(state__in=[S.SIGNED, S.ACTIVE]):
            end = deal_ends(deal)
            if periods.has_ended(end, day):
                _take(None, deal, "expire")
                report.expired.append(deal.pk)
        report.reminded = _remind(day, remind_days)
    return report


def _remind(day: date, within: int) -> int:
    sent = 0
    for deal in Deal.objects.filter(state__in=[S.PROPOSED, S.COUNTERED], expires_on__isnull=False):
        if (deal.expires_on - day).days <= within:
            for org_id in (deal.licensor_id, deal.licensee_id):
                sent += bool(
                    notify(
                        org_id,
                        NotificationKind.OFFER_EXPIRING,
                        deal=deal,
                        key=f"offer:{deal.pk}",
                        deal_name=deal.name,
                        on=deal.expires_on.isoformat(),
                    )
                )
    for deal in Deal.objects.filter(state__in=[S.SIGNED, S.ACTIVE]):
        end = deal_ends(deal)
        if end is not None and (end - day).days <= within:
            for org_id in (deal.licensor_id, deal.licensee_id):
                sent += bool(
                    notify(
                        org_id,
                        NotificationKind.WINDOW_EXPIRING,
                        deal=deal,
                        key=f"window:{deal.pk}:{end}",
                        deal_name=deal.name,
                        on=end.isoformat(),
                    )
                )
    return sent
