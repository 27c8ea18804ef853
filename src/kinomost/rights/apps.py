from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "kinomost.rights"
    label = "rights"
    verbose_name = _("Rights")
    default_auto_field = "django.db.models.BigAutoField"
