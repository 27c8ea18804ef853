"""`kinomost storefront rebuild [--platform ORG/SLUG ...]`: recompute the visibility set from scratch."""

import time

from django.core.management.base import BaseCommand, CommandError

from kinomost.cinema import visibility
from kinomost.cinema.models import Platform


class Command(BaseCommand):
    help = (
        "The storefront's visibility set (docs/cinema.md). `rebuild` recomputes it from the rights ledger, "
        "approvals, ready packages and ratings — after a restore, or to check nothing drifted; it is kept "
        "up to date by every change without this."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument(
            "--platform",
            action="append",
            default=[],
            metavar="ORG/SLUG",
            help="only this platform (organisation slug / platform slug); repeatable. Default: every platform",
        )

    def handle(self, *args, action, platform, **opts):
        platforms = self._chosen(platform)
        for one in platforms:
            started = time.monotonic()
            rows = visibility.rebuild(one)
            self.stdout.write(f"{one.organisation.slug}/{one.slug}: {rows} rows ({time.monotonic() - started:.1f} s)")
        if not platforms:
            self.stdout.write("no platforms")

    def _chosen(self, names: list[str]) -> list[Platform]:
        if not names:
            return list(Platform.objects.select_related("organisation").order_by("organisation__slug", "slug"))
        chosen = []
        for name in names:
            org, sep, slug = name.partition("/")
            found = Platform.objects.select_related("organisation").filter(organisation__slug=org, slug=slug).first() if sep else None
            if found is None:
                raise CommandError(f"no platform {name!r}: name it as organisation-slug/platform-slug (e.g. scale-cinema/scale)")
            chosen.append(found)
        return chosen
