from django.conf import settings

from kinomost.parties.selectors import acting_options


def kinomost(request):
    actor = getattr(request, "actor", None)

    def options():
        """Organisations the person may act for (theirs and their subsidiaries), asked only when
        a page draws the switcher, once per request."""
        if not getattr(request, "acting_options", None):
            request.acting_options = acting_options(getattr(request, "memberships", []))
        return [
            {"organisation": org, "role": role, "depth": depth, "indent": "\u2003" * depth} for org, role, depth in request.acting_options
        ]

    return {
        "site_name": settings.KINOMOST_SITE_NAME,
        "actor": actor,
        "memberships": getattr(request, "memberships", []),
        "acting_options": options,
        "interface_languages": settings.LANGUAGES,
    }
