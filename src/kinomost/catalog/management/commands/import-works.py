import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kinomost.catalog.io import import_works
from kinomost.core.errors import DomainError, ImportRejected
from kinomost.core.spreadsheets import read_path
from kinomost.parties.selectors import organisation_by_slug


class Command(BaseCommand):
    help = "Import works from CSV or XLSX into an organisation's catalogue. A file with any bad row changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True)
        parser.add_argument("--encoding", help="CSV encoding if not detected (utf-8, cp1251, gb18030)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, file, org, encoding, dry_run, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            owner = organisation_by_slug(org)
            bar = tqdm(desc="import", unit="works", file=sys.stderr)
            result = import_works(read_path(path), path.name, owner, encoding=encoding, dry_run=dry_run, progress=bar.update)
            bar.close()
        except ImportRejected as exc:
            for p in exc.problems:
                self.stderr.write(f"row {p['row']}, column {p['column'] or '-'}: {p['message']}")
            raise CommandError(exc.message) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if dry_run:
            self.stdout.write(f"{result.rows} rows checked, no problems; nothing written (dry run)")
        else:
            self.stdout.write(f"{result.rows} rows: {result.created} created, {result.updated} updated")
