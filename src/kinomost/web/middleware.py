"""Text that comes in through a page's form is what it claims, as in the API and the imports.

The API asks `core.text` for every string of a request (kinomost.api.CleanTextParser); the
pages' forms are many, so the same rule is asked once here, for every field of every form posted
to a page: a control character refuses the request with the field's name, before any view or
service sees it (Django's forms refuse only NUL, and PostgreSQL would answer a 500 for it).
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from kinomost.core import text


class CleanTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and not request.path.startswith("/api/"):
            refused = _first_unclean_field(request)
            if refused is not None:
                field, char = refused
                message = _("The field %(field)s %(reason)s.") % {"field": field, "reason": text.refusal(char)}
                return render(request, "web/error.html", {"message": message}, status=400)
        return self.get_response(request)


def _first_unclean_field(request) -> tuple[str, str] | None:
    content_type = request.content_type or ""
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None  # a chunk of an upload, JSON of htmx: not form text
    for key, values in request.POST.lists():
        for value in [key, *values]:
            char = text.first_control_character(value)
            if char is not None:
                return key, char
    return None


class ReaderTimeZoneMiddleware:
    """Times on a page are in the reader's zone: their own setting, else their organisation's
    country's (core.timezones); signed-out readers see UTC, which the pages say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import timezone

        from kinomost.core.timezones import zone_for

        user = getattr(request, "user", None)
        actor = getattr(request, "actor", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_for(user, actor.organisation if actor else None))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
