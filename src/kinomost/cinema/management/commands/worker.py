from django.core.management.base import BaseCommand

from kinomost.cinema.worker import run_worker


class Command(BaseCommand):
    help = (
        "Run ingest jobs (probe, transcode, package, encrypt). Start as many as you like, on any machine "
        "that shares the database and the media storage; a job whose worker dies is taken over."
    )

    def add_arguments(self, parser):
        parser.add_argument("--until-empty", action="store_true", help="stop when no job is waiting")
        parser.add_argument("--name", help="how this worker signs its leases (default host:pid)")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks at an empty queue")

    def handle(self, *args, until_empty, name, poll, **opts):
        if opts["verbosity"] > 0:
            self.stderr.write("kinomost worker: waiting for ingest jobs (Ctrl+C stops it)")
        try:
            handled = run_worker(owner=name, until_empty=until_empty, poll_seconds=poll)
        except KeyboardInterrupt:
            return
        if opts["verbosity"] > 0:
            self.stderr.write(f"{handled} job(s) handled")
