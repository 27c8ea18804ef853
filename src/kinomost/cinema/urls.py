"""Viewer-facing routes of the online cinema: HLS files, keys and the storefronts."""

from django.urls import path

from kinomost.cinema import views_stream, views_watch

app_name = "cinema"

W = "watch/<slug:org>/<slug:slug>/"

urlpatterns = [
    path("hls/<str:token>/<int:expires>/<uuid:asset_id>/<path:path>", views_stream.hls_file, name="hls"),
    path("cinema/keys/<uuid:asset_id>/", views_stream.asset_key, name="key"),
    path(W, views_watch.home, name="home"),
    path(W + "search/", views_watch.search, name="search"),
    path(W + "titles/<int:work_id>/", views_watch.title, name="title"),
    path(W + "titles/<int:work_id>/rent/", views_watch.rent, name="rent"),
    path(W + "titles/<int:work_id>/buy/", views_watch.buy, name="buy"),
    path(W + "play/<int:work_id>/", views_watch.player, name="player"),
    path(W + "play/<int:work_id>/start/", views_watch.start, name="start"),
    path(W + "sessions/<uuid:session_id>/heartbeat/", views_watch.heartbeat, name="heartbeat"),
    path(W + "sessions/<uuid:session_id>/stop/", views_watch.stop, name="stop"),
    path(W + "profiles/", views_watch.profiles, name="profiles"),
    path(W + "account/", views_watch.account, name="account"),
    path(W + "account/devices/", views_watch.revoke_device, name="revoke-device"),
    path(W + "activate/", views_watch.activate, name="activate"),
    path(W + "signup/", views_watch.signup, name="signup"),
    path(W + "signup/<str:token>/", views_watch.signup_finish, name="signup-finish"),
    path(W + "login/", views_watch.ViewerLogin.as_view(), name="login"),
]
