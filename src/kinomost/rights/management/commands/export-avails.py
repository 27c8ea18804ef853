import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError, NotFound
from kinomost.parties.models import Organisation
from kinomost.parties.selectors import organisation_by_slug
from kinomost.rights.avails.from_ledger import export_avails


class Command(BaseCommand):
    help = (
        "Export rights as EMA avails: --org's grants to --licensee, or what --org received from --licensor "
        "(a Kinomost organisation's slug, or the DisplayName of an outside licensor). XML to stdout or --output; "
        "xlsx to --output, default avails-<org>-<counterparty>.xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--licensee", help="slug: export --org's grants to this organisation")
        parser.add_argument("--licensor", help="slug or licensor name: export what --org received from it")
        parser.add_argument("--format", choices=["xlsx", "xml"], default="xlsx")
        parser.add_argument("--output", help="file to write")

    def handle(self, *args, org, licensee, licensor, format, output, **opts):
        try:
            actor = organisation_by_slug(org)
            receiver = organisation_by_slug(licensee) if licensee else None
            giver = _licensor(licensor) if licensor else None
            exported = export_avails(actor, format, licensee=receiver, licensor=giver)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        data = exported.data
        for note in exported.notes:  # on stderr: stdout may be the XML itself
            self.stderr.write(f"note: {note['field']} ({note['count']}): {note['message']}")
        if format == "xlsx" and not output:
            output = f"avails-{org}-{licensee or licensor}.xlsx".replace("/", "-").replace(" ", "-")
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"wrote {output}")
        else:
            sys.stdout.buffer.write(data)


def _licensor(value: str) -> Organisation | str:
    """A Kinomost organisation by slug, else the name an outside licensor's avails gave."""
    try:
        return organisation_by_slug(value)
    except NotFound:
        return value
