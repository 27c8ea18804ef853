"""Studio downloads of MEC metadata: one work's file, and an offer's package for the buyer."""

from django.http import HttpResponse

from kinomost.catalog.mec.exporting import offer_mec_zip, work_mec
from kinomost.exchange import selectors as exchange_selectors
from kinomost.web.decorators import member_required


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required
def work_mec_download(request, work_id: int):
    """Any work the member may see (their own, or listed); others are "no such work"."""
    name, data = work_mec(request.actor, work_id)
    return _attachment(data, "application/xml; charset=utf-8", name)


@member_required
def offer_mec_download(request, offer_id: int):
    """ "Metadata for the buyer": the MEC files of the offer's works the member may see, zipped."""
    offer = exchange_selectors.offer_for(request.actor, offer_id)
    data, _export = offer_mec_zip(request.actor, offer)
    return _attachment(data, "application/zip", f"offer-{offer.pk}-mec.zip")
