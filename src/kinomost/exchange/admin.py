"""Quota rules are regulation, set by operators: here (and `kinomost quotas define`) they are
named in each language (`names`, {"ru": "…", "zh-Hans": "…"}) and their limits changed."""

from django.contrib import admin

from kinomost.exchange.models import QuotaRule


@admin.register(QuotaRule)
class QuotaRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "territory", "media", "measure", "scope", "limit", "hard")
    list_filter = ("territory", "measure", "hard")
    search_fields = ("name",)
    fields = ("name", "names", "territory", "media", "measure", "scope", "limit", "hard", "period")
