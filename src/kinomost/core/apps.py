from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kinomost.core"
    label = "core"
    verbose_name = "Kinomost core"
