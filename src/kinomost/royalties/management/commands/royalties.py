import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError, ImportRejected
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.parties.selectors import organisation_by_slug
from kinomost.royalties import export, statements, usage


class Command(BaseCommand):
    help = (
        "Royalties: `royalties statement --org LICENSOR --licensee SLUG --period P [--contract REF] --format json|xlsx|pdf`, "
        "`royalties import-usage FILE --org SLUG`, `royalties close --period P [--org SLUG]`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        st = sub.add_parser("statement", help="statements of a licensor to a licensee for a period")
        st.add_argument("--org", required=True, help="the licensor (slug)")
        st.add_argument("--licensee", required=True, help="the licensee (slug)")
        st.add_argument("--period", required=True, help="2027-04, 2027-Q1, 2027-H1 or 2027")
        st.add_argument("--contract", help="one contract's reference")
        st.add_argument("--format", default="json", choices=export.FORMATS)
        st.add_argument("--language", default="en", choices=["en", "ru", "zh-hans"])
        st.add_argument("--output", help="file to write (default: standard output)")
        imp = sub.add_parser("import-usage", help="usage reported by a platform outside Kinomost (CSV; all or nothing)")
        imp.add_argument("file")
        imp.add_argument("--org", required=True, help="the importing licensee or licensor (slug)")
        cl = sub.add_parser("close", help="freeze the period's statements (after it has ended)")
        cl.add_argument("--period", required=True)
        cl.add_argument("--org", help="only contracts this organisation is party to")

    def handle(self, *args, action, **opts):
        try:
            getattr(self, "_" + action.replace("-", "_"))(opts)
        except ImportRejected as exc:
            for p in exc.problems:
                self.stderr.write(f"row {p.get('row') or '-'}, column {p.get('column') or '-'}: {p['message']}")
            raise CommandError(exc.message) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _statement(self, opts):
        actor = Actor(organisation=organisation_by_slug(opts["org"]), role=Role.READ_ONLY)
        found = statements.statements_for(actor, opts["period"], counterparty=opts["licensee"], reference=opts["contract"])
        found = [d for d in found if d["licensor"] == opts["org"]]  # --org is the licensor
        if not found:
            raise CommandError(f"no contract with commercial terms from {opts['org']} to {opts['licensee']} accounted for {opts['period']}")
        data = export.render(found, opts["format"], opts["language"])
        if opts["output"]:
            Path(opts["output"]).write_bytes(data)
            self.stdout.write(f"{len(found)} statements written to {opts['output']}")
        elif opts["format"] == "json":
            self.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.buffer.write(data)

    def _import_usage(self, opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {opts['file']}")
        actor = Actor(organisation=organisation_by_slug(opts["org"]), role=Role.OWNER)
        result = usage.import_usage(actor, path.read_bytes(), path.name)
        note = " (this file was imported before)" if result.already_imported else ""
        self.stdout.write(f"{result.rows} rows: {result.created} recorded, {result.unchanged} already recorded{note}")

    def _close(self, opts):
        org = organisation_by_slug(opts["org"]) if opts["org"] else None
        made = statements.close(opts["period"], organisation=org)
        self.stdout.write(f"{opts['period']}: {len(made)} statements closed")
