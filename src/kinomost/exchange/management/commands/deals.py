from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError
from kinomost.exchange import deals, selectors
from kinomost.exchange.models import DealState
from kinomost.parties.context import Actor
from kinomost.parties.models import Organisation, Role


class Command(BaseCommand):
    help = "Deals: `deals list --org SLUG [--state STATE] [--role licensor|licensee]`, `deals refresh [--today DATE]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="deals an organisation is a party to")
        listing.add_argument("--org", required=True, help="slug of the organisation")
        listing.add_argument("--state", choices=DealState.values)
        listing.add_argument("--role", choices=["licensor", "licensee"])
        refresh = sub.add_parser("refresh", help="lapse expired offers, expire ended deals, send reminders (run daily)")
        refresh.add_argument("--today", default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, action, **opts):
        try:
            if action == "list":
                self._list(opts)
            else:
                report = deals.refresh(opts["today"])
                self.stdout.write(f"lapsed {len(report.lapsed)}, expired {len(report.expired)}, reminders {report.reminded}")
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _list(self, opts):
        org = Organisation.objects.filter(slug=opts["org"]).first()
        if org is None:
            raise CommandError(f"no organisation '{opts['org']}'")
        actor = Actor(organisation=org, role=Role.READ_ONLY)
        self.stdout.write(f"{'REFERENCE':<14} {'STATE':<11} {'ROLE':<9} {'COUNTERPARTY':<24} {'SIGNED':<10} NAME")
        for deal in selectors.deals_of(actor, state=opts["state"], role=opts["role"]):
            role = deal.party_of(org.pk)
            other = deal.licensee if role == "licensor" else deal.licensor
            self.stdout.write(
                f"{deal.reference:<14} {deal.state:<11} {role:<9} {other.slug:<24} {str(deal.signed_on or '-'):<10} {deal.name}"
            )
