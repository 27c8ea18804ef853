"""The TV app's one page: the shell, its configuration and strings; the script does the rest
through the viewer API, as any partner's app would (the app is that API's reference client)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils import translation
from django.views.decorators.http import require_safe

from kinomost.cinema.models import Platform
from kinomost.tv.strings import resolved

CLIENT_ID = "kinomost-tv"


def interface_language(request) -> str:
    """`?lang=` (ru, zh-Hans, en; any case) when it names a language the site speaks, else what
    LocaleMiddleware took from the browser: a TV browser's language is rarely the viewer's choice."""
    asked = (request.GET.get("lang") or "").strip().lower().replace("_", "-")
    if asked:
        try:
            return translation.get_supported_language_variant(asked)
        except LookupError:
            pass
    return translation.get_language() or settings.LANGUAGE_CODE


@require_safe
def app(request, org: str, slug: str):
    platform = Platform.objects.select_related("organisation").filter(organisation__slug=org, slug=slug).first()
    if platform is None:
        raise Http404
    language = interface_language(request)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    config = {
        "api": f"{get_script_prefix()}api/v1/viewer/{org}/{slug}/",
        "clientId": CLIENT_ID,
        "platform": platform.name,
        "storageKey": f"kinomost.tv.{org}.{slug}",
        "language": translation.to_locale(language).replace("_", "-"),
        "strings": resolved(),
    }
    return render(request, "tv/app.html", {"platform": platform, "config": config, "language": language})
