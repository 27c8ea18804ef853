"""The ledger's vocabulary — kinds of contract and atom, the use of a language, and how an open
end is stored — apart from its tables, so that other apps (the storefront's visibility set, the
exchange) can name them without importing `rights.models` (cross-app reads go through rights'
selectors; the models import these from here)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

# An open end is stored as this sentinel (not NULL) so that every overlap test is the plain
# `start < :end AND effective_end > :start` a btree can use, and daterange(start, end) in the
# PostgreSQL constraint needs no COALESCE. Outside the ledger an open end is Period(end=None);
# the storefront's visibility set (cinema.visibility_models) stores its open ends as this same date.
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
