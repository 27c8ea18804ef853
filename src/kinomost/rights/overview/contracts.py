"""The contracts pages and API: an organisation's contracts (tenancy: only those in which it
holds a position), one contract with its terms, and how a term reads (its end, territories,
languages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from kinomost.catalog import selectors as catalog
from kinomost.core import periods
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.core.languages import language_name
from kinomost.parties.roles import WRITE_CATALOGUE, can
from kinomost.parties.selectors import organisation_name
from kinomost.rights import availability as avail
from kinomost.rights.models import Contract, ContractKind, LanguageUse, RightAtom, Term

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

HOLDING, GRANT, RECEIVED, HOLDBACK = "holding", "grant", "received", "holdback"
SIDES = (HOLDING, GRANT, RECEIVED, HOLDBACK)


def _side_filters(org_id: int, prefix: str = "") -> dict[str, Q]:
    """Which contracts are whose position: the one rule of contract tenancy."""
    p = prefix
    return {
        HOLDING: Q(**{f"{p}kind": ContractKind.ACQUISITION, f"{p}licensee_id": org_id}),
        GRANT: Q(**{f"{p}kind": ContractKind.LICENCE, f"{p}licensor_id": org_id}),
        RECEIVED: Q(**{f"{p}kind": ContractKind.LICENCE, f"{p}licensee_id": org_id}),
        HOLDBACK: Q(**{f"{p}kind": ContractKind.HOLDBACK, f"{p}licensor_id": org_id}),
    }


def own_contracts_q(org_id: int, prefix: str = "", side: str | None = None) -> Q:
    filters = _side_filters(org_id, prefix)
    if side:
        if side not in filters:
            raise InvalidInput(f"kind must be one of {', '.join(SIDES)}", details={"kind": "unknown"})
        return filters[side]
    q = Q()
    for f in filters.values():
        q |= f
    return q


def contracts_of(actor, side: str | None = None) -> QuerySet[Contract]:
    """The organisation's contracts, newest first, with their terms and works ready to show."""
    oid = avail.org_id(actor)
    return (
        Contract.objects.filter(own_contracts_q(oid, side=side))
        .select_related("licensor", "licensee")
        .prefetch_related(
            Prefetch(
                "terms",
                queryset=Term.objects.prefetch_related(Prefetch("works", queryset=catalog.titled().order_by("id"))),
            )
        )
        .order_by("-created_at", "-id")
    )


def contract_for(actor, contract_id: int) -> Contract:
    """The contract if the organisation has a position in it; otherwise NotFound, never a hint."""
    found = contracts_of(actor).filter(pk=contract_id).first()
    if found is None:
        raise NotFound("No such contract.")
    return found


def side_of(actor, contract: Contract) -> str:
    oid = avail.org_id(actor)
    if contract.kind == ContractKind.ACQUISITION:
        return HOLDING
    if contract.kind == ContractKind.HOLDBACK:
        return HOLDBACK
    return GRANT if contract.licensor_id == oid else RECEIVED


def counterparty(actor, contract: Contract) -> str:
    """The other party as the organisation sees it (a licensor outside Kinomost by its name)."""
    side = side_of(actor, contract)
    if side in (HOLDING, RECEIVED):
        return organisation_name(contract.licensor) if contract.licensor else contract.licensor_name
    return organisation_name(contract.licensee) if contract.licensee else contract.licensor_name


def can_terminate(actor, contract: Contract) -> bool:
    """The party whose rows the contract wrote may end it (a licensee cannot end its grant)."""
    return side_of(actor, contract) != RECEIVED and can(getattr(actor, "role", None), WRITE_CATALOGUE)


@dataclass
class TermView:
    term: Term
    works: list[Work]
    atoms: int
    countries: int
    leaves: int
    effective_end: date | None
    territory_text: str
    media_text: str


@dataclass
class ContractView:
    contract: Contract
    side: str
    counterparty: str
    terms: list[TermView]
    can_terminate: bool


def contract_detail(actor, contract_id: int) -> ContractView:
    contract = contract_for(actor, contract_id)
    counts = {
        row["term_id"]: row
        for row in RightAtom.objects.filter(contract=contract)
        .values("term_id")
        .annotate(n=Count("id"), countries=Count("territory", distinct=True), leaves=Count("media", distinct=True))
    }
    terms = []
    for term in contract.terms.all():
        row = counts.get(term.pk, {})
        works = list(catalog.titled(term.works.values("pk")).order_by("id"))
        terms.append(
            TermView(
                term,
                works,
                row.get("n", 0),
                row.get("countries", 0),
                row.get("leaves", 0),
                term_end(term),
                territory_text(term),
                ", ".join(term.media),
            )
        )
    return ContractView(contract, side_of(actor, contract), counterparty(actor, contract), terms, can_terminate(actor, contract))


def term_end(term: Term) -> date | None:
    """Where the term really ends: its signed end, or earlier if it was terminated."""
    return periods.cut_short(term.start, term.end, term.ends_early_on)


def territory_text(term: Term) -> str:
    text = ", ".join(term.territories)
    return f"{text} excluding {', '.join(term.territories_excluded)}" if term.territories_excluded else text


@dataclass(frozen=True)
class LanguageLine:
    """One language a term names, with its uses, as a person reads it ("Russian: dubbed, subtitled")."""

    tag: str
    name: str  # in the reader's language; the tag itself when it has no name
    uses: tuple[str, ...]  # LanguageUse codes, in LanguageUse's order

    @property
    def use_labels(self) -> list[str]:
        return [str(LanguageUse(u).label).lower() if u in LanguageUse.values else u for u in self.uses]

    def __str__(self) -> str:
        return f"{self.name}: {', '.join(self.use_labels)}"


def language_lines(languages: list[dict], in_language: str) -> list[LanguageLine]:
    """A term's `languages` grouped by language, in the order the term names them. An empty list
    means the contract names no language (the term is not limited to any)."""
    uses: dict[str, set[str]] = {}
    for item in languages or []:
        uses.setdefault(item["language"], set()).add(item.get("use") or LanguageUse.ORIGINAL)
    order = list(LanguageUse.values)
    return [
        LanguageLine(tag, language_name(tag, in_language), tuple(sorted(found, key=lambda u: order.index(u) if u in order else len(order))))
        for tag, found in uses.items()
    ]


def languages_text(languages: list[dict], in_language: str) -> str:
    """ "Russian: dubbed, subtitled; Chinese (Simplified): original"; empty when none are named."""
    return "; ".join(str(line) for line in language_lines(languages, in_language))
