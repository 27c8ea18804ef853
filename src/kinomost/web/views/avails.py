"""Studio page for EMA avails: upload a file into the rights ledger (every refused row listed),
and download grants as avails. Thin: `rights.avails.records` imports, `from_ledger` exports."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kinomost.core.errors import DomainError, ImportRejected, NotFound
from kinomost.core.spreadsheets import read_upload
from kinomost.parties.roles import WRITE_CATALOGUE
from kinomost.parties.selectors import organisation_by_slug
from kinomost.rights.avails.from_ledger import FORMATS, export_avails
from kinomost.rights.avails.records import import_avails
from kinomost.web.decorators import member_required


class AvailsImportForm(forms.Form):
    file = forms.FileField(label=_("Avails file (XLSX or XML)"))
    licensee = forms.SlugField(label=_("Licensee (organisation id), when the avails are your own"), required=False)


class AvailsExportForm(forms.Form):
    licensee = forms.CharField(label=_("Your grants to (organisation id)"), required=False)
    licensor = forms.CharField(label=_("Or rights you received from (organisation id or licensor name)"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX (v1.9)"), ("xml", "XML (2.5)")])


@member_required
def avails_page(request):
    form = AvailsImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "export_form": AvailsExportForm(initial={"format": "xlsx"})}
    if request.method == "POST":
        request.actor.require(WRITE_CATALOGUE, "import avails")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            slug = form.cleaned_data["licensee"]
            try:
                receiver = organisation_by_slug(slug) if slug else None
                context["result"] = import_avails(request.actor, read_upload(upload), upload.name, licensee=receiver)
            except ImportRejected as exc:
                context["refused"] = exc
    return render(request, "web/avails.html", context)


@member_required
def avails_export(request):
    """The file; or, with `check`, the page saying what the export holds and what the XML
    schema made us fill in (a download cannot show it); nothing to export is said on the page."""
    form = AvailsExportForm(request.GET)
    context = {"form": AvailsImportForm(), "export_form": form}
    if not form.is_valid():
        return render(request, "web/avails.html", context, status=422)
    licensee, licensor, fmt = form.cleaned_data["licensee"], form.cleaned_data["licensor"], form.cleaned_data["format"]
    try:
        exported = export_avails(
            request.actor,
            fmt,
            licensee=organisation_by_slug(licensee) if licensee else None,
            licensor=_counterparty(licensor) if licensor else None,
        )
    except DomainError as exc:
        context["export_refused"] = exc.message
        return render(request, "web/avails.html", context, status=exc.status_code)
    if "check" in request.GET:
        context["exported"] = exported
        context["download_query"] = request.GET.copy()
        context["download_query"].pop("check")
        return render(request, "web/avails.html", context)
    content_type, extension = FORMATS[fmt]
    response = HttpResponse(exported.data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="avails-{request.actor.organisation.slug}.{extension}"'
    return response


def _counterparty(value: str):
    try:
        return organisation_by_slug(value)
    except NotFound:
        return value
