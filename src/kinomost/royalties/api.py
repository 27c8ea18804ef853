"""Royalty endpoints (mounted at /api/v1/royalties). Thin: parse, call `statements` (reads and
closing) or `usage` (the import), shape the answer. Tenancy lives in `statements.contracts_between`:
an organisation sees the statements of contracts it is party to — the licensor what it is owed,
the licensee what it owes — and nothing of anyone else's."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from ninja import File, Query, Router, Schema
from ninja import Field
from ninja.files import UploadedFile

from kinomost.royalties import export, statements, usage

router = Router(tags=["royalties"])

CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


class StatementQuery(Schema):
    period: str = Field(..., min_length=4, max_length=7, description="2027-04, 2027-Q1, 2027-H1 or 2027")
    counterparty: str | None = Field(None, max_length=64, description="the other party's slug")
    contract: str | None = Field(None, max_length=100, description="one contract's reference")
    format: Literal["json", "xlsx", "pdf"] = "json"
    language: Literal["en", "ru", "zh-hans"] = "en"


class MinimumGuaranteeOut(Schema):
    amount: str
    recouped_before: str
    recouped_now: str
    remaining: str


class LineOut(Schema):
    work: str
    work_id: int
    views: int
    hours: str
    receipts: str
    royalty: str
    adjusts: str | None = Field(None, description="the closed period late usage belongs to")


class RateOut(Schema):
    currency: str
    into: str
    rate: str
    source: str
    period: str
    published: int


class StatementOut(Schema):
    licensor: str
    licensee: str
    contract: str
    contract_id: int
    period: str
    status: Literal["open", "closed"]
    closed_at: str | None
    currency: str
    lines: list[LineOut]
    views: int
    hours: str
    receipts: str
    royalty: str
    minimum_guarantee: MinimumGuaranteeOut
    cross_collateralised: bool
    overage: str
    flat_fee_due: str
    advance_due: str
    payable_before_tax: str
    withholding_tax: str
    withholding: str
    payable: str
    fx: list[RateOut]


class UsageOut(Schema):
    rows: int
    created: int
    unchanged: int
    already_imported: bool


class CloseIn(Schema):
    period: str = Field(..., min_length=4, max_length=7, examples=["2027-Q1"])


class ClosedOut(Schema):
    period: str
    closed: int


@router.get("/statements", response=list[StatementOut], summary="The organisation's statements for a period (JSON, or XLSX/PDF files)")
def get_statements(request, params: Query[StatementQuery]):
    found = statements.statements_for(request.auth, params.period, counterparty=params.counterparty, reference=params.contract)
    if params.format == "json":
        return found
    response = HttpResponse(export.render(found, params.format, params.language), content_type=CONTENT_TYPES[params.format])
    response["Content-Disposition"] = f'attachment; filename="royalties-{params.period}.{params.format}"'
    return response


@router.post("/usage", response=UsageOut, summary="Import usage from a platform outside Kinomost (CSV; any bad row refuses the file)")
def post_usage(request, file: File[UploadedFile]):
    return usage.import_usage(request.auth, file.read(), file.name or "")


@router.post("/close", response=ClosedOut, summary="Freeze the period's statements of the organisation's contracts")
def post_close(request, payload: CloseIn):
    made = statements.close(payload.period, actor=request.auth)
    return {"period": payload.period, "closed": len(made)}
