from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError
from kinomost.parties import selectors, services
from kinomost.parties.models import OrganisationKind


class Command(BaseCommand):
    help = "Organisations: `orgs create SLUG --name NAME [--name-ru …] [--name-zh …] [--name-en …] [--country CC] [--kind KIND] [--parent SLUG]`, `orgs list`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an organisation")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--name-ru", default="", help="the name in Russian")
        create.add_argument("--name-zh", default="", help="the name in Chinese (simplified)")
        create.add_argument("--name-en", default="", help="the name in English")
        create.add_argument("--country", default="", help="ISO 3166-1 code, e.g. RU, CN")
        create.add_argument("--kind", default=OrganisationKind.OTHER, choices=OrganisationKind.values)
        create.add_argument("--parent", default=None, help="slug of the parent group")
        sub.add_parser("list", help="list organisations")

    def handle(self, *args, action, **opts):
        try:
            if action == "create":
                org = services.create_organisation(
                    slug=opts["slug"],
                    name=opts["name"],
                    names={"ru": opts["name_ru"], "zh-Hans": opts["name_zh"], "en": opts["name_en"]},
                    kind=opts["kind"],
                    country=opts["country"],
                    parent_slug=opts["parent"],
                )
                self.stdout.write(f"created {org.slug} ({org.name})")
            else:
                rows = [(o.slug, o.kind, o.country or "-", o.parent.slug if o.parent else "-", o.name) for o in selectors.organisations()]
                self.stdout.write(f"{'SLUG':<28} {'KIND':<12} {'CC':<3} {'PARENT':<24} NAME")
                for slug, kind, cc, parent, name in rows:
                    self.stdout.write(f"{slug:<28} {kind:<12} {cc:<3} {parent:<24} {name}")
        except DomainError as exc:
            raise CommandError(exc.message) from None
