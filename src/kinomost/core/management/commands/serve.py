import os

from django.core.management.base import BaseCommand, CommandError

KILL_TIMEOUT_SECONDS = 10
DEFAULT_THREADS = 4


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Command(BaseCommand):
    help = (
        "Serve Kinomost (pages, API, static files, HLS, /healthz, /readyz) with granian: one worker "
        "process per core by default. Host, port, worker processes and threads per worker from options or "
        "KINOMOST_HOST/KINOMOST_PORT/KINOMOST_WEB_WORKERS/KINOMOST_WEB_THREADS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("KINOMOST_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KINOMOST_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("KINOMOST_WEB_WORKERS") or cores()),
            help="worker processes (default: one per core, here %(default)s)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("KINOMOST_WEB_THREADS") or DEFAULT_THREADS),
            help="threads per worker for Django's synchronous code (default %(default)s)",
        )

    def handle(self, *args, host, port, workers, threads, **opts):
        """granian rather than uvicorn: it implements the ASGI `http.response.pathsend` extension,
        so HLS segments are sent from their files outside Python (cinema/delivery.py) — the
        embedded server then reaches most of nginx's segment rate instead of a sixth of it.

        Processes, not threads, for the cores: Django's request code holds the GIL, so one process
        uses one core whatever its threads. Each worker keeps `threads` long-lived threads
        (core/handlers.py); the number reaches the workers through the environment, which
        kinomost.asgi reads when a worker loads it."""
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels

        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        os.environ["KINOMOST_WEB_THREADS"] = str(threads)
        self.stdout.write(
            self.style.SUCCESS(
                f"Kinomost is serving at http://{host}:{port}/  ({workers} worker process{'es' if workers > 1 else ''}"
                f" × {threads} threads; Ctrl+C stops it)"
            ),
            ending="\n",
        )
        self.stdout.flush()
        Granian(
            "kinomost.asgi:application",
            address=host,
            port=port,
            workers=workers,
            interface=Interfaces.ASGINL,  # Django has no lifespan protocol
            # A worker that dies (killed for memory, a crash in a C extension) is started again;
            # the others go on serving meanwhile.
            respawn_failed_workers=True,
            # A worker stopped while requests were still in flight can hang at its very exit
            # (granian issue #875); after this many seconds the server kills it and stops.
            workers_kill_timeout=KILL_TIMEOUT_SECONDS,
            log_level=LogLevels.warning,
        ).serve()
