from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kinomost.web"
    label = "web"
    verbose_name = "Web pages"
