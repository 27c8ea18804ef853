"""`/favicon.ico`: browsers ask for it on pages that link no icon (the storefront, the TV app,
a JSON answer opened in a tab); it sends them to the icon the studio pages link, so there is one
icon and no 404 in every console."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    return HttpResponsePermanentRedirect(static("kinomost/favicon.svg"))
