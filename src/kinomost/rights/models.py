"""The rights ledger: contracts, the terms users read, and the atoms the database checks.

A contract speaks in sets (works × territories × media × languages × window). Users read and
write those sets as a `Term`; the ledger also explodes every term into `RightAtom` rows — one
per (work, country, media leaf, window) — because single-valued rows index with plain btrees
and let PostgreSQL enforce "no overlapping exclusive grants" with a GiST exclusion constraint.
Nothing is ever deleted: a termination shortens the atoms' effective end (see docs/rights.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinomost.catalog.models import Work
from kinomost.core.periods import Period
from kinomost.parties.models import Organisation
from kinomost.rights.kinds import OPEN_END, AtomKind, ContractKind, LanguageUse  # noqa: F401 (owned there; the ledger's own modules still import them here)


class Contract(models.Model):
    """Where rights came from or went: the ledger's own record. `external_ref` lets another app
    (the exchange's deals) point here without the ledger importing it."""

    kind = models.CharField(_("kind"), max_length=12, choices=ContractKind.choices)
    licensor = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="rights_contracts_out")
    licensor_name = models.CharField(_("licensor (outside Kinomost)"), max_length=200, blank=True)
    licensee = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="rights_contracts_in")
    reference = models.CharField(_("reference"), max_length=100)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    external_ref = models.CharField(_("external reference"), max_length=200, blank=True, db_index=True)
    # Commercial terms (currency, fees, MG, shares, per-hour rate, withholding, accounting period):
    # shaped and read only by rights.commercial; {} = none stated.
    money = models.JSONField(_("commercial terms"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class Term(models.Model):
    """One set of rights as the contract states it; `RightAtom`s are its exploded form."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="terms")
    kind = models.CharField(_("kind"), max_length=12, choices=AtomKind.choices)
    works = models.ManyToManyField(Work, related_name="rights_terms")
    territories = models.JSONField(_("territories"), default=list, help_text="countries and groups included, e.g. ['WORLD']")
    territories_excluded = models.JSONField(_("excluding"), default=list)
    media = models.JSONField(_("media"), default=list, help_text="media groups or leaves as written")
    languages = models.JSONField(_("languages"), default=list, help_text="[{'language': 'ru', 'use': 'dubbed'}]")
    start = models.DateField(_("start"))
    end = models.DateField(_("end (exclusive)"), null=True, blank=True, help_text="empty = open")
    ends_early_on = models.DateField(_("terminated on"), null=True, blank=True)
    exclusive = models.BooleanField(_("exclusive"), default=False)
    sublicensable = models.BooleanField(_("sublicensable"), default=False)
    # What an EMA avail said beyond the right itself (format profiles with prices, AvailIDs,
    # titles as sent ...), so that an export reproduces the rows the term was imported from.
    avail = models.JSONField(_("avail details"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


class RightAtom(models.Model):
    """One (work, country, media leaf, window) of a term.

    `holder` is whose position the row describes: the holder of a holding, the licensor of a
    grant, the organisation bound by a holdback. `licensee` is set on grants only — and a grant
    received counts as the licensee's holding (see availability), so a chain needs no copy.
    """

    kind = models.CharField(max_length=12, choices=AtomKind.choices)
    # No single-column indexes on work, holder and licensee: the composite indexes below start with
    # them, and each index is written on every atom (a large import writes millions).
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="right_atoms", db_index=False)
    territory = models.CharField(max_length=2)
    media = models.CharField(max_length=24)
    start = models.DateField()
    end = models.DateField(help_text=f"exclusive; {OPEN_END} = open")
    ends_early_on = models.DateField(null=True, blank=True)
    effective_end = models.DateField(help_text="min(end, ends_early_on): what every query reads")
    holder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="right_atoms_held", db_index=False)
    licensee = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="right_atoms_received", db_index=False
    )
    exclusive = models.BooleanField(default=False)
    sublicensable = models.BooleanField(default=False)
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="atoms")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="atoms")

    class Meta:
        indexes = [
            models.Index(fields=["work", "territory", "media", "start"], name="rights_atom_cell"),
            models.Index(fields=["territory", "media", "start", "effective_end"], name="rights_atom_on_date"),
            models.Index(fields=["holder", "kind"], name="rights_atom_holder"),
            models.Index(fields=["licensee", "kind"], name="rights_atom_licensee"),
        ]

    @property
    def period(self) -> Period:
        end = self.effective_end
        return Period(self.start, None if end == OPEN_END else end)

    def __str__(self) -> str:
        return f"{self.kind} {self.work_id} {self.territory} {self.media} {self.period}"
