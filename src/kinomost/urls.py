from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from kinomost.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tv/", include("kinomost.tv.urls")),  # the 10-foot TV app, a client of the viewer API
    path("", include("kinomost.cinema.urls")),  # storefronts, HLS (token-checked) and keys
    path("", include("kinomost.web.urls")),
    # Public media (posters) from the embedded server; in production nginx or a CDN serves MEDIA_ROOT.
    re_path(r"^media/posters/(?P<path>.+)$", lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT / "posters")),
]

handler404 = "kinomost.web.views.errors.not_found"
handler403 = "kinomost.web.views.errors.forbidden"
handler500 = "kinomost.web.views.errors.server_error"
