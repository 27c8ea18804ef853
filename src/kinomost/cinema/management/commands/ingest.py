import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinomost.cinema import selectors, services
from kinomost.cinema.models import AssetStatus
from kinomost.cinema.worker import wait_for
from kinomost.core.errors import DomainError
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.parties.selectors import organisation_by_slug


def _language_file(value: str) -> tuple[str, Path]:
    language, sep, path = value.partition("=")
    if not sep or not language or not path:
        raise CommandError(f"expected LANG=FILE, got {value!r}")
    return language, Path(path)


class Command(BaseCommand):
    help = (
        "Ingest a master into encrypted adaptive HLS: kinomost ingest WORK FILE --org SLUG "
        "[--audio LANG=FILE] [--subtitles LANG=FILE] [--wait]. WORK is a catalogue reference or number."
    )

    def add_arguments(self, parser):
        parser.add_argument("work")
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="the organisation that runs the platform")
        parser.add_argument("--platform", help="slug of the organisation's platform")
        parser.add_argument("--audio", action="append", default=[], metavar="LANG=FILE", help="an added audio language (dub)")
        parser.add_argument("--subtitles", action="append", default=[], metavar="LANG=FILE", help="SRT, WebVTT or ASS")
        parser.add_argument("--ladder", help="rung heights, e.g. 1080,720,480,360 (the default)")
        parser.add_argument("--wait", action="store_true", help="follow the progress until the asset is ready")

    def handle(self, *args, work, file, org, platform, audio, subtitles, ladder, wait, **opts):
        try:
            actor = Actor(organisation=organisation_by_slug(org), role=Role.OWNER)
            request = services.IngestRequest(
                work=selectors.work_for_ingest(actor, work),
                master=Path(file),
                audio=[_language_file(a) for a in audio],
                subtitles=[_language_file(s) for s in subtitles],
                platform=selectors.platform_for(actor, platform) if platform else None,
                ladder=[int(h) for h in ladder.split(",")] if ladder else None,
            )
            asset = services.start_ingest(actor, request)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        except ValueError:
            raise CommandError("--ladder takes heights such as 1080,720,480,360") from None
        self.stdout.write(f"asset {asset.public_id} queued")
        if not wait:
            self.stdout.write("a worker (make run, or kinomost worker) will process it")
            return
        asset = wait_for(asset.pk, on_change=self._show)
        if asset.status == AssetStatus.FAILED:
            raise CommandError(f"ingest failed: {asset.error}")
        status = selectors.asset_status(asset)
        self.stdout.write(f"ready: {status['master_url']}")

    def _show(self, asset):
        eta = f", {datetime.timedelta(seconds=asset.eta_seconds)} left" if asset.eta_seconds else ""
        self.stdout.write(f"{asset.status:<10} {asset.step or '-':<11} {asset.progress:5.1f}%{eta}")
