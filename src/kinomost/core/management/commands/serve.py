import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Kinomost (pages, API, static files) with uvicorn. Host and port from options or KINOMOST_HOST/KINOMOST_PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KINOMOST_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KINOMOST_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("KINOMOST_WEB_WORKERS", "1")))

    def handle(self, *args, host, port, workers, **opts):
        import uvicorn

        self.stdout.write(self.style.SUCCESS(f"Kinomost is serving at http://{host}:{port}/  (Ctrl+C stops it)"))
        uvicorn.run("kinomost.asgi:application", host=host, port=port, workers=workers, log_level="warning", lifespan="off")
