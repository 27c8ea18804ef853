"""Studio pages of the catalogue."""

from django.core.paginator import Paginator
from django.shortcuts import render

from kinomost.catalog import search, selectors
from kinomost.catalog.choices import TOP_LEVEL_KINDS, WorkKind
from kinomost.core.languages import reader_language
from kinomost.parties.roles import WRITE_CATALOGUE, can
from kinomost.web.decorators import member_required


def _rows(works, language):
    return [{"work": w, "title": selectors.display_title(w, language)} for w in works]


@member_required
def work_list(request):
    scope = request.GET.get("scope", "own")
    kind = request.GET.get("kind", "")
    qs = selectors.owned_works(request.actor) if scope == "own" else selectors.visible_works(request.actor)
    qs = qs.filter(kind=kind) if kind in WorkKind.values else qs.filter(kind__in=TOP_LEVEL_KINDS)
    page = Paginator(selectors.with_localizations(qs.select_related("owner").order_by("-year", "id")), 50).get_page(request.GET.get("page"))
    language = reader_language()
    return render(
        request,
        "catalog/work_list.html",
        {
            "page": page,
            "rows": _rows(page.object_list, language),
            "scope": scope,
            "kind": kind,
            "kinds": WorkKind.choices,
            "can_edit": can(request.actor.role, WRITE_CATALOGUE),
        },
    )


@member_required
def work_detail(request, work_id: int):
    work = selectors.work_for(request.actor, work_id)
    language = reader_language()
    return render(
        request,
        "catalog/work_detail.html",
        {
            "work": work,
            "title": selectors.display_title(work, language),
            "synopsis": selectors.display_synopsis(work, language),
            "countries": selectors.display_countries(work, language),
            "localizations": sorted(work.localizations.all(), key=lambda loc: loc.language),
            "children": _rows(selectors.children_of(work), language),
            "parent_title": selectors.display_title(work.parent, language) if work.parent else "",
            "can_edit": work.owner_id == request.actor.organisation_id and can(request.actor.role, WRITE_CATALOGUE),
        },
    )


@member_required
def search_page(request):
    query = request.GET.get("q", "").strip()
    language = reader_language()
    hits = search.search_works(query, actor=request.actor, limit=50, language=language) if query else []
    works = {w.pk: w for w in selectors.with_localizations(selectors.visible_works(request.actor).filter(pk__in=[h.work_id for h in hits]))}
    rows = [{"work": works[h.work_id], "title": selectors.display_title(works[h.work_id], language)} for h in hits if h.work_id in works]
    return render(request, "catalog/search.html", {"query": query, "rows": rows})


@member_required
def work_edit(request, work_id: int | None = None):
    """Create a work, or edit one the organisation owns; only catalogue writers may."""
    from django.shortcuts import redirect

    from kinomost.catalog import services
    from kinomost.core.errors import InvalidInput
    from kinomost.web.forms import WorkForm

    request.actor.require(WRITE_CATALOGUE, "change the catalogue")
    work = selectors.work_for(request.actor, work_id, owned=True) if work_id else None
    form = WorkForm(request.POST or None, initial=WorkForm.initial_for(work) if work else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved, _created = services.save_work(request.actor.organisation, form.to_input(), actor=request.actor)
            return redirect("web:work-detail", work_id=saved.pk)
        except InvalidInput as exc:
            form.add_problems(exc.field_problems() or {"__all__": exc.message})
    return render(request, "catalog/work_edit.html", {"form": form, "work": work})
