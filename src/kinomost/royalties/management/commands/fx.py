from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError, ImportRejected
from kinomost.royalties import fx


class Command(BaseCommand):
    help = "Exchange rates: `fx import FILE` — CSV date,base,quote,rate,source (1 base = rate quote); all or nothing."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import published rates")
        imp.add_argument("file")

    def handle(self, *args, action, file, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            result = fx.import_rates(path.read_bytes())
        except ImportRejected as exc:
            for p in exc.problems:
                self.stderr.write(f"row {p.get('row') or '-'}, column {p.get('column') or '-'}: {p['message']}")
            raise CommandError(exc.message) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{result.rows} rates: {result.created} recorded, {result.unchanged} already recorded")
