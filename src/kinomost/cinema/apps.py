from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CinemaConfig(AppConfig):
    name = "kinomost.cinema"
    label = "cinema"
    verbose_name = _("Online cinema")
    default_auto_field = "django.db.models.BigAutoField"
