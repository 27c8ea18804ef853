"""Small JSON look-ups behind the studio's pickers: organisations, works and territories, each a
list of {value, label} in the reader's language for what the person typed.

Tenancy: works are searched among what the acting organisation may see (its own and the
marketplace's listed works; `?own=1`: only its own) through the catalogue's cross-script search;
organisations are the directory every signed-in member already sees in the grant form (names,
no private data); territories are public reference data. A signed-out request gets 302 to sign-in.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import get_language

from kinomost.catalog import search, selectors
from kinomost.core import territories as core_territories
from kinomost.core.languages import from_interface_code
from kinomost.core.territory_groups import M49_REGIONS, M49_SUBREGIONS, NAMED_GROUPS
from kinomost.parties import selectors as parties_selectors
from kinomost.web.decorators import member_required

LIMIT = 20
MAX_QUERY = 100


def _query(request) -> str:
    return (request.GET.get("q") or "").strip()[:MAX_QUERY]


@member_required
def organisations(request):
    """Other organisations by name or identifier (`?self=1` includes the acting one)."""
    q = _query(request)
    exclude = None if request.GET.get("self") == "1" else request.actor.organisation_id
    found = parties_selectors.organisations_matching(q, exclude_pk=exclude, limit=LIMIT)
    return JsonResponse({"results": [{"value": o.slug, "label": parties_selectors.organisation_name(o)} for o in found]})


@member_required
def works(request):
    """Works found by any of their titles in any script (or by reference), titled for the reader."""
    q = _query(request)
    language = from_interface_code(get_language() or "en")
    visible = selectors.owned_works(request.actor) if request.GET.get("own") == "1" else selectors.visible_works(request.actor)
    if not q:
        return JsonResponse({"results": []})
    ids = [h.work_id for h in search.search_works(q, actor=request.actor, limit=LIMIT, language=language)]
    by_ref = list(visible.filter(ref__istartswith=q).values_list("pk", flat=True)[:LIMIT])
    wanted = list(dict.fromkeys([*by_ref, *ids]))[:LIMIT]
    rows = {w.pk: w for w in selectors.with_localizations(visible.filter(pk__in=wanted))}
    return JsonResponse(
        {
            "results": [
                {"value": rows[pk].ref, "label": f"{selectors.display_title(rows[pk], language)} · {rows[pk].ref}"}
                for pk in wanted
                if pk in rows
            ]
        }
    )


def _territory_entries(language: str, countries_only: bool) -> list[tuple[str, str]]:
    entries = [(c, core_territories.territory_name(c, language)) for c in core_territories.all_countries()]
    entries.sort(key=lambda e: e[1])
    if countries_only:
        return entries
    groups = ["WORLD", *NAMED_GROUPS, *M49_REGIONS, *M49_SUBREGIONS]
    return [(g, core_territories.territory_name(g, language)) for g in groups] + entries


@member_required
def territories(request):
    """Countries (and, unless `?countries=1`, groups) whose name in any interface language or
    whose code starts with or contains what was typed."""
    q = _query(request).lower()
    language = get_language() or "en"
    countries_only = request.GET.get("countries") == "1"
    results = []
    for code, label in _territory_entries(language, countries_only):
        if not q or code.lower().startswith(q) or q in label.lower() or _named_elsewhere(code, q):
            results.append({"value": code, "label": f"{label} · {code}"})
        if len(results) >= LIMIT:
            break
    return JsonResponse({"results": results})


def _named_elsewhere(code: str, q: str) -> bool:
    """A Russian reader may type «Кит» on an English page, a Chinese one 中国: every language's name counts."""
    return any(q in core_territories.territory_name(code, other).lower() for other in ("en", "ru", "zh-hans"))
