"""EMA avails over the API: upload a file into the ledger, download grants as avails."""

import json

from django.http import HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from kinomost.api_types import ErrorOut, download
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.core.spreadsheets import read_upload
from kinomost.parties.models import Organisation
from kinomost.parties.roles import WRITE_CATALOGUE
from kinomost.parties.selectors import organisation_by_slug
from kinomost.rights.avails.from_ledger import FORMATS, export_avails
from kinomost.rights.avails.records import import_avails

router = Router(tags=["rights"])


class AvailsImportOut(Schema):
    rows: int
    role: str
    terms_created: int
    terms_already_recorded: int
    rows_skipped: int
    works_created: int
    works_matched: int
    warnings: list[dict]


@router.post(
    "/import",
    response=AvailsImportOut,
    summary="Import EMA avails (xlsx 1.7.3-1.9 or XML 2.x) into the ledger; any bad or refused row refuses the file (422, every problem listed)",
)
def import_endpoint(request, file: File[UploadedFile], licensee: Form[str] = ""):
    actor = request.auth
    actor.require(WRITE_CATALOGUE, "import avails")
    receiver = organisation_by_slug(licensee) if licensee else None
    return import_avails(actor, read_upload(file), file.name or "avails", licensee=receiver).as_dict()


@router.get(
    "/export",
    response={200: None, 404: ErrorOut},
    openapi_extra=download(*sorted({media for media, _ in FORMATS.values()})),
    summary="Your grants to `licensee`, or what `licensor` (a slug, or an outside licensor's name) granted you, as EMA avails; "
    "header X-Avails-Notes: JSON list of what the XML schema required that the ledger did not say, and how it was filled; "
    "nothing to export is 422",
)
def export_endpoint(request, licensee: str = "", licensor: str = "", format: str = "xlsx"):
    actor = request.auth
    if format not in FORMATS:
        raise InvalidInput("format is xlsx or xml", details={"format": "xlsx or xml"})
    receiver = organisation_by_slug(licensee) if licensee else None
    exported = export_avails(actor, format, licensee=receiver, licensor=counterparty(licensor) if licensor else None)
    content_type, extension = FORMATS[format]
    response = HttpResponse(exported.data, content_type=content_type)
    response["X-Avails-Notes"] = json.dumps(exported.notes)  # ASCII: non-Latin text is \u-escaped
    response["Content-Disposition"] = f'attachment; filename="avails-{actor.organisation.slug}.{extension}"'
    return response


def counterparty(value: str) -> Organisation | str:
    """A Kinomost organisation by slug, else an outside licensor's name as its avails gave it."""
    try:
        return organisation_by_slug(value)
    except NotFound:
        return value
