"""The 10-foot TV app: one page per platform; everything else it does through the viewer API."""

from django.urls import path

from kinomost.tv import views

app_name = "tv"

urlpatterns = [
    path("<slug:org>/<slug:slug>/", views.app, name="app"),
]
