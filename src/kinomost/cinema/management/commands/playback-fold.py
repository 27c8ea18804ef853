from django.core.management.base import BaseCommand

from kinomost.cinema import beats, housekeeping, live


class Command(BaseCommand):
    help = (
        "Fold heartbeats into playback sessions (from Redis with KINOMOST_REDIS_URL; any number may run, "
        "as consumers of one group), end sessions whose licence or subscription lapsed and delete expired "
        "app tokens and TV codes. Every web "
        "process also folds by itself; this is for a dedicated folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="fold what is pending, check lapsed sessions once, and exit")
        parser.add_argument("--name", help="the consumer's name in the Redis group (default host-pid)")

    def handle(self, *args, once, name, **opts):
        if once:
            folded = beats.drain()
            done = housekeeping.run()
            if opts["verbosity"] > 0:
                self.stdout.write(
                    f"{folded} session(s) updated, {done['ended']} lapsed session(s) ended, "
                    f"{done['tokens']} expired app token(s) and {done['device_codes']} TV code(s) deleted"
                )
            return
        if opts["verbosity"] > 0:
            where = "Redis" if live.redis_client() is not None else "this process only (no KINOMOST_REDIS_URL: nothing to fold)"
            self.stderr.write(f"kinomost playback-fold: folding heartbeats from {where} (Ctrl+C stops it)")
        try:
            beats.run_folder(name=name)
        except KeyboardInterrupt:
            return
