from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "kinomost.parties"
    label = "parties"
    verbose_name = _("Organisations and people")

    def ready(self):
        from kinomost.parties import throttle  # noqa: F401  (connects the sign-in failure counter)
