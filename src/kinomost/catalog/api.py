"""Catalogue endpoints. Thin: parse, call a selector or service, shape the answer."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema, Status

from kinomost.api_types import Count, Offset, RecordId, limit_field
from kinomost.catalog import search, selectors, services
from kinomost.catalog.models import Work
from kinomost.parties.roles import WRITE_CATALOGUE

router = Router(tags=["catalogue"])


class RatingOut(Schema):
    territory: str
    system: str
    value: str


class CreditOut(Schema):
    role: str
    name: str
    character: str


class WorkOut(Schema):
    id: int
    ref: str
    kind: str
    owner: str
    parent_id: int | None
    number: int | None
    original_title: str
    original_language: str
    year: int | None
    runtime_minutes: int | None
    countries: list[str]
    genres: list[str]
    eidr: str
    is_listed: bool
    titles: dict[str, str]
    synopses: dict[str, str]
    ratings: list[RatingOut]
    credits: list[CreditOut]
    identifiers: dict[str, str]


class WorkSummary(Schema):
    id: int
    ref: str
    kind: str
    year: int | None
    titles: dict[str, str]


class WorkIn(Schema):
    ref: str
    kind: str
    titles: dict[str, str] = Field(default_factory=dict, examples=[{"ru": "Сталинград", "zh-Hans": "斯大林格勒", "en": "Stalingrad"}])
    synopses: dict[str, str] = Field(default_factory=dict)
    original_title: str | None = None
    original_language: str | None = None
    year: Count | None = None
    runtime_minutes: Count | None = None
    countries: list[str] | None = None
    genres: list[str] | None = None
    keywords: list[str] | None = None
    eidr: str | None = None
    parent_ref: str | None = None
    number: Count | None = None
    is_listed: bool | None = None


class ListFilters(Schema):
    kind: str | None = None
    owned: bool = False
    offset: Offset = 0
    limit: int = limit_field(50, 500)


def work_out(work: Work) -> dict:
    locs = list(work.localizations.all())
    return {
        "id": work.pk,
        "ref": work.ref,
        "kind": work.kind,
        "owner": work.owner.slug,
        "parent_id": work.parent_id,
        "number": work.number,
        "original_title": work.original_title,
        "original_language": work.original_language,
        "year": work.year,
        "runtime_minutes": work.runtime_minutes,
        "countries": work.countries,
        "genres": [g.slug for g in work.genres.all()],
        "eidr": work.eidr,
        "is_listed": work.is_listed,
        "titles": {loc.language: loc.title for loc in locs},
        "synopses": {loc.language: loc.synopsis for loc in locs if loc.synopsis},
        "ratings": [{"territory": r.territory, "system": r.system, "value": r.value} for r in work.ratings.all()],
        "credits": [{"role": c.role, "name": c.person.name, "character": c.character} for c in work.credits.all()],
        "identifiers": {i.namespace: i.value for i in work.identifiers.all()},
    }


@router.get("/works", response=list[WorkSummary], summary="Works this organisation may see (its own and listed ones)")
def list_works(request, filters: Query[ListFilters]):
    qs = selectors.owned_works(request.auth) if filters.owned else selectors.visible_works(request.auth)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    qs = selectors.with_localizations(qs.order_by("id"))[filters.offset : filters.offset + filters.limit]
    return [selectors.work_summary(w) for w in qs]


@router.get("/works/{work_id}", response=WorkOut)
def get_work(request, work_id: RecordId):
    return work_out(selectors.work_for(request.auth, work_id))


@router.post("/works", response={200: WorkOut, 201: WorkOut}, summary="Create or update (by ref) a work of this organisation")
def put_work(request, payload: WorkIn):
    actor = request.auth
    actor.require(WRITE_CATALOGUE, "change the catalogue")
    work, created = services.save_work(actor.organisation, services.WorkInput(**payload.dict()), actor=actor)
    return Status(201 if created else 200, work_out(selectors.work_for(actor, work.pk)))


@router.delete("/works/{work_id}", response={204: None})
def delete_work(request, work_id: RecordId):
    actor = request.auth
    actor.require(WRITE_CATALOGUE, "change the catalogue")
    services.delete_work(actor, selectors.work_for(actor, work_id, owned=True))
    return Status(204, None)


class SearchResults(Schema):
    results: list[WorkSummary]


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="any title in any script")
    limit: int = limit_field(20, 100)
    lang: str | None = Field(None, description="interface language of the caller; matching does not depend on it")


def summaries(work_ids: list[int], actor) -> list[dict]:
    """Works in the order given, with all their titles, limited to what the actor may see."""
    works = {w.pk: w for w in selectors.with_localizations(selectors.visible_works(actor).filter(pk__in=work_ids))}
    return [selectors.work_summary(works[i]) for i in work_ids if i in works]


@router.get("/search", response=SearchResults, summary="Find works from any of their titles, in any script")
def search_endpoint(request, params: Query[SearchParams]):
    hits = search.search_works(params.q, actor=request.auth, limit=params.limit, language=params.lang)
    return {"results": summaries([h.work_id for h in hits], request.auth)}


# --- MEC (MovieLabs Media Entertainment Core) metadata: docs/metadata.md ---------------------------
# Imported here, not at the top, so that this section stays one appended block.

from django.http import HttpResponse  # noqa: E402
from django.utils.translation import gettext  # noqa: E402
from ninja import File, Form  # noqa: E402
from ninja.files import UploadedFile  # noqa: E402

from kinomost.catalog.mec import import_mec  # noqa: E402
from kinomost.catalog.mec.exporting import work_mec  # noqa: E402
from kinomost.catalog.mec.reader import MAX_FILE_BYTES  # noqa: E402
from kinomost.core.errors import ImportRejected  # noqa: E402

MEC_API_MAX_FILES = 100  # per request; the CLI takes larger batches


class MecImportedWork(Schema):
    ref: str
    id: int
    created: bool


class MecImportOut(Schema):
    files: int
    created: int
    updated: int
    dry_run: bool
    works: list[MecImportedWork]


@router.get(
    "/works/{work_id}/mec",
    summary="One work as a MEC XML file (a work this organisation may see)",
    openapi_extra={"responses": {200: {"description": "mdmec:CoreMetadata, one work", "content": {"application/xml": {}}}}},
)
def get_work_mec(request, work_id: int):
    name, data = work_mec(request.auth, work_id)
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post(
    "/works/mec/import",
    response=MecImportOut,
    summary="Create or update works from MEC XML files (at most 100, 10 MB each); any bad file refuses all (422, every problem listed)",
)
def import_mec_endpoint(request, files: File[list[UploadedFile]], dry_run: Form[bool] = False):
    actor = request.auth
    actor.require(WRITE_CATALOGUE, "import works")
    too_big = [f.name for f in files if f.size > MAX_FILE_BYTES]
    if too_big:
        message = gettext("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // 2**20}
        raise ImportRejected(message, problems=[{"file": name, "element": "", "line": 0, "message": message} for name in too_big])
    result = import_mec(
        [(f.name or "upload.xml", f.read()) for f in files], actor.organisation, actor=actor, dry_run=dry_run, max_files=MEC_API_MAX_FILES
    )
    return {"files": result.files, "created": result.created, "updated": result.updated, "dry_run": dry_run, "works": result.works}
