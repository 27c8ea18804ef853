"""Studio pages to import works from a file and to download the catalogue."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.io import export_works, import_works
from kinomost.core.errors import ImportRejected
from kinomost.core.spreadsheets import read_upload
from kinomost.parties.roles import WRITE_CATALOGUE
from kinomost.web.decorators import member_required


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV)"),
        required=False,
        choices=[("", _("detect")), ("utf-8", "UTF-8"), ("cp1251", "Windows-1251"), ("gb18030", "GB18030")],
    )
    dry_run = forms.BooleanField(label=_("Only check, write nothing"), required=False)


@member_required
def import_page(request):
    request.actor.require(WRITE_CATALOGUE, "import works")
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = import_works(
                read_upload(upload),
                upload.name,
                request.actor.organisation,
                actor=request.actor,
                encoding=form.cleaned_data["encoding"] or None,
                dry_run=form.cleaned_data["dry_run"],
            )
            context["dry_run"] = form.cleaned_data["dry_run"]
        except ImportRejected as exc:
            context["refused"] = exc
    return render(request, "catalog/import.html", context)


@member_required
def export_download(request):
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    data = export_works(request.actor.organisation, fmt)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="works-{request.actor.organisation.slug}.{fmt}"'
    return response
