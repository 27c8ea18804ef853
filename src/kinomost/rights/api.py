"""Rights ledger endpoints (mounted at /api/v1/rights). Thin: parse, call `ledger` (writes) or
`overview`/`availability` (reads), shape the answer. Tenancy lives in the selectors; a refused
grant answers 409 with every blocking cell in `details` (see kinomost.api's DomainError map)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from kinomost.api_types import Offset, RecordId, WorkReference, limit_field
from kinomost.catalog import selectors as catalog
from kinomost.core import money
from kinomost.core.periods import Period
from kinomost.parties.selectors import organisation_by_slug
from kinomost.rights import availability as avail
from kinomost.rights import language_pairs, ledger, overview
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.rights.models import Contract, LanguageUse

router = Router(tags=["rights"])


# ---------------------------------------------------------------- schemas


class LanguageIn(Schema):
    """One language a term names and how it may be used. A term with no languages names none:
    it is not limited to any language; a grant naming languages needs holdings covering each."""

    language: str = Field(..., description="BCP 47 tag", examples=["ru"])
    use: LanguageUse = Field(LanguageUse.ORIGINAL, description="original, dubbed or subtitled")


class LanguageOut(Schema):
    language: str
    use: str


class TermIn(Schema):
    works: list[WorkReference] = Field(..., description="work ids or references", examples=[["brother", 42]])
    territories: list[str] | str = Field(..., examples=[["WORLD"]])
    territories_excluded: list[str] | str = Field(default_factory=list, examples=[["CN"]])
    media: list[str] | str = Field(..., examples=[["vod"]])
    languages: list[LanguageIn] = Field(
        default_factory=list,
        description="empty: the contract names no language (all languages)",
        examples=[[{"language": "ru", "use": "dubbed"}]],
    )
    start: date
    end: date | None = Field(None, description="exclusive; empty = open")
    exclusive: bool = False
    sublicensable: bool = False
    reference: str = Field(..., description="the contract's reference")
    signed_on: date | None = None
    external_ref: str = ""


class MoneyIn(Schema):
    """A contract's commercial terms (rights.commercial); every figure a bounded decimal."""

    currency: str = Field(..., min_length=3, max_length=3, description="ISO 4217", examples=["USD"])
    flat_fee: Decimal = Field(Decimal(0), ge=0, lt=money.MAX_AMOUNT, max_digits=money.MAX_DIGITS, decimal_places=money.DECIMAL_PLACES)
    minimum_guarantee: Decimal = Field(
        Decimal(0),
        ge=0,
        lt=money.MAX_AMOUNT,
        max_digits=money.MAX_DIGITS,
        decimal_places=money.DECIMAL_PLACES,
        description="advance recouped from royalties",
    )
    revenue_share: Decimal = Field(
        Decimal(0), ge=0, le=100, max_digits=7, decimal_places=money.DECIMAL_PLACES, description="percent of receipts"
    )
    per_hour: Decimal = Field(
        Decimal(0),
        ge=0,
        lt=money.MAX_AMOUNT,
        max_digits=money.MAX_DIGITS,
        decimal_places=money.DECIMAL_PLACES,
        description="price per hour watched",
    )
    cross_collateralised: bool = Field(True, description="one MG across the contract's works")
    withholding_tax: Decimal = Field(
        Decimal(0), ge=0, le=100, max_digits=7, decimal_places=money.DECIMAL_PLACES, description="percent withheld at source"
    )
    period: Literal["month", "quarter", "half", "year"] = "quarter"


class MoneyOut(Schema):
    currency: str
    flat_fee: str
    minimum_guarantee: str
    revenue_share: str
    per_hour: str
    cross_collateralised: bool
    withholding_tax: str
    period: str


class HoldingIn(TermIn):
    licensor_name: str = Field("", description="who granted the rights, if outside Kinomost")
    money: MoneyIn | None = Field(None, description="commercial terms of the acquisition")


class GrantIn(TermIn):
    licensee: str = Field(..., description="the licensee organisation's slug")
    money: MoneyIn | None = Field(None, description="commercial terms of the licence")


class HoldbackIn(TermIn):
    beneficiary: str | None = Field(None, description="slug of the organisation the holdback protects")


class TerminateIn(Schema):
    on: date


class WorkRef(Schema):
    id: int
    ref: str


class TermOut(Schema):
    id: int
    works: list[WorkRef]
    territories: list[str]
    territories_excluded: list[str]
    media: list[str]
    languages: list[LanguageOut]
    start: date
    end: date | None
    ends_early_on: date | None
    effective_end: date | None
    exclusive: bool
    sublicensable: bool


class ContractOut(Schema):
    id: int
    kind: str
    side: Literal["holding", "grant", "received", "holdback"]
    reference: str
    counterparty: str
    signed_on: date | None
    external_ref: str
    money: MoneyOut | None = None
    terms: list[TermOut]


class TermDetailOut(TermOut):
    atoms: int
    countries: int
    media_leaves: int


class ContractDetailOut(ContractOut):
    terms: list[TermDetailOut]
    can_terminate: bool


class ContractPage(Schema):
    total: int
    results: list[ContractOut]


class ContractFilters(Schema):
    kind: Literal["holding", "grant", "received", "holdback"] | None = None
    offset: Offset = 0
    limit: int = limit_field(50, 500)


class TerminatedOut(Schema):
    atoms_shortened: int
    contract: ContractOut


class AvailabilityIn(Schema):
    works: list[WorkReference] = Field(default_factory=list, description="ids or references; or set catalogue")
    catalogue: bool = Field(False, description="every work the organisation holds anything on")
    territories: list[str] | str = Field(..., examples=[["CN"]])
    territories_excluded: list[str] | str = Field(default_factory=list)
    media: list[str] | str = Field(..., examples=[["svod"]])
    start: date
    end: date | None = None
    exclusive: bool = False
    languages: list[LanguageIn] | None = Field(
        None,
        description="omitted: languages not considered; a list (empty: naming no language) — only holdings covering it count, as for a grant",
    )
    detail: Literal["all", "problems", "none"] = Field("all", description="which cells to return")


class PeriodOut(Schema):
    start: date | None
    end: date | None


class GapOut(PeriodOut):
    reason: str
    contract: str
    licensee: str
    exclusive: bool | None
    on_work: int | None
    language: str = Field("", description="set when the window is held but not for this language, e.g. 'zh-Hans subtitled'")


class CellOut(Schema):
    territory: str
    media: str
    available: bool
    free: list[PeriodOut]
    gaps: list[GapOut]


class WorkAvailabilityOut(Schema):
    id: int
    ref: str
    available: bool
    cells: list[CellOut]


class AvailabilityOut(Schema):
    available: int
    unavailable: int
    works: list[WorkAvailabilityOut]


class FindParams(Schema):
    territory: str
    media: str
    start: date
    end: date | None = None
    exclusive: bool = False
    kind: list[str] = Field(default_factory=list, description="work kinds, e.g. feature")
    language: list[str] = Field(
        default_factory=list,
        description="repeatable, `tag:use` (ru:dubbed, zh-Hans:subtitled; a bare tag is original): only works whose "
        "holdings cover every one, as for a grant; `all`: holdings naming no language; omitted: languages not considered",
    )
    offset: Offset = 0
    limit: int = limit_field(50, 500)


class FoundOut(Schema):
    id: int
    ref: str
    kind: str
    year: int | None
    titles: dict[str, str]
    free: PeriodOut | None = Field(None, description="the whole free stretch around the requested window")


class FoundPageOut(Schema):
    total: int
    offset: int
    limit: int
    results: list[FoundOut]


class MarkOut(Schema):
    state: str
    party: str
    exclusive: bool
    sublicensable: bool
    contract_id: int
    contract: str
    inherited: bool


class MatrixCellOut(Schema):
    status: str
    marks: list[MarkOut]


class MatrixRowOut(Schema):
    label: str
    countries: list[str]
    cells: list[MatrixCellOut]


class MatrixColumnOut(Schema):
    code: str
    name: str


class MatrixOut(Schema):
    on: date
    columns: list[MatrixColumnOut]
    rows: list[MatrixRowOut]


class BarOut(Schema):
    term_id: int
    contract_id: int
    contract: str
    side: str
    counterparty: str
    start: date
    end: date | None
    signed_end: date | None
    terminated_on: date | None
    exclusive: bool
    territories: str
    media: list[str]
    languages: list[LanguageOut]
    inherited: bool


class WorkRightsOut(Schema):
    work: WorkRef
    matrix: MatrixOut
    timeline: list[BarOut]


# ---------------------------------------------------------------- shaping


def _term_out(term) -> dict:
    return {
        "id": term.pk,
        "works": [{"id": w.pk, "ref": w.ref} for w in term.works.all()],
        "territories": term.territories,
        "territories_excluded": term.territories_excluded,
        "media": term.media,
        "languages": term.languages,
        "start": term.start,
        "end": term.end,
        "ends_early_on": term.ends_early_on,
        "effective_end": overview.term_end(term),
        "exclusive": term.exclusive,
        "sublicensable": term.sublicensable,
    }


def _contract_out(actor, contract: Contract) -> dict:
    return {
        "id": contract.pk,
        "kind": contract.kind,
        "side": overview.side_of(actor, contract),
        "reference": contract.reference,
        "counterparty": overview.counterparty(actor, contract),
        "signed_on": contract.signed_on,
        "external_ref": contract.external_ref,
        "money": contract.money or None,
        "terms": [_term_out(t) for t in contract.terms.all()],
    }


def _period(p: Period) -> dict:
    return {"start": p.start, "end": p.end}


def _cell_out(cell: avail.Cell) -> dict:
    return {
        "territory": cell.territory,
        "media": cell.media,
        "available": cell.available,
        "free": [_period(p) for p in cell.free],
        "gaps": [
            {
                **_period(g.period),
                "reason": g.reason,
                "contract": g.contract_ref,
                "licensee": g.licensee,
                "exclusive": g.exclusive,
                "on_work": g.work_id,
                "language": g.language,
            }
            for g in cell.gaps
        ],
    }


def _term_input(payload: TermIn, works) -> TermInput:
    return TermInput(
        works=works,
        territories=payload.territories,
        territories_excluded=payload.territories_excluded,
        media=payload.media,
        languages=[item.model_dump(mode="json") for item in payload.languages],
        start=payload.start,
        end=payload.end,
        exclusive=payload.exclusive,
        sublicensable=payload.sublicensable,
    )


def _contract_input(payload: TermIn, counterparty_name: str = "") -> ContractInput:
    money = getattr(payload, "money", None)
    return ContractInput(
        reference=payload.reference,
        signed_on=payload.signed_on,
        external_ref=payload.external_ref,
        counterparty_name=counterparty_name,
        money=money.model_dump(mode="json") if money else None,
    )


def _created(actor, term) -> Status:
    return Status(201, _contract_out(actor, overview.contract_for(actor, term.contract_id)))


# ---------------------------------------------------------------- contracts


@router.get("/contracts", response=ContractPage, summary="The organisation's contracts: holdings, grants made and received, holdbacks")
def list_contracts(request, filters: Query[ContractFilters]):
    qs = overview.contracts_of(request.auth, filters.kind)
    page = qs[filters.offset : filters.offset + filters.limit]
    return {"total": qs.count(), "results": [_contract_out(request.auth, c) for c in page]}


@router.get("/contracts/{contract_id}", response=ContractDetailOut, summary="One contract the organisation is party to")
def get_contract(request, contract_id: RecordId):
    view = overview.contract_detail(request.auth, contract_id)
    body = _contract_out(request.auth, view.contract)
    body["terms"] = [{**_term_out(t.term), "atoms": t.atoms, "countries": t.countries, "media_leaves": t.leaves} for t in view.terms]
    body["can_terminate"] = view.can_terminate
    return body


@router.post("/holdings", response={201: ContractOut}, summary="Record rights acquired (a holding)")
def post_holding(request, payload: HoldingIn):
    works = overview.resolve_works(request.auth, payload.works)
    term = ledger.record_holding(request.auth, _term_input(payload, works), contract=_contract_input(payload, payload.licensor_name))
    return _created(request.auth, term)


@router.post("/grants", response={201: ContractOut}, summary="Grant rights to another organisation (409 lists every conflict)")
def post_grant(request, payload: GrantIn):
    works = overview.resolve_works(request.auth, payload.works)
    licensee = organisation_by_slug(payload.licensee)
    term = ledger.grant(request.auth, licensee, _term_input(payload, works), contract=_contract_input(payload))
    return _created(request.auth, term)


@router.post("/holdbacks", response={201: ContractOut}, summary="Record a holdback that binds the organisation")
def post_holdback(request, payload: HoldbackIn):
    works = overview.resolve_works(request.auth, payload.works)
    beneficiary = organisation_by_slug(payload.beneficiary) if payload.beneficiary else None
    term = ledger.record_holdback(request.auth, _term_input(payload, works), contract=_contract_input(payload), beneficiary=beneficiary)
    return _created(request.auth, term)


@router.post("/contracts/{contract_id}/terminate", response=TerminatedOut, summary="End every term of a contract on a date")
def terminate_contract(request, contract_id: RecordId, payload: TerminateIn):
    contract = overview.contract_for(request.auth, contract_id)
    changed = ledger.terminate(request.auth, contract, payload.on)
    return {"atoms_shortened": changed, "contract": _contract_out(request.auth, overview.contract_for(request.auth, contract_id))}


# ---------------------------------------------------------------- availability


@router.post("/availability", response=AvailabilityOut, summary="Per work: free or not, free sub-windows and every gap's reason")
def post_availability(request, payload: AvailabilityIn):
    actor = request.auth
    works = overview.resolve_works(actor, payload.works) if payload.works or not payload.catalogue else []
    ids = [w.pk for w in works] or (overview.held_work_ids(actor) if payload.catalogue else [])
    countries = overview.countries_of(payload.territories, payload.territories_excluded)
    overview.check_size(len(ids), countries, payload.media)
    languages = None if payload.languages is None else [item.model_dump(mode="json") for item in payload.languages]
    result = avail.availability(actor, ids, countries, payload.media, Period(payload.start, payload.end), payload.exclusive, languages)
    refs = catalog.refs_of(ids) if not works else {w.pk: w.ref for w in works}
    out = []
    for wid, work in result.items():
        cells = {"all": work.cells, "problems": work.problems(), "none": []}[payload.detail]
        out.append({"id": wid, "ref": refs.get(wid, ""), "available": work.available, "cells": [_cell_out(c) for c in cells]})
    free = sum(1 for w in out if w["available"])
    return {"available": free, "unavailable": len(out) - free, "works": out}


@router.get("/find-available", response=FoundPageOut, summary="Works free for one territory, medium and window (paged, with titles)")
def find_available(request, params: Query[FindParams]):
    page = overview.find_available_page(
        request.auth,
        params.territory,
        params.media,
        Period(params.start, params.end),
        params.exclusive,
        params.kind or None,
        limit=params.limit,
        offset=params.offset,
        languages=_languages_query(params.language),
    )
    results = [{**catalog.work_summary(f.work), "free": _period(f.free) if f.free else None} for f in page.rows]
    return {"total": page.total, "offset": params.offset, "limit": params.limit, "results": results}


def _languages_query(values: list[str]) -> list[dict] | None:
    """`ru:dubbed`, `zh-Hans` (original) → [{language, use}]; [`all`] → [] (naming none); [] → None."""
    if not values:
        return None
    if [v.strip().lower() for v in values] == ["all"]:
        return []
    pairs = [value.strip().partition(":") for value in values]
    return language_pairs.normalise([(tag.strip(), use.strip() or LanguageUse.ORIGINAL.value) for tag, _, use in pairs])


@router.get("/works/{work_id}", response=WorkRightsOut, summary="A work's rights: territory × media matrix on a date, and a timeline")
def work_rights(request, work_id: RecordId, on: date | None = None):
    actor = request.auth
    work = overview.work_for(actor, work_id)
    matrix = overview.work_matrix(actor, work, on or date.today())
    timeline = overview.work_timeline(actor, work)
    return {
        "work": {"id": work.pk, "ref": work.ref},
        "matrix": {
            "on": matrix.on,
            "columns": [{"code": c, "name": n} for c, n in matrix.columns],
            "rows": [
                {
                    "label": r.label,
                    "countries": r.countries,
                    "cells": [{"status": c.status, "marks": [_mark_out(m) for m in c.marks]} for c in r.cells],
                }
                for r in matrix.rows
            ],
        },
        "timeline": [
            {
                "term_id": b.term.pk,
                "contract_id": b.term.contract_id,
                "contract": b.term.contract.reference,
                "side": b.side,
                "counterparty": b.counterparty,
                "start": b.start,
                "end": b.end,
                "signed_end": b.signed_end,
                "terminated_on": b.terminated_on,
                "exclusive": b.term.exclusive,
                "territories": overview.territory_text(b.term),
                "media": b.term.media,
                "languages": b.term.languages,
                "inherited": b.inherited,
            }
            for b in timeline.bars
        ],
    }


def _mark_out(m: overview.Mark) -> dict:
    return {
        "state": m.state,
        "party": m.party,
        "exclusive": m.exclusive,
        "sublicensable": m.sublicensable,
        "contract_id": m.contract_id,
        "contract": m.contract_ref,
        "inherited": m.inherited,
    }
