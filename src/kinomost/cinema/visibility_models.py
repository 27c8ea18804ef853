"""The storefront's visibility set: what a platform may show, precomputed from the ledger.

Derived data only — the rights ledger, the approvals, the assets and the ratings stay the truth;
`cinema.visibility` keeps these rows in step with them inside the transactions that change them
and can rebuild them from scratch (`kinomost storefront rebuild`). Each row holds a validity
interval [valid_from, valid_to), so a day passing (a window starting or ending) needs no write:
a page asks `valid_from <= today < valid_to`.
"""

from django.db import models

from kinomost.catalog.models import Work


class VisibleWork(models.Model):
    """A film or episode the platform may play in a territory under one medium, for as long as
    its licence window, its approvals and a ready package of the platform's organisation all
    hold; `minimum_age` is its age for that territory (None: unrated)."""

    platform = models.ForeignKey("cinema.Platform", on_delete=models.CASCADE, related_name="+", db_index=False)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+", db_index=False)
    top = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+", db_index=False, help_text="the film, or the episode's series")
    territory = models.CharField(max_length=2)
    media = models.CharField(max_length=24)
    valid_from = models.DateField()
    valid_to = models.DateField(help_text="exclusive; rights.models.OPEN_END = open")
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    asset = models.ForeignKey("cinema.Asset", on_delete=models.CASCADE, related_name="+", db_index=False)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["platform", "work", "territory"], name="cinema_visible_work"),
            models.Index(fields=["platform", "top", "territory"], name="cinema_visible_work_top"),
            models.Index(fields=["asset"], name="cinema_visible_work_asset"),
        ]


class VisibleTitle(models.Model):
    """A film or series as the pages list it: visible in a territory while some film or episode
    under it is, to profiles allowing `minimum_age`. The projection of VisibleWork without the
    medium and the episode, intervals merged — what home rows and search read, one row per title
    in the usual case however many episodes it has."""

    platform = models.ForeignKey("cinema.Platform", on_delete=models.CASCADE, related_name="+", db_index=False)
    top = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+", db_index=False)
    territory = models.CharField(max_length=2)
    valid_from = models.DateField()
    valid_to = models.DateField()
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True, help_text="its newest package: the order of 'Recently added'")

    class Meta:
        indexes = [
            models.Index(fields=["platform", "territory", "ready_at", "top"], name="cinema_visible_title_new"),
            models.Index(fields=["platform", "top", "territory"], name="cinema_visible_title_top"),
        ]
