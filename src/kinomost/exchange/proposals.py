"""The one shape of a proposal — works, terms, money — validated the same way for an offer's
package and for every version of a deal. Territory, media and date rules are the core modules'
(territories.expand, media.expand, periods), never re-implemented here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Sequence

from django.utils.translation import gettext as _

from kinomost.catalog import selectors as catalog
from kinomost.core import money, periods, territories
from kinomost.core import media as media_taxonomy
from kinomost.core.errors import InvalidInput
from kinomost.core.periods import Period
from kinomost.rights.ledger import TermInput, check_term
from kinomost.rights.availability import holdings_of

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

MONEY_FIELDS = ("fee_per_work", "flat_fee", "revenue_share", "minimum_guarantee")
AMOUNT_DIGITS, AMOUNT_PLACES = 16, 2
"""An amount's digits and places as the columns store them (DecimalField(max_digits=16, decimal_places=2))."""


@dataclass(frozen=True)
class ProposalInput:
    works: Sequence[int | Work]
    terms: Sequence[dict]
    currency: str = "USD"
    fee_per_work: Decimal | str | int = 0
    flat_fee: Decimal | str | int = 0
    revenue_share: Decimal | str | int = 0  # percent of revenue to the licensor
    minimum_guarantee: Decimal | str | int = 0


@dataclass
class Proposal:
    """A validated proposal, ready to be written."""

    works: list[Work]
    terms: list[dict]
    currency: str
    money: dict[str, Decimal] = field(default_factory=dict)

    def fields(self) -> dict:
        return {"terms": self.terms, "currency": self.currency, **self.money}


def validate(data: ProposalInput, licensor) -> Proposal:
    """Every problem at once (`details` by field). Works must be in the licensor's catalogue:
    its own, or works it holds rights on."""
    problems: dict[str, str] = {}
    works: list[Work] = []
    terms: list[dict] = []
    money: dict[str, Decimal] = {}
    currency = ""
    try:
        works = catalogue_works(licensor, data.works)
    except InvalidInput as exc:
        problems["works"] = exc.message
    try:
        terms = [clean_term(t) for t in data.terms or []]
        if not terms:
            problems["terms"] = _("at least one term is needed")
    except InvalidInput as exc:
        problems["terms"] = exc.message
    try:
        currency = clean_currency(data.currency)
    except InvalidInput as exc:
        problems["currency"] = exc.message
    for name in MONEY_FIELDS:
        try:
            money[name] = clean_amount(getattr(data, name), name)
        except InvalidInput as exc:
            problems[name] = exc.message
    if problems:
        raise InvalidInput(
            _("The proposal is not valid: %(problems)s") % {"problems": "; ".join(f"{k}: {v}" for k, v in problems.items())},
            details=problems,
        )
    return Proposal(works=works, terms=terms, currency=currency, money=money)


def catalogue_of(licensor):
    """Works an organisation may offer: its own and those it holds (or was granted) rights on."""
    return catalog.owned_or_among(licensor, holdings_of(licensor).values("work_id"))


def catalogue_works(licensor, refs) -> list[Work]:
    ids = list(dict.fromkeys(catalog.work_id(w) for w in refs or []))
    if not ids:
        raise InvalidInput(_("at least one work is needed"))
    found = {w.pk: w for w in catalog.among(catalogue_of(licensor).filter(pk__in=ids).values("pk"))}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise InvalidInput(_("not in the licensor's catalogue: %(works)s") % {"works": ", ".join(missing)})
    return [found[i] for i in ids]


def clean_term(raw: dict) -> dict:
    """A term as the ledger will read it, with its sets checked now (by the ledger's own
    `check_term`) rather than at signing."""
    if not isinstance(raw, dict):
        raise InvalidInput(_("a term must be an object"))
    terr = _as_list(raw.get("territories"))
    excl = _as_list(raw.get("territories_excluded"))
    media = _as_list(raw.get("media"))
    _countries, _leaves, window, langs = check_term(
        TermInput(
            works=(),
            territories=terr,
            territories_excluded=excl,
            media=media,
            start=raw.get("start"),
            end=raw.get("end"),
            languages=raw.get("languages") or [],
        )
    )
    return {
        "territories": terr,
        "territories_excluded": excl,
        "media": media,
        "start": window.start.isoformat(),
        "end": window.end.isoformat() if window.end else None,
        "exclusive": bool(raw.get("exclusive", False)),
        "sublicensable": bool(raw.get("sublicensable", False)),
        "languages": langs,
    }


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def clean_currency(code: str) -> str:
    return money.currency(code)


def clean_amount(value, name: str) -> Decimal:
    """An amount of a proposal: core.money's validator, within the deal's columns (16 digits, two
    decimals), so an amount the database cannot hold is refused here and not by the database."""
    amount = money.percent(value, field=name) if name == "revenue_share" else money.amount(value, field=name)
    if amount.adjusted() >= AMOUNT_DIGITS - AMOUNT_PLACES:
        raise InvalidInput(
            _("an amount has at most %(digits)s digits before the decimal point") % {"digits": AMOUNT_DIGITS - AMOUNT_PLACES},
            details={name: str(value)},
        )
    return amount.quantize(Decimal("0.01"))


def term_input(term: dict, works) -> TermInput:
    """A stored term → the ledger's TermInput over the version's works."""
    return TermInput(
        works=list(works),
        territories=term["territories"],
        territories_excluded=term.get("territories_excluded") or [],
        media=term["media"],
        start=term["start"],
        end=term.get("end"),
        languages=term.get("languages") or [],
        exclusive=term.get("exclusive", False),
        sublicensable=term.get("sublicensable", False),
    )


def term_cells(term: dict) -> tuple[list[str], list[str], Period]:
    """The countries, media leaves and window a stored term covers."""
    countries = territories.expand(term["territories"], term.get("territories_excluded") or [])
    leaves = media_taxonomy.expand(term["media"])
    return countries, leaves, Period(periods.parse_date(term["start"]), periods.parse_date(term.get("end")))


def contract_money(version, work_count: int, *, first: bool) -> dict:
    """The agreed money as the ledger's commercial terms (rights.commercial), for one contract a
    signed version makes (one per term). Shares apply under every contract; the fees and the
    minimum guarantee are paid once per deal, so only the first contract carries them."""
    return {
        "currency": version.currency,
        "flat_fee": str(committed_fees(version, work_count) if first else 0),
        "minimum_guarantee": str(version.minimum_guarantee if first else 0),
        "revenue_share": str(version.revenue_share),
    }


def committed_fees(obj, work_count: int) -> Decimal:
    return obj.fee_per_work * work_count + obj.flat_fee


def committed_money(obj, work_count: int) -> Decimal:
    """What the licensee owes for sure: fees and the minimum guarantee (revenue share on top is
    not known until revenue is)."""
    return obj.fee_per_work * work_count + obj.flat_fee + obj.minimum_guarantee
