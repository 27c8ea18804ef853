"""`kinomost demo-royalties`: a quarter of simulated viewing and payments for the demo's statements."""

from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError
from kinomost.royalties import demo


class Command(BaseCommand):
    help = "After `kinomost demo` and `demo-cinema`: three months of simulated viewing, charges and rates on Longbo Kino, and Pearl's usage import."

    def handle(self, *args, **opts):
        try:
            result = demo.simulate()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if result.get("already"):
            self.stdout.write("the demo's royalties are already simulated")
            return
        self.stdout.write(
            f"simulated {', '.join(result['months'])} on Longbo Kino; Pearl imported {result['pearl_rows']} usage rows. "
            f"Statements: kinomost royalties statement --org severny-films --licensee longbo-kino --period {result['months'][-1]}"
        )
