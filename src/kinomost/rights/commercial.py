"""A contract's commercial terms: what the licensee pays for the rights — the one owner of their shape.

The terms live on the ledger's `Contract.money` (a JSON object), so a licence carries them
however it was made: recorded by hand or through the API, imported, or signed in the exchange
(a signed deal copies its agreed terms in). Royalty statements read them through
`terms_of(contract)`; nobody else parses the JSON.

    {currency, flat_fee, minimum_guarantee, revenue_share (% of receipts),
     per_hour (price per hour watched), cross_collateralised (one MG across the contract's
     works; default true), withholding_tax (%), period (month | quarter | half | year)}

Amounts are stored as strings of Decimals, so JSON never turns them into floats.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinomost.core import money
from kinomost.core.errors import InvalidInput
from kinomost.rights.models import Contract, ContractKind, RightAtom, Term

ACCOUNTING_PERIODS = ("month", "quarter", "half", "year")
DEFAULT_PERIOD = "quarter"  # the most common royalty statement frequency (see docs/royalties.md)
AMOUNT_FIELDS = ("flat_fee", "minimum_guarantee", "per_hour")
PERCENT_FIELDS = ("revenue_share", "withholding_tax")
FIELDS = ("currency", *AMOUNT_FIELDS, *PERCENT_FIELDS, "cross_collateralised", "period")
PERIOD_LABELS = {
    "month": gettext_lazy("monthly"),
    "quarter": gettext_lazy("quarterly"),
    "half": gettext_lazy("half-yearly"),
    "year": gettext_lazy("yearly"),
}


@dataclass(frozen=True)
class CommercialTerms:
    currency: str
    flat_fee: Decimal = Decimal(0)
    minimum_guarantee: Decimal = Decimal(0)
    revenue_share: Decimal = Decimal(0)
    per_hour: Decimal = Decimal(0)
    cross_collateralised: bool = True
    withholding_tax: Decimal = Decimal(0)
    period: str = DEFAULT_PERIOD

    @property
    def period_label(self) -> str:
        return str(PERIOD_LABELS[self.period])

    def stored(self) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}


def clean(raw: dict | None) -> dict:
    """The stored form of terms as given (API, form, deal), or {} for none; InvalidInput names
    every bad field at once in `details`."""
    if not raw:
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput(_("Commercial terms are an object."), details={"money": "object expected"})
    problems: dict[str, str] = {}
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        problems.update({name: _("unknown field") for name in unknown})
    values: dict = {}
    try:
        values["currency"] = money.currency(raw.get("currency"))
    except InvalidInput as exc:
        problems["currency"] = exc.message
    for name in AMOUNT_FIELDS:
        try:
            values[name] = money.amount(raw.get(name), field=name)
        except InvalidInput as exc:
            problems[name] = exc.message
    for name in PERCENT_FIELDS:
        try:
            values[name] = money.percent(raw.get(name), field=name)
        except InvalidInput as exc:
            problems[name] = exc.message
    flag = raw.get("cross_collateralised", True)
    if not isinstance(flag, bool):
        problems["cross_collateralised"] = _("true or false")
    values["cross_collateralised"] = flag
    period = raw.get("period") or DEFAULT_PERIOD
    if period not in ACCOUNTING_PERIODS:
        problems["period"] = _("one of %(choices)s") % {"choices": ", ".join(ACCOUNTING_PERIODS)}
    values["period"] = period
    if problems:
        raise InvalidInput(
            _("The commercial terms are not valid: %(problems)s") % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())},
            details={f"money.{k}": v for k, v in problems.items()},
        )
    return CommercialTerms(**values).stored()


def terms_of(contract) -> CommercialTerms | None:
    """The contract's terms, or None when it states none."""
    stored = getattr(contract, "money", None) or {}
    if not stored:
        return None
    return CommercialTerms(
        currency=stored["currency"],
        **{k: Decimal(stored.get(k) or 0) for k in (*AMOUNT_FIELDS, *PERCENT_FIELDS)},
        cross_collateralised=bool(stored.get("cross_collateralised", True)),
        period=stored.get("period") or DEFAULT_PERIOD,
    )


# ---------------------------------------------------------------- reads of contracts with terms
# What royalties (statements, usage imports) read of the ledger: contracts that state commercial
# terms, their works, and the licence a reported row falls under. Kept here, beside the terms'
# shape, so no other app queries rights' models.


def contracts_with_terms(organisation=None):
    """Contracts that state commercial terms (holdbacks never do), with both parties; those the
    organisation is party to (licensor or licensee) when one is given. A QuerySet: callers narrow it."""
    qs = Contract.objects.exclude(kind=ContractKind.HOLDBACK).exclude(money={}).select_related("licensor", "licensee")
    if organisation is not None:
        qs = qs.filter(Q(licensor=organisation) | Q(licensee=organisation))
    return qs


def work_ids_of(contract):
    """The ids of the works the contract's terms name, as a subquery (a QuerySet of ids): a
    contract of 5,000 films is then joined, not sent as 5,000 parameters."""
    return Term.works.through.objects.filter(term__contract=contract).values("work_id")


def work_ids_under_terms(organisation):
    """The ids of the works under any contract with commercial terms the organisation is party to
    (a subquery): the works a usage report of that organisation may name."""
    atoms = RightAtom.objects.filter(Q(contract__licensee=organisation) | Q(contract__licensor=organisation)).exclude(contract__money={})
    return atoms.values("work_id").distinct()


def licence_with_terms(organisation, work_id: int, territory: str, media: str, start, end) -> int | None:
    """The id of the contract with commercial terms (the organisation a party, no holdback) whose
    rights cover the work in the territory for the medium at some time in [start, end): the lowest
    id when several do; None when none does."""
    return (
        RightAtom.objects.filter(
            Q(contract__licensee=organisation) | Q(contract__licensor=organisation),
            work_id=work_id,
            territory=territory,
            media=media,
            start__lt=end,
            effective_end__gt=start,
        )
        .exclude(contract__money={})
        .exclude(kind="holdback")
        .order_by("contract_id")
        .values_list("contract_id", flat=True)
        .first()
    )
