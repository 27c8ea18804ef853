"""Exchange endpoints under /api/v1/exchange/. Thin: parse, call one service or selector, shape
the answer. Every read goes through a selector that lets only the parties see a deal or offer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from kinomost.api_types import XLSX, Count, ErrorOut, RecordId, Year, download
from kinomost.catalog import selectors as catalog_selectors
from kinomost.core import money
from kinomost.core.languages import reader_language
from kinomost.exchange import approvals, deals, exports, notifications, offers, quota_usage, selectors, steps
from kinomost.exchange import balance as balance_reads  # (the views below are called balance, clearance, inbox)
from kinomost.exchange import clearance as clearance_reads
from kinomost.exchange import inbox as inbox_reads
from kinomost.exchange.proposals import AMOUNT_DIGITS, AMOUNT_PLACES, MONEY_FIELDS, ProposalInput

router = Router(tags=["exchange"])


# ---------------------------------------------------------------- schemas

Amount = Annotated[
    Decimal,
    Field(
        ge=0,
        lt=money.MAX_AMOUNT,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        description="an amount in the currency (below core.money's bound)",
    ),
]
Share = Annotated[Decimal, Field(ge=0, le=100, decimal_places=AMOUNT_PLACES, description="percent of revenue to the licensor")]


class TermIn(Schema):
    territories: list[str] = Field(..., examples=[["CN"]])
    territories_excluded: list[str] = Field(default_factory=list)
    media: list[str] = Field(..., examples=[["svod"]])
    start: date
    end: date | None = None
    exclusive: bool = False
    sublicensable: bool = False
    languages: list[dict] = Field(default_factory=list, examples=[[{"language": "zh-Hans", "use": "subtitled"}]])


class ProposalIn(Schema):
    works: list[RecordId] = Field(default_factory=list)
    terms: list[TermIn]
    currency: str = Field("USD", examples=["CNY"])
    fee_per_work: Amount = Decimal("0")
    flat_fee: Amount = Decimal("0")
    revenue_share: Share = Decimal("0")
    minimum_guarantee: Amount = Decimal("0")

    def to_input(self) -> ProposalInput:
        return ProposalInput(
            works=self.works, terms=[t.dict() for t in self.terms], currency=self.currency, **{f: getattr(self, f) for f in MONEY_FIELDS}
        )


class FilterIn(Schema):
    kind: str | None = None
    genre: str | None = None
    year_from: Count | None = None
    year_to: Count | None = None
    language: str | None = None
    available_for: TermIn | None = None


class OfferIn(Schema):
    name: str
    message: str = ""
    expires_on: date | None = None
    proposal: ProposalIn
    filter: FilterIn | None = None


class SendIn(Schema):
    recipients: list[str] = Field(..., examples=[["shanghai-media"]])


class DealIn(Schema):
    counterparty: str = Field(..., description="slug of the other organisation")
    as_licensor: bool = True
    name: str = ""
    message: str = ""
    expires_on: date | None = None
    proposal: ProposalIn


class StepIn(Schema):
    proposal: ProposalIn | None = Field(None, description="counter: the new version")
    works: list[RecordId] | None = Field(None, description="accept: a selection of the latest version's works")
    note: str = ""
    reason: str = ""
    on_date: date | None = None
    confirm: bool = Field(
        False,
        description="countersign, sign: true once the person read what the signature does "
        "(unconfirmed, the step is refused with 409 confirmation_needed, stating it)",
    )


class MessageIn(Schema):
    body: str


class ApprovalIn(Schema):
    work: RecordId
    territory: str
    kind: str
    status: str = "pending"
    number: str = ""
    issued_on: date | None = None
    platform: str | None = Field(None, description="slug of the platform a registration is for")
    permitted_use: str = ""
    age_category: str = ""


class ApprovalStatusIn(Schema):
    status: str
    number: str | None = None
    issued_on: date | None = None


class ClearanceQuery(Schema):
    work: RecordId
    territory: str
    media: str
    on: date | None = None


class QuotaQuery(Schema):
    territory: str | None = None
    year: Year | None = None


class BalanceQuery(Schema):
    a: str = Field(..., description="organisation slug (yours) or country code")
    b: str
    scope: str = Field("organisation", pattern="^(organisation|country)$")
    by: str = Field("year", pattern="^(month|quarter|year)$")
    start: date | None = None
    end: date | None = None
    format: str = Field("json", pattern="^(json|csv|xlsx)$")


class ReadIn(Schema):
    ids: list[RecordId]


class OrgOut(Schema):
    id: int
    slug: str
    name: str
    country: str


class WorkBriefOut(Schema):
    id: int
    ref: str
    kind: str
    year: int | None
    runtime_minutes: int | None
    title: str


class MoneyOut(Schema):
    currency: str
    fee_per_work: str
    flat_fee: str
    revenue_share: str
    minimum_guarantee: str


class OfferOut(MoneyOut):
    id: int
    name: str
    sender: OrgOut
    status: str
    message: str
    expires_on: date | None
    filter: dict[str, Any]
    terms: list[dict[str, Any]]
    works: list[WorkBriefOut]


class DealSummaryOut(Schema):
    id: int
    reference: str
    name: str
    state: str
    licensor: OrgOut
    licensee: OrgOut
    expires_on: date | None
    countersigned_on: date | None
    signed_on: date | None
    terminated_on: date | None
    closed_reason: str


class VersionOut(MoneyOut):
    number: int
    author: int = Field(description="id of the organisation that wrote this version")
    note: str
    created_at: datetime
    terms: list[dict[str, Any]]
    works: list[WorkBriefOut]


class ThreadMessageOut(Schema):
    author: int
    body: str
    created_at: datetime


class DealOut(DealSummaryOut):
    steps: list[str] = Field(description="the steps this organisation may take now")
    versions: list[VersionOut]
    messages: list[ThreadMessageOut]
    warnings: list[dict[str, Any]] = Field(default_factory=list, description="quotas near or over their limit after this step")


class MessageOut(Schema):
    id: int
    body: str
    created_at: datetime


class ApprovalOut(Schema):
    id: int
    work: int
    territory: str
    kind: str
    status: str
    number: str
    issued_on: date | None
    platform: str | None
    permitted_use: str
    age_category: str


class ClearanceOut(Schema):
    work: int
    territory: str
    media: str
    cleared: bool
    missing: list[dict[str, Any]]


class QuotaCounterOut(Schema):
    rule: int
    name: str
    territory: str
    media: str
    measure: str
    scope: str
    hard: bool
    year: int
    used: str | None
    limit: str
    near_limit: bool
    over_limit: bool


class BalanceOut(Schema):
    scope: str
    a: str
    b: str
    by: str
    rows: list[dict[str, Any]]
    total: dict[str, Any]


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    deal: int | None
    created_at: datetime
    read: bool


class MarkedOut(Schema):
    marked: int


# ---------------------------------------------------------------- shaping


def _org(o) -> dict:
    return {"id": o.pk, "slug": o.slug, "name": o.name, "country": o.country}


def _money(obj) -> dict:
    return {"currency": obj.currency, **{f: str(getattr(obj, f)) for f in MONEY_FIELDS}}


def _works(works) -> list[dict]:
    lang = reader_language()
    return [
        {
            "id": w.pk,
            "ref": w.ref,
            "kind": w.kind,
            "year": w.year,
            "runtime_minutes": w.runtime_minutes,
            "title": catalog_selectors.display_title(w, lang),
        }
        for w in works
    ]


def _deal_summary(deal) -> dict:
    return {
        "id": deal.pk,
        "reference": deal.reference,
        "name": deal.name,
        "state": deal.state,
        "licensor": _org(deal.licensor),
        "licensee": _org(deal.licensee),
        "expires_on": deal.expires_on,
        "countersigned_on": deal.countersigned_on,
        "signed_on": deal.signed_on,
        "terminated_on": deal.terminated_on,
        "closed_reason": deal.closed_reason,
    }


def _deal(request, deal) -> dict:
    deal = selectors.deal_detail(request.auth, deal.pk)
    return {
        **_deal_summary(deal),
        "steps": deals.steps_for(request.auth, deal),
        "versions": [
            {
                "number": v.number,
                "author": v.author_id,
                "note": v.note,
                "created_at": v.created_at,
                "terms": v.terms,
                "works": _works(i.work for i in v.items.all()),
                **_money(v),
            }
            for v in deal.versions.all()
        ],
        "messages": [{"author": m.author_id, "body": m.body, "created_at": m.created_at} for m in deal.messages.all()],
    }


def _offer(offer) -> dict:
    return {
        "id": offer.pk,
        "name": offer.name,
        "sender": _org(offer.sender),
        "status": offer.status,
        "message": offer.message,
        "expires_on": offer.expires_on,
        "filter": offer.saved_filter,
        "terms": offer.terms,
        **_money(offer),
        "works": _works(i.work for i in offer.items.select_related("work").prefetch_related("work__localizations")),
    }


def _approval(a) -> dict:
    return {
        "id": a.pk,
        "work": a.work_id,
        "territory": a.territory,
        "kind": a.kind,
        "status": a.status,
        "number": a.number,
        "issued_on": a.issued_on,
        "platform": a.platform.slug if a.platform_id else None,
        "permitted_use": a.permitted_use,
        "age_category": a.age_category,
    }


# ---------------------------------------------------------------- offers


@router.get("/offers", response=list[OfferOut], summary="Offers this organisation sent or received")
def list_offers(request):
    return [_offer(o) for o in selectors.offers_of(request.auth)]


@router.post("/offers", response={201: OfferOut}, summary="Build a package by hand or by a saved filter")
def create_offer(request, payload: OfferIn):
    flt = None
    if payload.filter is not None:
        data = payload.filter.dict()
        flt = offers.PackageFilter(
            **{**data, "available_for": payload.filter.available_for.dict() if payload.filter.available_for else None}
        )
    offer = offers.create_offer(
        request.auth,
        name=payload.name,
        proposal=payload.proposal.to_input(),
        package_filter=flt,
        message=payload.message,
        expires_on=payload.expires_on,
    )
    return Status(201, _offer(offer))


@router.get("/offers/{offer_id}", response=OfferOut, summary="An offer this organisation sent or received")
def get_offer(request, offer_id: RecordId):
    return _offer(selectors.offer_for(request.auth, offer_id))


@router.post("/offers/{offer_id}/send", response=list[DealSummaryOut], summary="Send to organisations: one proposed deal each")
def send_offer(request, offer_id: RecordId, payload: SendIn):
    return [_deal_summary(d) for d in offers.send_offer(request.auth, offer_id, payload.recipients)]


# ---------------------------------------------------------------- deals


@router.get("/deals", response=list[DealSummaryOut], summary="Deals this organisation is a party to")
def list_deals(request, state: str | None = None, role: str | None = None):
    return [_deal_summary(d) for d in selectors.deals_of(request.auth, state=state, role=role)]


@router.post("/deals", response={201: DealOut}, summary="Draft a deal with another organisation")
def create_deal(request, payload: DealIn):
    from kinomost.parties.models import Organisation

    other = Organisation.objects.filter(slug=payload.counterparty).first()
    deal = deals.create_deal(
        request.auth,
        other.pk if other else 0,
        payload.proposal.to_input(),
        as_licensor=payload.as_licensor,
        name=payload.name,
        expires_on=payload.expires_on,
        message=payload.message,
    )
    return Status(201, _deal(request, deal))


@router.get("/deals/{deal_id}", response=DealOut, summary="A deal, every version and its thread")
def get_deal(request, deal_id: RecordId):
    return _deal(request, selectors.deal_detail(request.auth, deal_id))


@router.post(
    "/deals/{deal_id}/steps/{step}",
    response=DealOut,
    summary="Take a step: propose, counter, accept, reject, withdraw, call_off, countersign, sign, activate, terminate",
)
def take_step(request, deal_id: RecordId, step: str, payload: StepIn):
    data = steps.StepInput(
        proposal=payload.proposal.to_input() if payload.proposal else None,
        works=payload.works,
        note=payload.note,
        reason=payload.reason,
        on_date=payload.on_date,
        confirmed=payload.confirm,
    )
    result = steps.take_step(request.auth, deal_id, step, data)
    deal = getattr(result, "deal", result)
    body = _deal(request, deal)
    if hasattr(result, "warnings"):
        body["warnings"] = result.warnings
    return body


@router.post("/deals/{deal_id}/messages", response={201: MessageOut}, summary="Write in a deal's thread")
def post_message(request, deal_id: RecordId, payload: MessageIn):
    message = deals.post_message(request.auth, deal_id, payload.body)
    return Status(201, {"id": message.pk, "body": message.body, "created_at": message.created_at})


# ---------------------------------------------------------------- approvals, quotas


@router.get("/approvals", response=list[ApprovalOut], summary="Approvals this organisation recorded")
def list_approvals(request, territory: str | None = None, work: RecordId | None = None):
    return [_approval(a) for a in clearance_reads.approvals_of(request.auth, territory=territory, work_id=work)]


@router.post("/approvals", response={201: ApprovalOut}, summary="Record an approval (a registration, a distribution licence, …)")
def record_approval(request, payload: ApprovalIn):
    data = payload.dict()
    approval = approvals.record_approval(request.auth, work_id=data.pop("work"), **data)
    return Status(201, _approval(approval))


@router.post("/approvals/{approval_id}/status", response=ApprovalOut, summary="Change an approval's status")
def change_approval(request, approval_id: RecordId, payload: ApprovalStatusIn):
    return _approval(approvals.change_status(request.auth, approval_id, payload.status, number=payload.number, issued_on=payload.issued_on))


@router.get(
    "/clearance", response={200: ClearanceOut, 404: ErrorOut}, summary="Which approvals a work still needs in a territory and media"
)
def clearance(request, params: Query[ClearanceQuery]):
    work = catalog_selectors.work_for(request.auth, params.work)
    missing = clearance_reads.approvals_missing(work, params.territory.upper(), params.media, params.on, platform=request.auth.organisation)
    return {"work": work.pk, "territory": params.territory.upper(), "media": params.media, "cleared": not missing, "missing": missing}


@router.get("/quotas", response=list[QuotaCounterOut], summary="Quota counters: used / limit")
def quota_counters(request, params: Query[QuotaQuery]):
    return [c.as_dict() for c in quota_usage.quota_counters(request.auth, territory=params.territory, year=params.year)]


# ---------------------------------------------------------------- balance, inbox


@router.get(
    "/balance",
    response={200: BalanceOut, 404: ErrorOut},
    summary="Balance of the exchange: works, hours and money each way, equal-exchange index",
    openapi_extra=download("text/csv", XLSX),
)
def balance(request, params: Query[BalanceQuery]):
    result = balance_reads.balance(request.auth, params.a, params.b, scope=params.scope, by=params.by, start=params.start, end=params.end)
    if params.format == "json":
        return {
            "scope": result.scope,
            "a": result.a,
            "b": result.b,
            "by": result.by,
            "rows": [r.as_dict() for r in result.rows],
            "total": result.total.as_dict(),
        }
    content_type = "text/csv; charset=utf-8" if params.format == "csv" else XLSX
    response = HttpResponse(exports.export_balance(result, params.format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="balance-{params.a}-{params.b}.{params.format}"'
    return response


@router.get("/inbox", response=list[NotificationOut], summary="Notifications for this organisation")
def inbox(request, unread: bool = False):
    return [
        {"id": n.pk, "kind": n.kind, "text": inbox_reads.notification_text(n), "deal": n.deal_id, "created_at": n.created_at, "read": read}
        for n, read in inbox_reads.inbox_page(request.auth, unread_only=unread)
    ]


@router.post("/inbox/read", response=MarkedOut, summary="Mark notifications read")
def mark_read(request, payload: ReadIn):
    return {"marked": notifications.mark_read(request.auth, payload.ids)}
