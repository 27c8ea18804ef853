"""Studio pages of the online cinema for the platform's organisation: its platforms, its assets
with their ingest progress, one asset (tracks, poster, a progress fragment htmx polls, an operator player of the
preview while encoding and of the ladder once ready) and the
browser upload of a master with its dubs and subtitles.

Thin: cinema's selectors read and its services write. The upload page only renders the form;
the browser slices the files and talks to the resumable upload API itself (static
cinema/upload.js), so a file of many GB never passes through a Django form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kinomost.catalog import selectors as catalog
from kinomost.cinema import selectors, services
from kinomost.cinema.choices import PLATFORM_MEDIA, AssetStatus, TrackKind
from kinomost.cinema.uploads import MAX_CHUNK_BYTES
from kinomost.core import territories
from kinomost.core.errors import Conflict, InvalidInput
from kinomost.core.languages import reader_language
from kinomost.parties.selectors import organisation_name
from kinomost.parties.roles import OPERATE_PLATFORM, can
from kinomost.core import media as media_taxonomy
from kinomost.web import pickers
from kinomost.web.decorators import member_required

POLL_SECONDS = 2
DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024
STEP_LABELS = {
    "probe": gettext_lazy("Reading the master"),
    "transcode": gettext_lazy("Encoding the ladder"),
    "subtitles": gettext_lazy("Converting subtitles"),
    "thumbnails": gettext_lazy("Poster and thumbnails"),
    "publish": gettext_lazy("Publishing"),
}


class PlatformForm(forms.Form):
    slug = forms.SlugField(label=gettext_lazy("Short name (in URLs)"), max_length=64)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    territories = forms.CharField(
        label=gettext_lazy("Territories"),
        initial="RU",
        widget=pickers.TerritoryPicker(multiple=True),
        help_text=gettext_lazy("Countries and groups: pick from the list or type codes, e.g. RU; BY; CIS"),
    )
    media = forms.MultipleChoiceField(
        label=gettext_lazy("Media"),
        choices=[(m, media_taxonomy.LEAVES[m]) for m in PLATFORM_MEDIA],
        widget=forms.CheckboxSelectMultiple,
        initial=["svod"],
    )
    languages = forms.CharField(label=gettext_lazy("Languages (the first is the default)"), initial="ru; en")


def _split(text: str) -> list[str]:
    return territories.split_codes(text)


def time_left(seconds: int | None) -> str:
    """Words for an ETA: "1 h 05 min", "3 min", "40 s"; empty when unknown."""
    if seconds is None:
        return ""
    if seconds >= 3600:
        return _("%(hours)d h %(minutes)02d min") % {"hours": seconds // 3600, "minutes": seconds % 3600 // 60}
    if seconds >= 60:
        return ngettext("%(minutes)d min", "%(minutes)d min", seconds // 60) % {"minutes": seconds // 60}
    return _("%(seconds)d s") % {"seconds": seconds}


def _status_row(asset, language: str) -> dict:
    return {
        "asset": asset,
        "title": catalog.display_title(asset.work, language),
        "step": STEP_LABELS.get(asset.step, asset.step),
        "percent": round(asset.progress or 0, 1),
        "width": max(0, min(100, int(asset.progress or 0))),
        "time_left": time_left(asset.eta_seconds),
        "finished": asset.status in (AssetStatus.READY, AssetStatus.FAILED),
        **selectors.signed_urls(asset),
    }


def _save_app_origins(request):
    """The operator registers the web origins of a platform's apps (cinema.services.set_app_origins)."""
    platform = selectors.platform_for(request.actor, request.POST.get("platform", ""))
    try:
        services.set_app_origins(request.actor, platform, request.POST["app_origins"])
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("App origins of %(name)s saved.") % {"name": platform.name})
    return redirect("web:cinema")


@member_required
def cinema_home(request):
    """Platforms (with a form to open one) and the assets, newest first."""
    can_write = can(request.actor.role, OPERATE_PLATFORM)
    if request.method == "POST" and "app_origins" in request.POST:
        return _save_app_origins(request)
    form = PlatformForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            request.actor.require(OPERATE_PLATFORM, _("run a platform"))
        if form.is_valid():
            try:
                platform = services.create_platform(
                    request.actor,
                    slug=form.cleaned_data["slug"],
                    name=form.cleaned_data["name"],
                    territories_spec=_split(form.cleaned_data["territories"]),
                    media=form.cleaned_data["media"],
                    languages=_split(form.cleaned_data["languages"]),
                )
            except (InvalidInput, Conflict) as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Platform %(name)s opened.") % {"name": platform.name})
                return redirect("web:cinema")
    page = Paginator(selectors.assets_of(request.actor), 25).get_page(request.GET.get("page"))
    language = reader_language()
    return render(
        request,
        "web/cinema/home.html",
        {
            "platforms": selectors.platforms_of(request.actor),
            "form": form,
            "can_write": can_write,
            "page": page,
            "rows": [_status_row(a, language) for a in page.object_list],
        },
        status=200 if request.method == "GET" or form.is_valid() else 422,
    )


@member_required
def asset_detail(request, asset_id):
    asset = selectors.asset_for(request.actor, asset_id)
    tracks = list(asset.tracks.all())
    row = _status_row(asset, reader_language())
    return render(
        request,
        "web/cinema/asset.html",
        {
            "row": row,
            "player": selectors.operator_source(asset),
            "poll_seconds": POLL_SECONDS,
            "rungs": [t for t in tracks if t.kind == TrackKind.VIDEO],
            "audio": [t for t in tracks if t.kind == TrackKind.AUDIO],
            "subtitles": [t for t in tracks if t.kind == TrackKind.SUBTITLES],
            "sources": list(asset.sources.all()),
            "poster_url": row["poster_url"],
        },
    )


@member_required
def asset_progress(request, asset_id):
    """The progress fragment htmx polls; once the asset is finished the page reloads whole (its
    tracks and poster appear) and the fragment it gets no longer polls."""
    asset = selectors.asset_for(request.actor, asset_id)
    row = _status_row(asset, reader_language())
    response = render(request, "web/cinema/_progress.html", {"row": row, "poll_seconds": POLL_SECONDS})
    if row["finished"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _works_to_choose(actor, language: str) -> list[dict]:
    """The organisation's own works first, then listed ones (top-level kinds; capped for a select)."""
    own = catalog.owned_works(actor).order_by("ref", "id")[:500]
    listed = catalog.visible_works(actor).exclude(owner_id=actor.organisation_id).select_related("owner").order_by("ref", "id")[:500]
    return [{"id": w.pk, "label": f"{w.ref} · {catalog.display_title(w, language)}", "own": True} for w in own] + [
        {"id": w.pk, "label": f"{w.ref} · {catalog.display_title(w, language)} ({organisation_name(w.owner)})", "own": False}
        for w in listed
    ]


@member_required
def upload_page(request):
    can_write = can(request.actor.role, OPERATE_PLATFORM)
    chunk = request.GET.get("chunk", "")
    chunk_bytes = int(chunk) if chunk.isdigit() and 0 < int(chunk) <= MAX_CHUNK_BYTES else DEFAULT_CHUNK_BYTES
    platforms = list(selectors.platforms_of(request.actor))
    return render(
        request,
        "web/cinema/upload.html",
        {
            "can_write": can_write,
            "works": _works_to_choose(request.actor, reader_language()) if can_write else [],
            "platforms": platforms,
            "languages": sorted({lang for p in platforms for lang in p.languages}),
            "chunk_bytes": chunk_bytes,
        },
    )
