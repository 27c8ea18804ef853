"""Studio pages of deals and offers: the exchange's list, an offer (new, shown, sent), a deal
(versions, thread, steps as buttons, the grants a signature created), a counter-proposal.
Thin: the exchange's services write and its selectors read; a refusal (rights conflicts, a quota,
missing approvals, a step that is not ours) is shown as words and a table, never a traceback."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinomost.catalog import selectors as catalog
from kinomost.core.errors import DomainError, InvalidInput, NotFound
from kinomost.exchange import deals, offers, selectors
from kinomost.core.ids import record_id
from kinomost.core.periods import Period
from kinomost.exchange.choices import DealState, OfferStatus
from kinomost.exchange.proposals import ProposalInput
from kinomost.rights import availability as avail
from kinomost.rights.forms import FindForm
from kinomost.exchange.errors import ConfirmationNeeded
from kinomost.exchange.steps import SIGNATURES, take_step
from kinomost.exchange.summary import quota_forecast, quota_sentence, signing_sentences
from kinomost.web.decorators import member_required
from kinomost.web.views.exchange import presenters as present
from kinomost.web.views.exchange.forms import (
    MessageForm,
    OfferForm,
    ProposalForm,
    SendForm,
    add_problems,
    resolve_works,
    split_list,
    step_input,
)


@member_required
def exchange_home(request):
    state = request.GET.get("state") if request.GET.get("state") in DealState.values else None
    role = request.GET.get("role") if request.GET.get("role") in ("licensor", "licensee") else None
    org = request.actor.organisation_id
    rows = [
        {"deal": d, "party": present.party_label(d.party_of(org)), "other": present.other_party(d, org)}
        for d in selectors.deals_of(request.actor, state=state, role=role)[:200]
    ]
    return render(
        request,
        "web/exchange/home.html",
        {
            "rows": rows,
            "offers": selectors.offers_of(request.actor)[:100],
            "state": state or "",
            "role": role or "",
            "states": DealState.choices,
        },
    )


@member_required
def offer_new(request):
    form = OfferForm(request.POST or None, initial={"start": date(date.today().year + 1, 1, 1)})
    if request.method == "POST" and form.is_valid():
        try:
            works = resolve_works(form.work_refs(), request.actor.organisation)
            offer = offers.create_offer(
                request.actor,
                name=form.cleaned_data["name"],
                proposal=form.proposal(works),
                package_filter=form.package_filter(),
                message=form.cleaned_data["message"],
                expires_on=form.cleaned_data["expires_on"],
            )
            return redirect("web:exchange-offer", offer_id=offer.pk)
        except InvalidInput as exc:
            add_problems(form, exc)
    return render(request, "web/exchange/offer_new.html", {"form": form})


@member_required
def offer_edit(request, offer_id: int):
    """A draft offer, rewritten: its works, terms, money, message, expiry (sent: the offer's page)."""
    offer = selectors.offer_for(request.actor, offer_id)
    if offer.sender_id != request.actor.organisation_id or offer.status != OfferStatus.DRAFT:
        return redirect("web:exchange-offer", offer_id=offer.pk)
    initial = {**OfferForm.initial_from(offer), "name": offer.name, "message": offer.message, "expires_on": offer.expires_on}
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            works = resolve_works(form.work_refs(), request.actor.organisation)
            offers.revise_offer(
                request.actor,
                offer.pk,
                name=form.cleaned_data["name"],
                proposal=form.proposal(works),
                message=form.cleaned_data["message"],
                expires_on=form.cleaned_data["expires_on"],
            )
            messages.success(request, _("Offer saved."))
            return redirect("web:exchange-offer", offer_id=offer.pk)
        except InvalidInput as exc:
            add_problems(form, exc)
    return render(request, "web/exchange/offer_new.html", {"form": form, "offer": offer})


@require_POST
@member_required
def offer_from_available(request):
    """ "Find available" → a draft offer of the ticked works (or all found) on the same terms,
    opened for editing: the licensing manager sets the money and sends it. A refusal shows the
    search form again with the reason (422), nothing created."""
    form = FindForm(request.POST)
    if not form.is_valid():
        return _find_refused(request, form, _("The search's terms are not valid: search again."))
    d = form.cleaned_data
    works = [pk for pk in map(record_id, request.POST.getlist("works")) if pk is not None]
    if request.POST.get("all") == "yes":
        works = avail.find_available(
            request.actor,
            d["territory"],
            d["media"],
            Period(d["start"], d["end"]),
            d["exclusive"],
            [d["kind"]] if d["kind"] else None,
            d["languages"],
        )
    if not works:
        return _find_refused(request, form, _("Tick the works to offer."))
    term = {
        "territories": [d["territory"].upper()],
        "media": [d["media"]],
        "start": d["start"].isoformat(),
        "end": d["end"].isoformat() if d["end"] else None,
        "exclusive": d["exclusive"],
        "languages": d["languages"] or [],
    }
    name = _("%(count)s works · %(territory)s · %(media)s · from %(start)s") % {
        "count": len(works),
        "territory": d["territory"].upper(),
        "media": d["media"],
        "start": term["start"],
    }
    try:
        offer = offers.create_offer(request.actor, name=name, proposal=ProposalInput(works=works, terms=[term]))
    except DomainError as exc:
        return _find_refused(request, form, exc.message)
    messages.success(
        request, _("A draft offer of %(count)s works on the searched terms: set its name and money, then send it.") % {"count": len(works)}
    )
    return redirect("web:exchange-offer-edit", offer_id=offer.pk)


def _find_refused(request, form, message: str):
    form.add_error(None, message)
    return render(request, "web/rights/find.html", {"form": form}, status=422)


@member_required
def offer_detail(request, offer_id: int):
    offer = selectors.offer_for(request.actor, offer_id)
    mine = offer.sender_id == request.actor.organisation_id
    works = list(catalog.titled(offer.items.values("work_id")).prefetch_related("ratings"))
    context = {
        "offer": offer,
        "mine": mine,
        "works": present.work_cards(works),
        "terms": [present.term_text(t) for t in offer.terms],
        "form": SendForm(),
        "money": present.money_of(offer, len(works)),
        "deals": selectors.deals_of(request.actor).filter(offer=offer),
    }
    return render(request, "web/exchange/offer_detail.html", context)


@require_POST
@member_required
def offer_send(request, offer_id: int):
    offer = selectors.offer_for(request.actor, offer_id)
    form = SendForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(_("Choose at least one organisation."))
        opened = offers.send_offer(request.actor, offer.pk, split_list(form.cleaned_data["recipients"]))
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
    org = request.actor.organisation_id
    why = present.why_blocked(deal, latest, works)
    cards = present.work_cards(
        list(catalog.titled([w.pk for w in works]).prefetch_related("ratings")),
        availability={pk: not reasons for pk, reasons in why.items()},
        why=why,
    )
    context = {
        "deal": deal,
        "party": present.party_label(deal.party_of(org)),
        "other": present.other_party(deal, org),
        "glance": present.deal_glance(deal, latest, works, org),
        "versions": present.version_rows(versions, present.language()),
        "latest": latest,
        "works": present.works_page(cards, request.GET),
        "buttons": [(s, present.STEP_LABELS[s]) for s in steps if s in present.STEP_LABELS],
        "can_counter": "counter" in steps,
        "contracts": selectors.deal_contracts(deal),
        "thread": present.thread_items(deal, versions),
        "message_form": MessageForm() if deals.may_post_message(request.actor) else None,
        "counter_form": counter_form,
        "refusal": refusal,
        "today": date.today(),
    }
    return render(request, "web/exchange/deal_detail.html", context, status=status)


@require_POST
@member_required
def deal_step(request, deal_id: int, step: str):
    try:
        result = take_step(request.actor, deal_id, step, step_input(request.POST))
    except NotFound:  # another's deal: the 404 page, nothing about the deal
        raise
    except ConfirmationNeeded as exc:  # a signature posted without its confirmation: ask for it
        return _confirmation(request, deal_id, step, status=exc.status_code)
    except DomainError as exc:
        return deal_detail.__wrapped__(request, deal_id, refusal=present.refusal(exc), status=exc.status_code)
    for warning in getattr(result, "warnings", []):
        messages.warning(request, quota_sentence(warning))
    messages.success(request, _("Done: %(step)s.") % {"step": present.STEP_LABELS.get(step, step)})
    return redirect("web:exchange-deal", deal_id=deal_id)


@member_required
def deal_confirm(request, deal_id: int, step: str):
    """Before a signature: what it will write into the ledger, the date, and one button."""
    return _confirmation(request, deal_id, step)


def _confirmation(request, deal_id: int, step: str, *, status: int = 200):
    deal = selectors.deal_detail(request.actor, deal_id)
    if step not in SIGNATURES or step not in deals.steps_for(request.actor, deal):
        return redirect("web:exchange-deal", deal_id=deal.pk)
    latest = list(deal.versions.all())[-1]
    context = {
        "deal": deal,
        "step": step,
        "label": present.STEP_LABELS[step],
        "lines": signing_sentences(deal, latest),
        "quotas": quota_forecast(deal, latest, list(latest.works.all())),
        "today": date.today(),
    }
    return render(request, "web/exchange/confirm.html", context, status=status)


@member_required
def deal_counter(request, deal_id: int):
    deal = selectors.deal_detail(request.actor, deal_id)
    latest = list(deal.versions.all())[-1]
    form = ProposalForm(request.POST or None, initial=ProposalForm.initial_from(latest))
    note = request.POST.get("note", "")
    if request.method == "POST" and form.is_valid():
        try:
            works = resolve_works(form.work_refs(), deal.licensor)
            deals.counter(request.actor, deal.pk, form.proposal(works), note=note)
            messages.success(request, _("Counter-proposal sent."))
            return redirect("web:exchange-deal", deal_id=deal.pk)
        except InvalidInput as exc:
            add_problems(form, exc)
        except DomainError as exc:
            return deal_detail.__wrapped__(request, deal_id, refusal=present.refusal(exc), status=exc.status_code)
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
