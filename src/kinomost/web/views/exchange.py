"""Studio pages of the exchange: offers and packages, deals (versions, thread, steps as buttons,
the grants a signature created), approvals, quota counters, the balance dashboard and the inbox.
Thin: the exchange's services write and its selectors read; a refusal (rights conflicts, a quota,
missing approvals, a step that is not ours) is shown as words and a table, never a traceback."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinomost.catalog import selectors as catalog
from kinomost.catalog.models import Work, WorkKind
from kinomost.core.errors import DomainError, InvalidInput, NotFound
from kinomost.core.ids import record_id
from kinomost.core.languages import from_interface_code
from kinomost.exchange import approvals, deals, exports, notifications, offers, proposals, selectors
from kinomost.exchange.errors import ApprovalsMissing, QuotaExceeded, SigningRefused
from kinomost.exchange.models import ApprovalKind, ApprovalStatus, DealState
from kinomost.rights.models import Contract
from kinomost.web.decorators import member_required
from kinomost.web.pickers import HINT_MANY, OrganisationPicker, PickerTextarea, TerritoryPicker, WorkPicker
from kinomost.core.widgets import IsoDateInput

STEP_LABELS = {
    "propose": gettext_lazy("Propose"),
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "withdraw": gettext_lazy("Withdraw"),
    "call_off": gettext_lazy("Call off"),
    "sign": gettext_lazy("Sign"),
    "activate": gettext_lazy("Activate"),
    "terminate": gettext_lazy("Terminate"),
}
REASON_LABELS = {
    "missing_holding": gettext_lazy("not held with the right to sublicense"),
    "conflicting_grant": gettext_lazy("already granted"),
    "holdback": gettext_lazy("held back"),
}


def _language() -> str:
    return from_interface_code(get_language() or "en")


# ---------------------------------------------------------------- forms


class ProposalForm(forms.Form):
    """One term (every work of the package under it) and the money: what a page can say in one form."""

    works = forms.CharField(label=gettext_lazy("Works (references or ids, one per line)"), required=False,
                            widget=PickerTextarea("works"))
    territories = forms.CharField(label=gettext_lazy("Territories"), help_text=HINT_MANY, initial="CN", widget=TerritoryPicker(multiple=True))
    territories_excluded = forms.CharField(label=gettext_lazy("Excluded territories"), required=False, widget=TerritoryPicker(multiple=True))
    media = forms.CharField(label=gettext_lazy("Media"), help_text="svod; theatrical; tv", initial="svod")
    start = forms.DateField(label=gettext_lazy("Start"), widget=IsoDateInput())
    end = forms.DateField(label=gettext_lazy("End"), required=False, widget=IsoDateInput())
    exclusive = forms.BooleanField(label=gettext_lazy("Exclusive"), required=False)
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, initial="USD")
    fee_per_work = forms.DecimalField(label=gettext_lazy("Fee per work"), min_value=0, required=False)
    flat_fee = forms.DecimalField(label=gettext_lazy("Flat fee for the package"), min_value=0, required=False)
    revenue_share = forms.DecimalField(label=gettext_lazy("Revenue share (%)"), min_value=0, max_value=100, required=False)
    minimum_guarantee = forms.DecimalField(label=gettext_lazy("Minimum guarantee"), min_value=0, required=False)

    def work_refs(self) -> list[str]:
        return [r.strip() for r in self.cleaned_data["works"].replace(",", "\n").splitlines() if r.strip()]

    def term(self) -> dict:
        d = self.cleaned_data
        return {"territories": _split(d["territories"]), "territories_excluded": _split(d["territories_excluded"]),
                "media": _split(d["media"]), "start": d["start"].isoformat(), "end": d["end"].isoformat() if d["end"] else None,
                "exclusive": d["exclusive"]}

    def proposal(self, works) -> proposals.ProposalInput:
        d = self.cleaned_data
        return proposals.ProposalInput(works=works, terms=[self.term()], currency=d["currency"],
                                       **{f: d[f] or 0 for f in proposals.MONEY_FIELDS})

    @classmethod
    def initial_from(cls, version) -> dict:
        term = version.terms[0]
        return {"works": "\n".join(w.ref for w in version.works.all()), "territories": "; ".join(term["territories"]),
                "territories_excluded": "; ".join(term.get("territories_excluded") or []), "media": "; ".join(term["media"]),
                "start": term["start"], "end": term.get("end"), "exclusive": term.get("exclusive", False),
                "currency": version.currency, **{f: getattr(version, f) for f in proposals.MONEY_FIELDS}}


class OfferForm(ProposalForm):
    name = forms.CharField(label=gettext_lazy("Name of the package"), max_length=200)
    message = forms.CharField(label=gettext_lazy("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expires_on = forms.DateField(label=gettext_lazy("Offer expires on"), required=False, widget=IsoDateInput())
    filter_kind = forms.ChoiceField(label=gettext_lazy("Filter: kind"), required=False, choices=[("", "—"), *WorkKind.choices])
    filter_genre = forms.CharField(label=gettext_lazy("Filter: genre"), required=False)
    filter_year_from = forms.IntegerField(label=gettext_lazy("Filter: from year"), required=False)
    filter_year_to = forms.IntegerField(label=gettext_lazy("Filter: to year"), required=False)
    filter_language = forms.CharField(label=gettext_lazy("Filter: original language"), required=False)
    filter_available = forms.BooleanField(label=gettext_lazy("Filter: only works free for these terms"), required=False)

    field_order = ["name", "works", "filter_kind", "filter_genre", "filter_year_from", "filter_year_to", "filter_language",
                   "filter_available"]

    def package_filter(self) -> offers.PackageFilter | None:
        d = self.cleaned_data
        flt = offers.PackageFilter(kind=d["filter_kind"] or None, genre=d["filter_genre"] or None, year_from=d["filter_year_from"],
                                   year_to=d["filter_year_to"], language=d["filter_language"] or None,
                                   available_for=self.term() if d["filter_available"] else None)
        return flt if flt.as_dict() else None


class SendForm(forms.Form):
    recipients = forms.CharField(label=gettext_lazy("Send to (organisation identifiers, separated by ;)"), help_text=HINT_MANY, widget=OrganisationPicker(multiple=True))


class MessageForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class ApprovalForm(forms.Form):
    work = forms.CharField(label=gettext_lazy("Work (reference or id)"), widget=WorkPicker())
    territory = forms.CharField(label=gettext_lazy("Territory"), max_length=2, widget=TerritoryPicker(countries_only=True))
    kind = forms.ChoiceField(label=gettext_lazy("Approval"), choices=ApprovalKind.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ApprovalStatus.choices, initial=ApprovalStatus.GRANTED)
    number = forms.CharField(label=gettext_lazy("Number"), required=False)
    issued_on = forms.DateField(label=gettext_lazy("Date"), required=False, widget=IsoDateInput())
    platform = forms.CharField(label=gettext_lazy("Platform (organisation identifier, for per-platform registrations)"), required=False, widget=OrganisationPicker())


class BalanceForm(forms.Form):
    scope = forms.ChoiceField(label=gettext_lazy("Compare"), required=False,
                              choices=[("organisation", gettext_lazy("organisations")), ("country", gettext_lazy("countries"))])
    a = forms.CharField(label=gettext_lazy("Side A"), required=False, widget=OrganisationPicker(params="self=1"))
    b = forms.CharField(label=gettext_lazy("Side B"), required=False, widget=OrganisationPicker(params="self=1"))
    by = forms.ChoiceField(label=gettext_lazy("Per"), required=False,
                           choices=[("month", gettext_lazy("month")), ("quarter", gettext_lazy("quarter")), ("year", gettext_lazy("year"))])
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=IsoDateInput())
    end = forms.DateField(label=gettext_lazy("Until"), required=False, widget=IsoDateInput())


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace(",", ";").split(";") if p.strip()]


def _resolve(actor, refs: list[str], licensor) -> list[int]:
    """References or ids → works of the licensor's catalogue (unknown ones are named by the
    proposal's own validation, which never confirms another's private work)."""
    by_ref = dict(proposals.catalogue_of(licensor).filter(ref__in=refs).values_list("ref", "pk"))
    unknown = [r for r in refs if r not in by_ref and record_id(r) is None]
    if unknown:
        raise InvalidInput(_("Not in the licensor's catalogue: %(works)s") % {"works": ", ".join(unknown)}, details={"works": ", ".join(unknown)})
    return [by_ref.get(r) or record_id(r) for r in refs]


# ---------------------------------------------------------------- deals and offers


@member_required
def exchange_home(request):
    state = request.GET.get("state") if request.GET.get("state") in DealState.values else None
    role = request.GET.get("role") if request.GET.get("role") in ("licensor", "licensee") else None
    rows = [{"deal": d, "party": _party_label(d.party_of(request.actor.organisation_id)),
             "other": d.licensee if d.licensor_id == request.actor.organisation_id else d.licensor}
            for d in selectors.deals_of(request.actor, state=state, role=role)[:200]]
    return render(request, "web/exchange/home.html", {
        "rows": rows, "offers": selectors.offers_of(request.actor)[:100], "state": state or "", "role": role or "",
        "states": DealState.choices,
    })


def _party_label(party: str | None) -> str:
    return {"licensor": _("licensor"), "licensee": _("licensee")}.get(party or "", "")


@member_required
def offer_new(request):
    form = OfferForm(request.POST or None, initial={"start": date(date.today().year + 1, 1, 1)})
    if request.method == "POST" and form.is_valid():
        try:
            works = _resolve(request.actor, form.work_refs(), request.actor.organisation)
            offer = offers.create_offer(request.actor, name=form.cleaned_data["name"], proposal=form.proposal(works),
                                        package_filter=form.package_filter(), message=form.cleaned_data["message"],
                                        expires_on=form.cleaned_data["expires_on"])
            return redirect("web:exchange-offer", offer_id=offer.pk)
        except InvalidInput as exc:
            _add_problems(form, exc)
    return render(request, "web/exchange/offer_new.html", {"form": form})


def _add_problems(form, exc: InvalidInput) -> None:
    details = exc.field_problems()
    placed = False
    for name, text in details.items():
        field = {"terms": "territories", "filter": "filter_kind", "body": "body"}.get(name, name)
        if field in form.fields:
            form.add_error(field, str(text))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@member_required
def offer_detail(request, offer_id: int):
    offer = selectors.offer_for(request.actor, offer_id)
    mine = offer.sender_id == request.actor.organisation_id
    works = list(catalog.with_localizations(Work.objects.filter(pk__in=offer.items.values("work_id"))).prefetch_related("ratings"))
    context = {"offer": offer, "mine": mine, "works": _work_cards(works), "terms": [_term_text(t) for t in offer.terms],
               "form": SendForm(), "money": _money(offer, len(works)),
               "deals": selectors.deals_of(request.actor).filter(offer=offer)}
    return render(request, "web/exchange/offer_detail.html", context)


@require_POST
@member_required
def offer_send(request, offer_id: int):
    offer = selectors.offer_for(request.actor, offer_id)
    form = SendForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose at least one organisation."))
        opened = offers.send_offer(request.actor, offer.pk, _split(form.cleaned_data["recipients"]))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:exchange-offer", offer_id=offer.pk)
    messages.success(request, _("Sent: %(count)s deals opened.") % {"count": len(opened)})
    return redirect("web:exchange-deal", deal_id=opened[0].pk) if len(opened) == 1 else redirect("web:exchange-offer", offer_id=offer.pk)


@member_required
def deal_detail(request, deal_id: int, *, refusal=None, status=200, counter_form=None):
    deal = selectors.deal_detail(request.actor, deal_id)
    versions = list(deal.versions.all())
    latest = versions[-1]
    works = [i.work for i in latest.items.all()]
    steps = deals.steps_for(request.actor, deal)
    contracts = list(Contract.objects.filter(pk__in=deal.contracts.values("pk")).prefetch_related("terms"))
    context = {
        "deal": deal,
        "party": _party_label(deal.party_of(request.actor.organisation_id)),
        "other": deal.licensee if deal.licensor_id == request.actor.organisation_id else deal.licensor,
        "versions": [{"version": v, "terms": [_term_text(t) for t in v.terms], "money": _money(v, v.items.count()),
                      "count": len(v.items.all())} for v in reversed(versions)],
        "latest": latest,
        "works": _work_cards(list(catalog.with_localizations(Work.objects.filter(pk__in=[w.pk for w in works])).prefetch_related("ratings")),
                             availability=_availability(deal, latest, works)),
        "buttons": [(s, STEP_LABELS[s]) for s in steps if s in STEP_LABELS],
        "can_counter": "counter" in steps,
        "can_select": "accept" in steps,
        "contracts": contracts,
        "thread": deal.messages.all(),
        "message_form": MessageForm() if deals.may_post_message(request.actor) else None,
        "counter_form": counter_form,
        "refusal": refusal,
        "today": date.today(),
    }
    return render(request, "web/exchange/deal_detail.html", context, status=status)


def _availability(deal, version, works) -> dict[int, bool]:
    """Whether the licensor could grant each work on these terms now (what signing will check)."""
    if deal.state not in (DealState.PROPOSED, DealState.COUNTERED, DealState.AGREED, DealState.DRAFT) or not works:
        return {}
    blocked = {c["work"] for c in deals.conflicts_of(deal.licensor, works, version.terms)}
    return {w.pk: w.pk not in blocked for w in works}


_STEP_CALLS = {
    "propose": lambda actor, pk, post: deals.propose(actor, pk),
    "reject": lambda actor, pk, post: deals.reject(actor, pk, reason=post.get("reason", "")),
    "withdraw": lambda actor, pk, post: deals.withdraw(actor, pk),
    "call_off": lambda actor, pk, post: deals.call_off(actor, pk, reason=post.get("reason", "")),
    "sign": lambda actor, pk, post: deals.sign(actor, pk, on_date=post.get("on_date") or None),
    "activate": lambda actor, pk, post: deals.activate(actor, pk, on_date=post.get("on_date") or None),
    "terminate": lambda actor, pk, post: deals.terminate(actor, pk, on_date=post.get("on_date") or None, reason=post.get("reason", "")),
    "accept": lambda actor, pk, post: deals.accept(actor, pk, works=post.getlist("works") or None),
}


@require_POST
@member_required
def deal_step(request, deal_id: int, step: str):
    selectors.deal_detail(request.actor, deal_id)  # 404 for others before anything else
    if step not in _STEP_CALLS:
        raise InvalidInput(_("Unknown step."))
    try:
        result = _STEP_CALLS[step](request.actor, deal_id, request.POST)
    except DomainError as exc:
        return deal_detail.__wrapped__(request, deal_id, refusal=_refusal(exc), status=exc.status_code)
    for warning in getattr(result, "warnings", []):
        messages.warning(request, _("Quota %(name)s (%(year)s): %(after)s of %(limit)s.") % warning)
    messages.success(request, _("Done: %(step)s.") % {"step": STEP_LABELS[step]})
    return redirect("web:exchange-deal", deal_id=deal_id)


def _refusal(exc: DomainError) -> dict:
    """A refusal as the page writes it: the sentence and, where the service listed them, one row
    per conflict, quota or missing approval."""
    details = exc.details
    if isinstance(exc, SigningRefused):
        titles = _titles({d["work"] for d in details})
        rows = [{**d, "title": titles.get(d["work"], d.get("work_ref")), "reason_text": REASON_LABELS.get(d.get("reason"), d.get("reason"))}
                for d in details]
        return {"message": exc.message, "kind": "conflicts", "rows": rows}
    if isinstance(exc, QuotaExceeded):
        return {"message": exc.message, "kind": "quota", "rows": details}
    if isinstance(exc, ApprovalsMissing):
        titles = _titles({d["work"] for d in details})
        labels = dict(ApprovalKind.choices)
        rows = [{**d, "title": titles.get(d["work"], d.get("work_ref")), "approval_text": labels.get(d["approval"], d["approval"])} for d in details]
        return {"message": exc.message, "kind": "approvals", "rows": rows}
    return {"message": exc.message, "kind": "plain", "rows": []}


def _titles(ids) -> dict[int, str]:
    language = _language()
    return {w.pk: catalog.display_title(w, language) for w in catalog.with_localizations(Work.objects.filter(pk__in=ids))}


@member_required
def deal_counter(request, deal_id: int):
    deal = selectors.deal_detail(request.actor, deal_id)
    latest = list(deal.versions.all())[-1]
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_from(latest))
    note = request.POST.get("note", "")
    if request.method == "POST" and form.is_valid():
        try:
            works = _resolve(request.actor, form.work_refs(), deal.licensor)
            deals.counter(request.actor, deal.pk, form.proposal(works), note=note)
            messages.success(request, _("Counter-proposal sent."))
            return redirect("web:exchange-deal", deal_id=deal.pk)
        except InvalidInput as exc:
            _add_problems(form, exc)
        except DomainError as exc:
            return deal_detail.__wrapped__(request, deal_id, refusal=_refusal(exc), status=exc.status_code)
    return render(request, "web/exchange/counter.html", {"deal": deal, "form": form, "note": note})


@require_POST
@member_required
def deal_message(request, deal_id: int):
    selectors.deal_detail(request.actor, deal_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A message cannot be empty."))
    else:
        try:
            deals.post_message(request.actor, deal_id, form.cleaned_data["body"])
        except DomainError as exc:  # a read-only member: said on the deal's page, nothing posted
            messages.error(request, exc.message)
    return redirect(reverse("web:exchange-deal", args=[deal_id]) + "#thread")


def _term_text(term: dict) -> dict:
    excluded = term.get("territories_excluded") or []
    return {"territories": ", ".join(term["territories"]) + (f" − {', '.join(excluded)}" if excluded else ""),
            "media": ", ".join(term["media"]), "start": term["start"], "end": term.get("end") or _("open"),
            "exclusive": term.get("exclusive", False),
            "languages": ", ".join(f"{x['language']} ({x['use']})" for x in term.get("languages") or [])}


def _money(obj, count: int) -> dict:
    return {"currency": obj.currency, "fee_per_work": obj.fee_per_work, "flat_fee": obj.flat_fee, "revenue_share": obj.revenue_share,
            "minimum_guarantee": obj.minimum_guarantee, "committed": proposals.committed_money(obj, count)}


def _work_cards(works, availability=None) -> list[dict]:
    """What a buyer browses in its own language: title, synopsis, poster, runtime, ratings,
    and — on an open deal — whether the seller can still grant it."""
    language = _language()
    availability = availability or {}
    return [{"work": w, "title": catalog.display_title(w, language), "synopsis": catalog.display_synopsis(w, language),
             "ratings": ", ".join(f"{r.territory} {r.value}" for r in w.ratings.all()), "available": availability.get(w.pk)}
            for w in sorted(works, key=lambda w: (w.year or 0, w.ref))]


# ---------------------------------------------------------------- approvals and quotas


@member_required
def approval_list(request):
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            work_id = _approval_work(request.actor, d["work"].strip())
            approvals.record_approval(request.actor, work_id=work_id, territory=d["territory"], kind=d["kind"], status=d["status"],
                                      number=d["number"], issued_on=d["issued_on"], platform=d["platform"] or None)
            messages.success(request, _("Approval recorded."))
            return redirect("web:exchange-approvals")
        except DomainError as exc:
            form.add_error(None, exc.message)
    language = _language()
    rows = [{"approval": a, "title": catalog.display_title(a.work, language)}
            for a in selectors.approvals_of(request.actor).prefetch_related("work__localizations")]
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
    if not selectors.approvals_of(request.actor).filter(pk=approval_id).exists():
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
    counters = selectors.quota_counters(request.actor, territory=territory, year=year)
    rows = [{"counter": c, "percent": min(100, int(float(c.used) * 100 / float(c.limit))) if c.used is not None and c.limit else 0}
            for c in counters]
    return render(request, "web/exchange/quotas.html", {"rows": rows, "year": year, "territory": territory or ""})


# ---------------------------------------------------------------- balance


@member_required
def balance_page(request):
    form = BalanceForm(request.GET or None, initial={"a": request.actor.organisation.slug, "start": date(date.today().year, 1, 1), "end": date(date.today().year + 1, 1, 1)})
    form.is_valid()
    d = getattr(form, "cleaned_data", {})
    scope = d.get("scope") or "organisation"
    a = d.get("a") or (request.actor.organisation.slug if scope == "organisation" else request.actor.organisation.country)
    b = d.get("b") or ""
    by = d.get("by") or "quarter"
    context = {"form": form, "scope": scope, "a": a, "b": b, "by": by}
    if b:
        try:
            result = selectors.balance(request.actor, a, b, scope=scope, by=by, start=d.get("start"), end=d.get("end"))
        except DomainError as exc:
            context["problem"] = exc.message
        else:
            fmt = request.GET.get("format")
            if fmt in ("csv", "xlsx"):
                return _export(result, fmt)
            context.update(result=result, rows=[_balance_row(r) for r in [*result.rows, result.total]],
                           chart=_chart(result), query=request.GET.urlencode())
    else:
        context["partners"] = _partners(request.actor)
    return render(request, "web/exchange/balance.html", context)


def _export(result, fmt: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(exports.export_balance(result, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="balance-{result.a}-{result.b}-{result.by}.{fmt}"'
    return response


def _balance_row(row) -> dict:
    index = row.index()
    currencies = sorted(set(row.a_to_b.money) | set(row.b_to_a.money))
    return {"row": row, "works_ab": len(row.a_to_b.works), "works_ba": len(row.b_to_a.works),
            "index_works": index["works"], "index_hours": index["hours"],
            "money": [{"currency": c, "ab": row.a_to_b.money.get(c, 0), "ba": row.b_to_a.money.get(c, 0),
                       "index": index.get(f"money_{c}")} for c in currencies]}


def _chart(result) -> dict:
    """The numbers the browser draws (chart.js): works and hours each way per period."""
    return {"labels": [r.period for r in result.rows], "a": result.a, "b": result.b,
            "works_ab": [len(r.a_to_b.works) for r in result.rows], "works_ba": [len(r.b_to_a.works) for r in result.rows],
            "hours_ab": [float(r.a_to_b.hours) for r in result.rows], "hours_ba": [float(r.b_to_a.hours) for r in result.rows]}


def _partners(actor) -> list:
    """Organisations the actor has signed deals with: the first comparisons worth making."""
    seen = {}
    for d in selectors.deals_of(actor).filter(signed_on__isnull=False):
        other = d.licensee if d.licensor_id == actor.organisation_id else d.licensor
        seen[other.pk] = other
    return list(seen.values())


# ---------------------------------------------------------------- inbox


@member_required
def inbox_page(request):
    unread_only = request.GET.get("unread") == "1"
    rows = [{"n": n, "read": read, "text": selectors.notification_text(n)} for n, read in selectors.inbox_page(request.actor, unread_only=unread_only)]
    return render(request, "web/exchange/inbox.html", {"rows": rows, "unread_only": unread_only})


@require_POST
@member_required
def inbox_read(request):
    ids = [pk for pk in map(record_id, request.POST.getlist("ids")) if pk is not None]
    if request.POST.get("all"):
        ids = [n.pk for n, read in selectors.inbox_page(request.actor, unread_only=True)]
    elif not ids:
        raise InvalidInput(_("Choose the notices to mark read."))
    if ids:
        notifications.mark_read(request.actor, ids)
    return redirect("web:exchange-inbox")
