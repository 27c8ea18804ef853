from django.apps import AppConfig


class TvConfig(AppConfig):
    name = "kinomost.tv"
    label = "tv"
    verbose_name = "TV app"
