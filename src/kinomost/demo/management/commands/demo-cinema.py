"""`kinomost demo-cinema`: the demo's storefront (Longbo Kino in Russia) with playable titles."""

from django.core.management.base import BaseCommand, CommandError

from kinomost.demo import cinema as demo
from kinomost.core.errors import DomainError
from kinomost.demo import scenario


class Command(BaseCommand):
    help = "Open the demo storefront after `kinomost demo`: rights, a viewer, and short generated masters queued for ingest."

    def handle(self, *args, **opts):
        try:
            platform, queued = demo.open_storefront(scenario.password())
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        url = f"{scenario.URL}watch/{platform.organisation.slug}/{platform.slug}/"
        if queued:
            self.stdout.write(f"demo storefront: {queued} titles queued for ingest; the worker makes them playable in a minute or so")
        self.stdout.write(f"\nWatch at {url} as {demo.VIEWER_EMAIL} (password {scenario.password()}), subscribed, in Russia.\n")
        tv = f"{scenario.URL}tv/{platform.organisation.slug}/{platform.slug}/"
        self.stdout.write(
            f"On a TV (or a browser window; arrows, Enter, Esc): {tv} shows a code; approve it at {url}activate/ as the same viewer.\n"
        )
