import os

from django.core.management.base import BaseCommand

KILL_TIMEOUT_SECONDS = 10


class Command(BaseCommand):
    help = ("Serve Kinomost (pages, API, static files, HLS) with granian. "
            "Host, port and worker processes from options or KINOMOST_HOST/KINOMOST_PORT/KINOMOST_WEB_WORKERS.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KINOMOST_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KINOMOST_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KINOMOST_WEB_WORKERS", "1")))

    def handle(self, *args, host, port, workers, **opts):
        """granian rather than uvicorn: it implements the ASGI `http.response.pathsend` extension,
        so HLS segments are sent from their files outside Python (cinema/delivery.py) — the
        embedded server then reaches most of nginx's segment rate instead of a sixth of it."""
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels

        self.stdout.write(self.style.SUCCESS(f"Kinomost is serving at http://{host}:{port}/  (Ctrl+C stops it)"), ending="\n")
        self.stdout.flush()
        Granian(
            "kinomost.asgi:application",
            address=host,
            port=port,
            workers=workers,
            interface=Interfaces.ASGINL,  # Django has no lifespan protocol
            # A worker stopped while requests were still in flight can hang at its very exit
            # (granian issue #875); after this many seconds the server kills it and stops.
            workers_kill_timeout=KILL_TIMEOUT_SECONDS,
            log_level=LogLevels.warning,
        ).serve()
