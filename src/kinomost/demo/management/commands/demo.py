import time

from django.core.management.base import BaseCommand, CommandError

from kinomost.demo import scenario


class Command(BaseCommand):
    help = "Load the demo scenario (once; running it again changes nothing). --scale generates a large online cinema's library."

    def add_arguments(self, parser):
        parser.add_argument("--scale", action="store_true", help="generate 5,000 films and 100,000 series for benchmarks")
        parser.add_argument("--films", type=int, default=5000)
        parser.add_argument("--series", type=int, default=100000)

    def handle(self, *args, scale, films, series, **opts):
        started = time.monotonic()
        if scale:
            from kinomost.demo import scale as scale_generator

            try:
                made = scale_generator.generate(films=films, series=series, progress=True)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"scale library: {made} works ({time.monotonic() - started:.0f} s)")
            return
        loaded = scenario.load()
        if loaded.created:
            self.stdout.write(self.style.SUCCESS(f"demo scenario loaded: {loaded.works} works in {time.monotonic() - started:.1f} s"))
        else:
            self.stdout.write(f"demo scenario already loaded ({loaded.works} works); nothing changed")
        self._print_logins()

    def _print_logins(self):
        pw = scenario.password()
        self.stdout.write(f"\nOpen {scenario.URL} and sign in with any of these (password: {pw}):\n")
        rows = [(email, org, role) for email, org, role, _name in scenario.LOGINS] + [(scenario.ADMIN_EMAIL, "(superuser)", "admin")]
        for email, org, role in rows:
            self.stdout.write(f"  {email:<26} {org:<15} {role}")
        self.stdout.write("")
