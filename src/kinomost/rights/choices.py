"""The ledger's choices: contract and atom kinds, language uses, and the stored open end.

They live apart from the models so that pages and other apps name a state or a kind without
importing the tables (the import-linter contracts in pyproject.toml): the models import them
from here, and so does everyone else.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


# An open end is stored as this sentinel (not NULL) so that every overlap test is the plain
# `start < :end AND effective_end > :start` a btree can use, and daterange(start, end) in the
# PostgreSQL constraint needs no COALESCE. It never leaves the ledger: Period(end=None) outside.
OPEN_END = date(9999, 12, 31)


class ContractKind(models.TextChoices):
    ACQUISITION = "acquisition", _("Acquisition (rights in)")
    LICENCE = "licence", _("Licence (rights out)")
    HOLDBACK = "holdback", _("Holdback")


class AtomKind(models.TextChoices):
    HOLDING = "holding", _("Holding (rights in)")
    GRANT = "grant", _("Grant (rights out)")
    HOLDBACK = "holdback", _("Holdback")


class LanguageUse(models.TextChoices):
    ORIGINAL = "original", _("Original")
    DUBBED = "dubbed", _("Dubbed")
    SUBTITLED = "subtitled", _("Subtitled")
