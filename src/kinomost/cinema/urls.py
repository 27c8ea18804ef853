"""Viewer-facing routes of the online cinema: HLS files, keys and the storefronts."""

from django.urls import path

from kinomost.cinema import views_stream

app_name = "cinema"

urlpatterns = [
    path("hls/<str:token>/<int:expires>/<uuid:asset_id>/<path:path>", views_stream.hls_file, name="hls"),
    path("cinema/keys/<uuid:asset_id>/", views_stream.asset_key, name="key"),
]
