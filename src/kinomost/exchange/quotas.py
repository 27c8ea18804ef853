"""Quota rules and the gate at signing: a hard rule refuses with the count, a soft one warns.

Count rules ('at most 34 revenue-sharing foreign films per calendar year') are nationwide: every
signed deal counts, whoever signed it. Share rules ('foreign titles at most 30% of the platform's
catalogue') are per licensee: its catalogue there is what the ledger lets it show that year.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kinomost.core import audit, territories
from kinomost.core import media as media_taxonomy
from kinomost.core.errors import InvalidInput
from kinomost.core.languages import clean_names
from kinomost.exchange import quota_usage
from kinomost.exchange.errors import QuotaExceeded
from kinomost.exchange.models import QuotaMeasure, QuotaRule, QuotaScope
from kinomost.exchange.selectors import quota_rule_name

_LOCK_NAMESPACE = 7302  # pg_advisory_xact_lock(7302, rule id): "exchange quota"; 7301 is the ledger's


def define_rule(
    *,
    name: str,
    territory: str,
    media: str,
    measure: str,
    limit,
    hard: bool = True,
    scope: str = QuotaScope.FOREIGN,
    names: dict | None = None,
) -> QuotaRule:
    """Rules are regulation, the same for every organisation: set by operators (CLI, admin).
    `names` is the rule's name per language ({"ru": "…", "zh-Hans": "…"})."""
    problems = {}
    try:
        names = clean_names(names)
    except InvalidInput as exc:
        problems["names"] = exc.message
        names = {}
    try:
        territory = territories.normalise_country(territory)
    except InvalidInput as exc:
        problems["territory"] = exc.message
    try:
        media_taxonomy.expand(media)
    except InvalidInput as exc:
        problems["media"] = exc.message
    if measure not in QuotaMeasure.values:
        problems["measure"] = ", ".join(QuotaMeasure.values)
    if scope not in QuotaScope.values:
        problems["scope"] = ", ".join(QuotaScope.values)
    if Decimal(str(limit)) <= 0:
        problems["limit"] = _("must be positive")
    if problems:
        raise InvalidInput(_("The quota rule is not valid."), details=problems)
    with transaction.atomic():
        rule = QuotaRule.objects.create(
            name=name.strip() or next(iter(names.values()), territory),
            names=names,
            territory=territory,
            media=media,
            measure=measure,
            scope=scope,
            limit=Decimal(str(limit)),
            hard=hard,
        )
        audit.record("exchange.quota_defined", obj=rule, name=rule.name, limit=str(rule.limit), hard=hard)
    return rule


def check_signing(deal, version, works) -> list[dict]:
    """Refuse (QuotaExceeded, listing every broken hard rule with its count) or return the soft
    warnings and near-limit notices for the deal about to be signed."""
    rules = list(QuotaRule.objects.order_by("pk"))
    _lock(rules)
    findings = _findings(rules, deal, version, works)
    breaches = [f for f in findings if f["over"] and f["hard"]]
    warnings = [f for f in findings if not (f["over"] and f["hard"]) and (f["over"] or f["near_limit"])]
    if breaches:
        first = breaches[0]
        raise QuotaExceeded(
            _("Signing would break the quota %(name)s (%(year)s): %(used)s used + %(adding)s = %(after)s, limit %(limit)s.") % first,
            details=breaches,
        )
    return warnings


def forecast(deal, version, works) -> list[dict]:
    """What signing this version would do to every quota it touches (the same findings the gate
    judges, without its lock): the deal page shows them before anyone presses Sign."""
    return _findings(list(QuotaRule.objects.order_by("pk")), deal, version, works)


def _findings(rules, deal, version, works) -> list[dict]:
    years = sorted(quota_usage.years_of(version))
    found = (_evaluate(rule, deal, version, works, year) for rule in rules for year in years)
    return [f for f in found if f is not None]


def _lock(rules) -> None:
    """PostgreSQL: two deals signed at once by different licensors must not both take the last
    place under a quota. One transaction-level lock per rule, always in id order (no deadlocks);
    SQLite's IMMEDIATE transactions already serialise writers."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for rule in rules:
            cursor.execute("SELECT pg_advisory_xact_lock(%s::int, %s::int)", [_LOCK_NAMESPACE, rule.pk])


def _evaluate(rule: QuotaRule, deal, version, works, year: int) -> dict | None:
    adding_ids = quota_usage.deal_works_for(rule, version, works, year)
    if not adding_ids and rule.measure == QuotaMeasure.COUNT:
        return None
    if rule.measure == QuotaMeasure.COUNT:
        used_ids = quota_usage.count_used(rule, year, exclude_deal=deal.pk)
        used, after = len(used_ids), len(used_ids | adding_ids)
        adding = after - used
    else:
        if not _touches(rule, version, year):
            return None
        catalogue = quota_usage.platform_catalogue(rule, deal.licensee_id, year)
        used = quota_usage.foreign_share(rule, catalogue)
        after = quota_usage.foreign_share(rule, catalogue | {w.pk for w in works})
        adding = len({w.pk for w in works} - catalogue)
    limit = format(rule.limit.normalize(), "f")
    return {
        "rule": rule.pk,
        "name": quota_rule_name(rule),  # in the reader's language: the deal page and a refusal say it
        "territory": rule.territory,
        "media": rule.media,
        "measure": rule.measure,
        "year": year,
        "used": str(used),
        "adding": adding,
        "after": str(after),
        "limit": str(limit),
        "hard": rule.hard,
        "over": Decimal(str(after)) > rule.limit,
        "near_limit": Decimal(str(after)) >= rule.limit * Decimal("0.9"),
    }


def _touches(rule: QuotaRule, version, year: int) -> bool:
    """Does any term of the version license the rule's territory and media from that year?"""
    from kinomost.exchange import proposals

    leaves = set(media_taxonomy.expand(rule.media))
    for term in version.terms:
        countries, term_leaves, window = proposals.term_cells(term)
        if rule.territory in countries and leaves & set(term_leaves) and window.start.year == year:
            return True
    return False
