from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CinemaConfig(AppConfig):
    name = "kinomost.cinema"
    label = "cinema"
    verbose_name = _("Online cinema")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The visibility set's receivers: the ledger, the exchange and the catalogue tell, the cinema listens.
        from django.db.models.signals import post_migrate

        from kinomost.cinema import visibility

        post_migrate.connect(visibility.fill_missing, sender=self, dispatch_uid="cinema.visibility.fill_missing")
