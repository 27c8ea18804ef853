"""`kinomost demo`: load the demo scenario once and always print where to go and how to sign in."""

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from kinomost.core.errors import DomainError
from kinomost.demo import scenario
from kinomost.parties.models import Organisation


class Command(BaseCommand):
    help = "Load the demo scenario (once; running it again changes nothing). --scale generates a large online cinema's library."

    def add_arguments(self, parser):
        parser.add_argument("--scale", action="store_true", help="generate a large online cinema's library for benchmarks")
        parser.add_argument("--films", type=int, default=5000, help="films for --scale (default 5000)")
        parser.add_argument("--series", type=int, default=100000, help="series for --scale (default 100000)")
        parser.add_argument(
            "--no-rights", action="store_true", help="--scale without its rights ledger (about 19 atoms per film or series)"
        )

    def handle(self, *args, scale, films, series, no_rights, **opts):
        started = time.monotonic()
        if scale:
            self._scale(films, series, started, rights=not no_rights)
            return
        try:
            loaded = scenario.load()
        except DomainError as exc:  # e.g. a KINOMOST_DEMO_PASSWORD that the password validators refuse
            raise CommandError(f"the demo was not loaded (nothing was written): {exc.message}") from exc
        if loaded.created:
            self.stdout.write(self.style.SUCCESS(f"demo scenario loaded: {loaded.works} works in {time.monotonic() - started:.1f} s"))
        else:
            self.stdout.write(f"demo scenario already loaded ({loaded.works} works); nothing changed")
        self._print_logins()

    def _scale(self, films: int, series: int, started: float, rights: bool = True) -> None:
        # Imported here: the scale generator is only needed for benchmarks.
        from kinomost.demo import scale as scale_generator

        made = scale_generator.generate(films=films, series=series, progress=True, rights=rights)
        self.stdout.write(f"scale library: {made} works ({time.monotonic() - started:.0f} s)")

    def _print_logins(self) -> None:
        """Printed on every run, so `make run` always shows how to get in."""
        pw = scenario.password()
        names = dict(Organisation.objects.filter(slug__in=scenario.demo_slugs()).values_list("slug", "name"))
        rows = [(email, pw, names.get(slug, slug), str(role)) for email, slug, role, _ in scenario.LOGINS]
        rows.append((scenario.ADMIN_EMAIL, pw, "(superuser: /admin/)", "admin"))
        header = ("email", "password", "organisation", "role")
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(3)]
        self.stdout.write(f"\nOpen {scenario.URL} and sign in at {scenario.URL}login/ with:\n")
        for row in [header, *rows]:
            self.stdout.write("  " + "  ".join(_pad(cell, w) for cell, w in zip(row[:3], widths)) + "  " + row[3])
        self.stdout.write("")


def _width(text: str) -> int:
    """Columns on a terminal: Han characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
