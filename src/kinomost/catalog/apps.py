from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "kinomost.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        from django.db.models.signals import post_save

        from kinomost.catalog.models import Person
        from kinomost.catalog.search.people import person_saved

        post_save.connect(person_saved, sender=Person, dispatch_uid="catalog.person_name_keys")
