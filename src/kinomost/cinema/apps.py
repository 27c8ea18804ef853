from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CinemaConfig(AppConfig):
    name = "kinomost.cinema"
    label = "cinema"
    verbose_name = _("Online cinema")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The visibility set's receivers: the ledger, the exchange and the catalogue tell, the cinema listens.
        from kinomost.cinema import visibility  # noqa: F401
