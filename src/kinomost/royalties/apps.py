from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoyaltiesConfig(AppConfig):
    name = "kinomost.royalties"
    label = "royalties"
    verbose_name = _("Royalties")
    default_auto_field = "django.db.models.BigAutoField"
