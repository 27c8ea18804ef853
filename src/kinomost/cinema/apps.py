from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CinemaConfig(AppConfig):
    name = "kinomost.cinema"
    label = "cinema"
    verbose_name = _("Online cinema")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A platform's own app origins get CORS on Django's routes too (django-cors-headers asks
        # this signal for an origin not in CORS_ALLOWED_ORIGINS): cinema.origins is the one rule.
        from corsheaders.signals import check_request_enabled

        from kinomost.cinema import origins

        check_request_enabled.connect(origins.cors_allowed_by_platforms, dispatch_uid="kinomost.cinema.app_origins")
