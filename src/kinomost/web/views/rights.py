"""Studio pages of the rights ledger: the organisation's contracts, a work's rights (matrix and
timeline), "find available", and the forms that record holdings, grants and holdbacks. Thin:
`rights.overview` reads, `rights.ledger` writes; a refused grant shows every conflict."""

from __future__ import annotations

import re
from datetime import date

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kinomost.catalog import selectors as catalog
from kinomost.core import periods
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.core.languages import reader_language
from kinomost.core.periods import Period
from kinomost.core.territories import territories_text
from kinomost.parties.roles import WRITE_CATALOGUE, can
from kinomost.parties.selectors import organisation_by_slug, organisation_names
from kinomost.rights import availability as avail
from kinomost.rights import blocking, commercial, ledger, overview
from kinomost.rights.forms import FindForm, GrantForm, HoldbackForm, HoldingForm, TerminateForm
from kinomost.web import pickers
from kinomost.web.decorators import member_required

SIDE_LABELS = {
    overview.HOLDING: _("Holding"),
    overview.GRANT: _("Grant made"),
    overview.RECEIVED: _("Grant received"),
    overview.HOLDBACK: _("Holdback"),
}
STATUS_LABELS = {
    "free": _("Free"),
    "free_shared": _("Free (non-exclusive)"),
    "granted": _("Granted"),
    "held_back": _("Held back"),
    "held": _("Held, not sublicensable"),
    "none": "",
}
REASON_LABELS = {
    avail.MISSING_HOLDING: _("not held with the right to sublicense"),
    avail.CONFLICTING_GRANT: _("already granted"),
    avail.HOLDBACK: _("held back"),
}
PAGE_SIZE = 50


def _on_date(request) -> date:
    try:
        return periods.parse_date(request.GET.get("on")) or date.today()
    except InvalidInput:
        return date.today()


# ---------------------------------------------------------------- contracts


@member_required
def contract_list(request):
    side = request.GET.get("kind") if request.GET.get("kind") in overview.SIDES else None
    page = Paginator(overview.contracts_of(request.actor, side), PAGE_SIZE).get_page(request.GET.get("page"))
    language = reader_language()
    rows = [
        {
            "contract": c,
            "side": SIDE_LABELS[overview.side_of(request.actor, c)],
            "counterparty": overview.counterparty(request.actor, c),
            "terms": [_term_row(t, language) for t in c.terms.all()],
        }
        for c in page.object_list
    ]
    return render(
        request,
        "web/rights/contract_list.html",
        {
            "page": page,
            "rows": rows,
            "kind": side or "",
            "kinds": list(SIDE_LABELS.items()),
            "can_edit": can(request.actor.role, WRITE_CATALOGUE),
        },
    )


def _term_row(term, language, shown: int = 3) -> dict:
    works = list(term.works.all())
    return {
        "term": term,
        "works": [{"work": w, "title": catalog.display_title(w, language)} for w in works[:shown]],
        "more": max(len(works) - shown, 0),
        "territories": overview.territory_text(term),
        "languages": overview.languages_text(term.languages, language),
        "end": overview.term_end(term),
    }


@member_required
def contract_detail(request, contract_id: int):
    view = overview.contract_detail(request.actor, contract_id)
    language = reader_language()
    return render(
        request,
        "web/rights/contract_detail.html",
        {
            "view": view,
            "side": SIDE_LABELS[view.side],
            "terms": [
                {
                    "view": t,
                    "works": [{"work": w, "title": catalog.display_title(w, language)} for w in t.works],
                    "languages": overview.language_lines(t.term.languages, language),
                }
                for t in view.terms
            ],
            "form": TerminateForm(initial={"on": date.today()}),
            "money": commercial.terms_of(view.contract),
        },
    )


@require_POST
@member_required
def contract_terminate(request, contract_id: int):
    contract = overview.contract_for(request.actor, contract_id)
    form = TerminateForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(str(_("A termination needs a date.")))
    ledger.terminate(request.actor, contract, form.cleaned_data["on"])
    return redirect("web:rights-contract", contract_id=contract.pk)


# ---------------------------------------------------------------- recording


def _with_pickers(form):
    """A term's works (our own), territories and media picked from lists in the reader's language."""
    return pickers.equip(
        form,
        {
            "works": pickers.WorkPicker(multiple=True, params="own=1"),
            "territories": pickers.TerritoryPicker(multiple=True),
            "territories_excluded": pickers.TerritoryPicker(multiple=True),
            "media": pickers.MediaTree(),
        },
    )


@member_required
def holding_new(request):
    return _record(
        request, _with_pickers(HoldingForm(request.POST or None, initial=_initial(request))), _record_holding, _("Record a holding")
    )


@member_required
def grant_new(request):
    return _record(
        request, _with_pickers(GrantForm(request.POST or None, initial=_initial(request), actor=request.actor)), _grant, _("Grant rights")
    )


@member_required
def holdback_new(request):
    return _record(
        request,
        _with_pickers(HoldbackForm(request.POST or None, initial=_initial(request), actor=request.actor)),
        _record_holdback,
        _("Record a holdback"),
    )


def _initial(request) -> dict:
    return {"works": request.GET.get("works", "")}


def _record_holding(actor, form, works):
    return ledger.record_holding(actor, form.term(works), contract=form.contract(form.cleaned_data["licensor_name"]))


def _grant(actor, form, works):
    licensee = organisation_by_slug(form.cleaned_data["licensee"])
    return ledger.grant(actor, licensee, form.term(works), contract=form.contract())


def _record_holdback(actor, form, works):
    slug = form.cleaned_data["beneficiary"]
    return ledger.record_holdback(
        actor, form.term(works), contract=form.contract(), beneficiary=organisation_by_slug(slug) if slug else None
    )


def _record(request, form, action, heading):
    """One page for all three records: a refusal keeps the form and lists every conflict."""
    request.actor.require(WRITE_CATALOGUE, "record rights")
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            works = overview.resolve_works(request.actor, form.work_refs())
            term = action(request.actor, form, works)
            return redirect("web:rights-contract", contract_id=term.contract_id)
        except NotFound as exc:
            form.add_error("works", exc.message)
        except InvalidInput as exc:
            form.add_problems(exc.field_problems() or {"__all__": exc.message})
        except Conflict as exc:
            conflicts = _conflict_rows(exc.details)
            if not conflicts:
                form.add_error(None, exc.message)
    return render(request, "web/rights/record.html", {"form": form, "heading": heading, "conflicts": conflicts})


def _conflict_rows(details: list[dict]) -> list[dict]:
    language = reader_language()
    works = {w.pk: w for w in catalog.titled({d["work"] for d in details})}
    licensees = organisation_names({d.get("licensee_id") for d in details}, language)
    return [
        {
            **d,
            "licensee": licensees.get(d.get("licensee_id"), d.get("licensee", "")),
            "title": catalog.display_title(works[d["work"]], language) if d["work"] in works else d["work_ref"],
            "reason_text": REASON_LABELS.get(d["reason"], d["reason"]),
            "window_text": _window_text(d["window"]),
        }
        for d in details
    ]


def _window_text(window: str) -> str:
    """The ledger's "[2028-01-01, 2029-01-01)" as the pages write windows: "2028-01-01 → 2029-01-01"."""
    start, _sep, end = window.strip("[)").partition(", ")
    return f"{start} → {end.replace('∞', str(_('open')))}"


# ---------------------------------------------------------------- a work's rights


@member_required
def work_rights(request, work_id: int):
    work = overview.work_for(request.actor, work_id)
    on = _on_date(request)
    matrix = overview.work_matrix(request.actor, work, on)
    rows = [_matrix_row(r) for r in matrix.rows]
    timeline = overview.work_timeline(request.actor, work)
    language = reader_language()
    for bar in timeline.bars:
        bar.side_label = SIDE_LABELS[bar.side]
        bar.languages_text = overview.languages_text(bar.term.languages, language)
    context = {
        "work": work,
        "title": catalog.display_title(work, language),
        "on": on,
        "matrix": matrix,
        "rows": rows,
        "timeline": timeline,
        "can_edit": can(request.actor.role, WRITE_CATALOGUE),
    }
    template = "web/rights/_matrix.html" if request.headers.get("HX-Request") else "web/rights/work_rights.html"
    return render(request, template, context)


_GROUP_WITH_CODE = re.compile(r"^.*\((\w+)\)$")


def _label_in_reader_words(label: str) -> str:
    """The ledger's shortest description of a row's countries ("WORLD excluding RU", "Europe (150)",
    "CN, HK +3") in the reader's words (core.territories names each code)."""
    head, _sep, excluded = label.partition(" excluding ")
    more = re.search(r" \+(\d+)$", head)
    head = head[: more.start()] if more else head
    codes = [(_GROUP_WITH_CODE.match(c.strip()) or re.match(r"(.*)", c.strip())).group(1) for c in head.split(", ")]
    text = territories_text(codes, excluded.split(", ") if excluded else [])
    return f"{text} +{more.group(1)}" if more else text


def _matrix_row(row) -> dict:
    """Marks every cell of the row shares (usually the holding) are said once, beside the
    territory; each cell then shows only what differs."""
    filled = [set(c.marks) for c in row.cells if c.marks]
    common = set.intersection(*filled) if len(filled) > 1 else set()
    return {
        "label": _label_in_reader_words(row.label),
        "countries": ", ".join(row.countries),
        "common": sorted(common),
        "cells": [{"cell": c, "label": STATUS_LABELS[c.status], "marks": [m for m in c.marks if m not in common]} for c in row.cells],
    }


# ---------------------------------------------------------------- find available


@member_required
def find_page(request):
    form = pickers.equip(FindForm(request.GET or None), {"territory": pickers.TerritoryPicker(countries_only=True)})
    context = {"form": form}
    if form.is_valid():
        d = form.cleaned_data
        window = Period(d["start"], d["end"])
        page_number = _page_number(request)
        try:
            found = overview.find_available_page(
                request.actor,
                d["territory"],
                d["media"],
                window,
                d["exclusive"],
                [d["kind"]] if d["kind"] else None,
                limit=PAGE_SIZE,
                offset=(page_number - 1) * PAGE_SIZE,
                languages=d["languages"],
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            language = reader_language()
            query = request.GET.copy()
            query.pop("page", None)
            query.pop("blocked_page", None)
            context.update(
                total=found.total,
                window=window,
                rows=[{"work": f.work, "title": catalog.display_title(f.work, language), "free": f.free} for f in found.rows],
                page_number=page_number,
                pages=max(1, -(-found.total // PAGE_SIZE)),
                query=query.urlencode(),
                blocked=_not_available(request, d, window, language),
            )
    return render(request, "web/rights/find.html", context)


def _not_available(request, d: dict, window: Period, language: str):
    """The catalogue's works the search did not find, a page of them, each with why (issue 17 §3)."""
    from kinomost.web.views.exchange.presenters import blocker_text

    kinds = [d["kind"]] if d["kind"] else None
    candidates = blocking.catalogue_works(request.actor, kinds=kinds)
    found = blocking.blockers(request.actor, candidates, [d["territory"]], [d["media"]], window, d["exclusive"], d["languages"])
    page = Paginator([pk for pk in candidates if pk in found], PAGE_SIZE).get_page(request.GET.get("blocked_page"))
    works = {w.pk: w for w in catalog.titled(list(page))}
    page.rows = [
        {
            "work": works[pk],
            "title": catalog.display_title(works[pk], language),
            "why": "; ".join(dict.fromkeys(blocker_text(b) for b in found[pk])),
        }
        for pk in page
        if pk in works
    ]
    return page


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1
