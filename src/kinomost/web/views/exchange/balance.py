"""The balance dashboard: what two organisations or countries licensed each other, per period,
with the chart's numbers and CSV/XLSX exports."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render

from kinomost.core.errors import DomainError
from kinomost.core.territories import territory_name
from kinomost.exchange import balance, exports, selectors
from kinomost.parties.selectors import organisation_by_slug, organisation_name
from kinomost.web.decorators import member_required
from kinomost.web.views.exchange.forms import BalanceForm
from kinomost.web.views.exchange.presenters import balance_row, chart, other_party


@member_required
def balance_page(request):
    form = BalanceForm(
        request.GET or None,
        initial={"a": request.actor.organisation.slug, "start": date(date.today().year, 1, 1), "end": date(date.today().year + 1, 1, 1)},
    )
    form.is_valid()
    d = getattr(form, "cleaned_data", {})
    scope = d.get("scope") or "organisation"
    a = d.get("a") or (request.actor.organisation.slug if scope == "organisation" else request.actor.organisation.country)
    b = d.get("b") or ""
    by = d.get("by") or "quarter"
    context = {"form": form, "scope": scope, "a": a, "b": b, "by": by}
    if b:
        try:
            result = balance.balance(request.actor, a, b, scope=scope, by=by, start=d.get("start"), end=d.get("end"))
        except DomainError as exc:
            context["problem"] = exc.message
        else:
            fmt = request.GET.get("format")
            if fmt in ("csv", "xlsx"):
                return _export(result, fmt)
            a_name, b_name = _side_name(result.a, scope), _side_name(result.b, scope)
            context.update(
                result=result,
                a_name=a_name,
                b_name=b_name,
                rows=[balance_row(r) for r in [*result.rows, result.total]],
                chart={**chart(result), "a": a_name, "b": b_name},
                query=request.GET.urlencode(),
            )
    else:
        context["partners"] = _partners(request.actor)
    return render(request, "web/exchange/balance.html", context)


def _side_name(side: str, scope: str) -> str:
    """A side of the comparison as the reader names it (an organisation's name, a country's),
    not its slug or code."""
    if scope == "country":
        return territory_name(side)
    try:
        return organisation_name(organisation_by_slug(side))
    except DomainError:
        return side


def _export(result, fmt: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(exports.export_balance(result, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="balance-{result.a}-{result.b}-{result.by}.{fmt}"'
    return response


def _partners(actor) -> list:
    """Organisations the actor has signed deals with: the first comparisons worth making."""
    seen = {}
    for d in selectors.deals_of(actor).filter(signed_on__isnull=False):
        other = other_party(d, actor.organisation_id)
        seen[other.pk] = other
    return list(seen.values())
