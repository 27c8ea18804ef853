from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError
from kinomost.parties import selectors, services
from kinomost.parties.models import ApiKey, Role


class Command(BaseCommand):
    help = "API keys: `apikeys create --org SLUG [--name N] [--role R]`, `apikeys list --org SLUG`, `apikeys revoke PREFIX --org SLUG`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--org", required=True)
        create.add_argument("--name", default="API key")
        create.add_argument("--role", default=Role.READ_ONLY, choices=Role.values)
        listing = sub.add_parser("list")
        listing.add_argument("--org", required=True)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        revoke.add_argument("--org", required=True)

    def handle(self, *args, action, **opts):
        try:
            org = selectors.organisation_by_slug(opts["org"])
            if action == "create":
                key, token = services.create_api_key(organisation=org, name=opts["name"], role=opts["role"])
                self.stdout.write(f"key {key.prefix} for {org.slug} ({key.role}); token, shown once:\n{token}")
            elif action == "list":
                for key in ApiKey.objects.filter(organisation=org):
                    state = "revoked" if key.revoked_at else "active"
                    self.stdout.write(f"{key.prefix}  {key.role:<18} {state:<8} {key.name}")
            else:
                services.revoke_api_key(organisation=org, prefix=opts["prefix"])
                self.stdout.write(f"revoked {opts['prefix']}")
        except DomainError as exc:
            raise CommandError(exc.message) from None
