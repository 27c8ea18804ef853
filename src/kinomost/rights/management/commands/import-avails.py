import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kinomost.core.errors import DomainError, ImportRejected
from kinomost.core.spreadsheets import read_path
from kinomost.parties.selectors import organisation_by_slug
from kinomost.rights.avails.records import import_avails


def where(problem: dict) -> str:
    """A problem's place as a person finds it: sheet and row, or the XML element."""
    if "sheet" in problem:
        return f"{problem['sheet']} row {problem['row'] or '-'}, column {problem.get('column') or '-'}"
    return f"{problem.get('path') or '-'} {problem.get('field') or ''}".strip()


class Command(BaseCommand):
    help = (
        "Import EMA avails (spreadsheet 1.7.3-1.9 or XML 2.x) into an organisation's rights ledger: its own avails "
        "become grants to --licensee, avails from others become its holdings. A file with any bad row changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="the importing organisation (slug)")
        parser.add_argument("--licensee", help="slug of the organisation the avails license to, when they are --org's own")

    def handle(self, *args, file, org, licensee, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            importer = organisation_by_slug(org)
            receiver = organisation_by_slug(licensee) if licensee else None
            with tqdm(desc="import avails", unit="rows", file=sys.stderr) as bar:
                result = import_avails(importer, read_path(path), path.name, licensee=receiver, progress=bar.update)
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(f"{where(problem)}: {problem['message']}")
            raise CommandError(exc.message) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for warning in result.warnings:
            self.stderr.write(f"warning: {where(warning)}: {warning['message']}")
        self.stdout.write(
            f"{result.rows} rows as {result.role}: {result.terms_created} terms recorded, {result.terms_already_recorded} already "
            f"recorded, {result.rows_skipped} rows skipped; works: {result.works_created} created, {result.works_matched} matched"
        )
