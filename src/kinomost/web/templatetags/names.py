"""Template filters that show what the database stores as codes in the reader's words: countries
and territory groups, media, money, people, organisations, quota rules and moments with their time zone.

Each only asks the owner of its rule (core.territories, core.media, core.money, core.timezones,
catalog.selectors); the active interface language is the reader's.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from kinomost.catalog.selectors import person_name
from kinomost.core import media as media_taxonomy
from kinomost.core import money as core_money
from kinomost.core import territories as core_territories
from kinomost.core.languages import from_interface_code
from kinomost.core.timezones import format_time
from kinomost.exchange.selectors import quota_rule_name
from kinomost.parties.selectors import organisation_name

register = template.Library()


def _reader() -> str:
    return get_language() or "en"


@register.filter
def country(code) -> str:
    """`RU` → «Россия» / 俄罗斯 / Russia."""
    return core_territories.territory_name(str(code or ""), _reader()) if code else ""


@register.filter
def territories(include, exclude=None) -> str:
    """`['GREATER_CHINA', 'CIS']` (or `"CN; RU"`) → names; `|territories:excluded` adds «кроме …»."""
    return core_territories.territories_text(include or [], exclude or [], _reader())


@register.filter
def media(codes) -> str:
    """`['theatrical', 'svod']` (or `"svod"`) → «Кинопрокат, SVOD (подписка)»."""
    return media_taxonomy.names_text(codes)


@register.filter
def money(value, currency) -> str:
    """`189800|money:"USD"` → `189 800,00 $` (ru), `US$189,800.00` (en, zh)."""
    if value is None or value == "" or not currency:
        return ""
    return core_money.format_money(value, currency, _reader())


@register.filter
def person(value) -> str:
    """A credited Person in the reader's spelling (安德烈·奥尔洛夫 for Андрей Орлов)."""
    return person_name(value, from_interface_code(_reader())) if value is not None else ""


@register.filter
def quota_name(rule) -> str:
    """A quota rule's name in the reader's language (its `names`; a shipped rule's from the .po files)."""
    return quota_rule_name(rule, from_interface_code(_reader())) if rule is not None else ""


@register.filter
def org_name(org) -> str:
    """An organisation's name in the reader's language (上海明珠传媒集团 → «Шанхайская медиагруппа «Жемчужина»»)."""
    return organisation_name(org, from_interface_code(_reader())) if org is not None else ""


@register.filter
def when(moment) -> str:
    """A moment in the reader's time zone with the zone said: «2026-12-03 16:23 (Москва, GMT+03:00)»."""
    return format_time(moment, language=_reader()) if moment else ""


@register.filter
def language(tag) -> str:
    """`ru` → «русский» / 俄语 / Russian (the tag itself when it names no language)."""
    from kinomost.core.languages import cldr_locale, language_name

    return language_name(str(tag), cldr_locale(_reader()).replace("_", "-")) if tag else ""
