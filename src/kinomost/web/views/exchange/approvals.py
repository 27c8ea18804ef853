"""Studio pages of approvals (registrations, distribution licences) and quota counters."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinomost.catalog import selectors as catalog
from kinomost.core.errors import DomainError, InvalidInput, NotFound
from kinomost.core.ids import record_id
from kinomost.exchange import approvals, clearance, proposals, quota_usage
from kinomost.exchange.choices import ApprovalStatus
from kinomost.web.decorators import member_required
from kinomost.web.views.exchange.forms import ApprovalForm
from kinomost.web.views.exchange.presenters import language


@member_required
def approval_list(request):
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            work_id = _approval_work(request.actor, d["work"].strip())
            approvals.record_approval(
                request.actor,
                work_id=work_id,
                territory=d["territory"],
                kind=d["kind"],
                status=d["status"],
                number=d["number"],
                issued_on=d["issued_on"],
                platform=d["platform"] or None,
            )
            messages.success(request, _("Approval recorded."))
            return redirect("web:exchange-approvals")
        except DomainError as exc:
            form.add_error(None, exc.message)
    lang = language()
    rows = [
        {"approval": a, "title": catalog.display_title(a.work, lang)}
        for a in clearance.approvals_of(request.actor).prefetch_related("work__localizations")
    ]
    return render(request, "web/exchange/approvals.html", {"form": form, "rows": rows, "statuses": ApprovalStatus.choices})


def _approval_work(actor, ref: str) -> int:
    """An id, or a reference among works the organisation owns or holds rights on (the service
    decides whether it may record an approval for it)."""
    if (pk := record_id(ref)) is not None:
        return pk
    found = proposals.catalogue_of(actor.organisation).filter(ref=ref).values_list("pk", flat=True).first()
    if found is None:
        raise InvalidInput(_("No such work."))
    return found


@require_POST
@member_required
def approval_status(request, approval_id: int):
    if not clearance.approvals_of(request.actor).filter(pk=approval_id).exists():
        raise NotFound(_("No such approval."))
    try:
        approvals.change_status(request.actor, approval_id, request.POST.get("status", ""))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect("web:exchange-approvals")


@member_required
def quota_page(request):
    try:
        year = int(request.GET.get("year") or date.today().year)
    except ValueError:
        year = date.today().year
    territory = (request.GET.get("territory") or "").upper()[:2] or None
    counters = quota_usage.quota_counters(request.actor, territory=territory, year=year)
    rows = [
        {"counter": c, "percent": min(100, int(float(c.used) * 100 / float(c.limit))) if c.used is not None and c.limit else 0}
        for c in counters
    ]
    return render(request, "web/exchange/quotas.html", {"rows": rows, "year": year, "territory": territory or ""})
