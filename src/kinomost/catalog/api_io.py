"""Import and export of works over the API."""

from django.http import HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from kinomost.api_types import XLSX, download
from kinomost.catalog.io import export_works, import_works
from kinomost.core.spreadsheets import read_upload
from kinomost.parties.roles import WRITE_CATALOGUE

router = Router(tags=["catalogue"])


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    dry_run: bool


@router.post(
    "/works/import", response=ImportOut, summary="Import works from CSV or XLSX; any bad row refuses the file (422, every problem listed)"
)
def import_endpoint(request, file: File[UploadedFile], encoding: Form[str] = "", dry_run: Form[bool] = False):
    actor = request.auth
    actor.require(WRITE_CATALOGUE, "import works")
    result = import_works(
        read_upload(file), file.name or "upload.csv", actor.organisation, actor=actor, encoding=encoding or None, dry_run=dry_run
    )
    return {"rows": result.rows, "created": result.created, "updated": result.updated, "dry_run": dry_run}


@router.get(
    "/works/export",
    response={200: None},
    summary="This organisation's works as CSV or XLSX, in the import format",
    openapi_extra=download("text/csv", XLSX),
)
def export_endpoint(request, format: str = "csv"):
    fmt = "xlsx" if format == "xlsx" else "csv"
    data = export_works(request.auth.organisation, fmt)
    kind = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="works-{request.auth.organisation.slug}.{fmt}"'
    return response
