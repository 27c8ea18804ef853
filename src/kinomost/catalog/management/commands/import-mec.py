from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinomost.catalog.mec import import_mec
from kinomost.catalog.mec.reader import MAX_FILE_BYTES
from kinomost.core.errors import DomainError, ImportRejected
from kinomost.parties.selectors import organisation_by_slug


class Command(BaseCommand):
    help = "Create or update works from MEC XML files. Any bad file changes nothing; every problem is listed."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--org", required=True)
        parser.add_argument("--dry-run", action="store_true", help="check every file, write nothing")

    def handle(self, *args, files, org, dry_run, **opts):
        paths = [Path(f) for f in files]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")
        too_big = [str(p) for p in paths if p.stat().st_size > MAX_FILE_BYTES]
        if too_big:
            raise CommandError(f"larger than {MAX_FILE_BYTES // 2**20} MB: {', '.join(too_big)}")
        try:
            result = import_mec([(p.name, p.read_bytes()) for p in paths], organisation_by_slug(org), dry_run=dry_run)
        except ImportRejected as exc:
            for p in exc.problems:
                self.stderr.write(f"{p['file']}, line {p['line'] or '-'}, {p['element'] or '-'}: {p['message']}")
            raise CommandError(exc.message) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if dry_run:
            self.stdout.write(f"{result.files} files checked, no problems; nothing written (dry run)")
        else:
            self.stdout.write(f"{result.files} files: {result.created} created, {result.updated} updated")
