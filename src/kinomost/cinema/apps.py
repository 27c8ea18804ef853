from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CinemaConfig(AppConfig):
    name = "kinomost.cinema"
    label = "cinema"
    verbose_name = _("Online cinema")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The visibility set's receivers: the ledger, the exchange and the catalogue tell, the cinema listens.
        from corsheaders.signals import check_request_enabled
        from django.db.models.signals import post_migrate

        from kinomost.cinema import origins, visibility

        post_migrate.connect(visibility.fill_missing, sender=self, dispatch_uid="cinema.visibility.fill_missing")
        # A platform's own app origins get CORS on Django's routes too (django-cors-headers asks
        # this signal for an origin not in CORS_ALLOWED_ORIGINS): cinema.origins is the one rule.
        check_request_enabled.connect(origins.cors_allowed_by_platforms, dispatch_uid="kinomost.cinema.app_origins")
