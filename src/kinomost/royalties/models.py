"""Royalties' own records: exchange rates, usage reported from platforms outside Kinomost, and
closed (frozen) statements. The cinema's own facts (revenue rows, playback sessions) stay in
`cinema`; the commercial terms stay on the ledger's contracts (rights.commercial)."""

from django.db import models

from kinomost.catalog.models import Work
from kinomost.parties.models import Organisation
from kinomost.rights.models import Contract


class ExchangeRate(models.Model):
    """1 `base` = `rate` `quote` on `day`, as published by `source` (e.g. CBR, PBOC, ECB)."""

    day = models.DateField()
    base = models.CharField(max_length=3)
    quote = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=24, decimal_places=10)
    source = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "base", "quote", "source"]
        constraints = [models.UniqueConstraint(fields=["day", "base", "quote", "source"], name="royalties_rate_once")]
        indexes = [models.Index(fields=["base", "quote", "day"], name="royalties_rate_pair_day")]


class UsageReport(models.Model):
    """One imported usage file: who imported it and its SHA-256, so the same file twice is one import."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=300, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "sha256"], name="royalties_report_once")]


class UsageRow(models.Model):
    """One month of one work's usage on one platform outside Kinomost, under the licence it names
    (resolved at import). `month` is the first day of the reported month."""

    report = models.ForeignKey(UsageReport, on_delete=models.PROTECT, related_name="usage_rows")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    platform = models.CharField(max_length=200)
    work = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="+")
    territory = models.CharField(max_length=2)
    media = models.CharField(max_length=24)
    views = models.BigIntegerField()
    seconds = models.BigIntegerField()
    receipts = models.DecimalField(max_digits=18, decimal_places=4)
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "month", "platform", "work", "territory", "media"], name="royalties_usage_once")
        ]
        indexes = [models.Index(fields=["contract", "month"], name="royalties_usage_contract")]


class ClosedStatement(models.Model):
    """A statement frozen by closing its period: `document` is what it said, and never changes;
    `usage_rows` are the imported rows it counted (so a late row is counted once, later)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10)
    document = models.JSONField()
    usage_rows = models.JSONField(default=list)
    closed_at = models.DateTimeField()

    class Meta:
        ordering = ["contract", "period"]
        constraints = [models.UniqueConstraint(fields=["contract", "period"], name="royalties_closed_once")]
