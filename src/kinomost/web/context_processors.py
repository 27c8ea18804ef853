from django.conf import settings


def kinomost(request):
    actor = getattr(request, "actor", None)
    return {
        "site_name": settings.KINOMOST_SITE_NAME,
        "actor": actor,
        "memberships": getattr(request, "memberships", []),
        "interface_languages": settings.LANGUAGES,
    }
