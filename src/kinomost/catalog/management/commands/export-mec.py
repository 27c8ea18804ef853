from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinomost.catalog.mec import export_mec
from kinomost.core.errors import DomainError
from kinomost.parties.selectors import organisation_by_slug


class Command(BaseCommand):
    help = "Write one MEC (MovieLabs Media Entertainment Core) XML file per work of an organisation."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True)
        parser.add_argument("--works", nargs="+", metavar="REF", help="only these refs (default: every work)")
        parser.add_argument("--output", default=".", help="folder to write <ref>.mec.xml files into (default: here)")

    def handle(self, *args, org, works, output, **opts):
        try:
            export = export_mec(organisation_by_slug(org), works)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in export.files.items():
            (folder / name).write_bytes(data)
        for skipped in export.skipped:
            self.stderr.write(f"skipped {skipped['ref']}: {skipped['message']}")
        self.stdout.write(f"wrote {len(export.files)} MEC files to {folder}")
        if export.skipped:
            raise CommandError(f"{len(export.skipped)} work(s) could not be written as MEC")
