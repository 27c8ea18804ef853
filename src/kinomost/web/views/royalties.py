"""The studio's royalty page: the organisation's statements for a period — as licensor what it is
owed, as licensee what it owes (tenancy: royalties.statements.contracts_between) — with each
statement's XLSX and PDF in the interface language."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy

from kinomost.core.errors import DomainError
from kinomost.royalties import export, statements
from kinomost.royalties.api import CONTENT_TYPES
from kinomost.web.decorators import member_required
from kinomost.web.pickers import OrganisationPicker


class StatementForm(forms.Form):
    period = forms.CharField(label=gettext_lazy("Period"), max_length=7, help_text=gettext_lazy("2027-04, 2027-Q1, 2027-H1 or 2027"))
    counterparty = forms.CharField(label=gettext_lazy("Counterparty"), max_length=64, required=False, widget=OrganisationPicker())


def _organisation_names(slugs) -> dict[str, str]:
    """A statement names its parties by slug (or a licensor outside Kinomost by its name): the page names them."""
    from kinomost.parties.models import Organisation

    found = dict(Organisation.objects.filter(slug__in=set(slugs)).values_list("slug", "name"))
    return {slug: found.get(slug, slug) for slug in slugs}


@member_required
def statements_page(request):
    form = StatementForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        d = form.cleaned_data
        try:
            found = statements.statements_for(request.actor, d["period"], counterparty=d["counterparty"] or None)
        except DomainError as exc:
            context["problem"] = exc.message
        else:
            fmt = request.GET.get("format")
            if fmt in ("xlsx", "pdf") and found:
                try:
                    data = export.render(found, fmt, (get_language() or "en").lower())
                except DomainError as exc:
                    context["problem"] = exc.message
                else:
                    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
                    response["Content-Disposition"] = f'attachment; filename="royalties-{d["period"]}.{fmt}"'
                    return response
            org = request.actor.organisation
            names = _organisation_names([slug for doc in found for slug in (doc["licensor"], doc["licensee"])])
            context.update(
                found=[
                    {
                        "doc": doc,
                        "owed": doc["licensor"] == org.slug,
                        "other": names.get(doc["licensee"] if doc["licensor"] == org.slug else doc["licensor"]),
                    }
                    for doc in found
                ],
                query=request.GET.urlencode(),
            )
    return render(request, "web/royalties/statements.html", context)
