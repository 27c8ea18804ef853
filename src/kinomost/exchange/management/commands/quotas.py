from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError
from kinomost.exchange import quota_usage, quotas
from kinomost.exchange.models import QuotaMeasure, QuotaScope
from kinomost.parties.context import Actor
from kinomost.parties.models import Organisation, Role


class Command(BaseCommand):
    help = "Quota counters (used / limit): `quotas [--territory CN] [--year 2027] [--org SLUG]`; `quotas define …` adds a rule."

    def add_arguments(self, parser):
        parser.add_argument("--territory", default=None, help="ISO country code, e.g. CN")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--org", default=None, help="platform slug: fills in its catalogue-share counters")
        sub = parser.add_subparsers(dest="action")
        define = sub.add_parser("define", help="add a quota rule")
        define.add_argument("--name", required=True)
        define.add_argument("--name-ru", default="", help="the rule's name in Russian")
        define.add_argument("--name-zh", default="", help="the rule's name in Chinese (simplified)")
        define.add_argument("--name-en", default="", help="the rule's name in English")
        define.add_argument("--rule-territory", required=True, dest="rule_territory")
        define.add_argument("--media", required=True)
        define.add_argument("--measure", required=True, choices=QuotaMeasure.values)
        define.add_argument("--scope", default=QuotaScope.FOREIGN, choices=QuotaScope.values)
        define.add_argument("--limit", required=True)
        define.add_argument("--soft", action="store_true", help="warn instead of refusing")

    def handle(self, *args, **opts):
        try:
            if opts.get("action") == "define":
                rule = quotas.define_rule(
                    name=opts["name"],
                    names={"ru": opts["name_ru"], "zh-Hans": opts["name_zh"], "en": opts["name_en"]},
                    territory=opts["rule_territory"],
                    media=opts["media"],
                    measure=opts["measure"],
                    scope=opts["scope"],
                    limit=opts["limit"],
                    hard=not opts["soft"],
                )
                self.stdout.write(f"defined quota {rule.pk}: {rule.name}")
                return
            actor = None
            if opts["org"]:
                org = Organisation.objects.filter(slug=opts["org"]).first()
                if org is None:
                    raise CommandError(f"no organisation '{opts['org']}'")
                actor = Actor(organisation=org, role=Role.READ_ONLY)
            self.stdout.write(f"{'TERRITORY':<9} {'MEDIA':<11} {'YEAR':<5} {'USED':>7} / {'LIMIT':<7} {'KIND':<5} NAME")
            for c in quota_usage.quota_counters(actor, territory=opts["territory"], year=opts["year"]):
                d = c.as_dict()
                used = "-" if d["used"] is None else d["used"]
                unit = "%" if d["measure"] == QuotaMeasure.SHARE else ""
                kind = "hard" if d["hard"] else "soft"
                flag = "  near limit" if d["near_limit"] else ""
                self.stdout.write(
                    f"{d['territory']:<9} {d['media']:<11} {d['year']:<5} {used + unit:>7} / {d['limit'] + unit:<7} {kind:<5} {d['name']}{flag}"
                )
        except DomainError as exc:
            raise CommandError(exc.message) from None
