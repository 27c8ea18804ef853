from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kinomost.demo"
    label = "demo"
    verbose_name = "Demo scenario"
