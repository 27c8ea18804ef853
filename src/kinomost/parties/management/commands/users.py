import os

from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError
from kinomost.parties import selectors, services
from kinomost.parties.models import Role


class Command(BaseCommand):
    help = "People: `users create EMAIL --org SLUG --role ROLE [--name NAME]` (password from KINOMOST_PASSWORD or generated)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a member of an organisation")
        create.add_argument("email")
        create.add_argument("--org", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--name", default="")

    def handle(self, *args, action, **opts):
        try:
            org = selectors.organisation_by_slug(opts["org"])
            user, generated = services.create_member(
                email=opts["email"],
                organisation=org,
                role=opts["role"],
                display_name=opts["name"],
                password=os.environ.get("KINOMOST_PASSWORD") or None,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{user.email} is now {opts['role']} of {org.slug}")
        if generated:
            self.stdout.write(f"password (shown once): {generated}")
