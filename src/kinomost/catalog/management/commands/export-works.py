import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinomost.catalog.io import export_works
from kinomost.core.errors import DomainError
from kinomost.parties.selectors import organisation_by_slug


class Command(BaseCommand):
    help = "Export an organisation's works as CSV (to stdout or --output) or XLSX (to --output, default works-<org>.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", help="file to write")

    def handle(self, *args, org, format, output, **opts):
        try:
            data = export_works(organisation_by_slug(org), format)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if format == "xlsx" and not output:
            output = f"works-{org}.xlsx"
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"wrote {output}")
        else:
            sys.stdout.buffer.write(data)
