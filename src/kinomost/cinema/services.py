"""Writes of the online cinema: platforms and ingest. One business action per function."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from kinomost.cinema import keys, ladder, origins, probe, queue, storage
from kinomost.cinema import subtitles as subtitle_files
from kinomost.cinema.models import PLATFORM_MEDIA, Asset, AssetSource, Platform, SourceKind
from kinomost.core import media as media_tree
from kinomost.core import territories
from kinomost.core.audit import record
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.core.languages import normalise_tag
from kinomost.parties.context import Actor
from kinomost.parties.roles import OPERATE_PLATFORM

SUBTITLE_SUFFIXES = {".srt", ".vtt", ".webvtt", ".ass", ".ssa"}


def create_platform(
    actor: Actor, *, slug: str, name: str, territories_spec: list[str] | str, media: list[str] | str, languages: list[str]
) -> Platform:
    """A platform sells in countries (groups such as CIS are expanded), by VOD media, in languages."""
    actor.require(OPERATE_PLATFORM, _("run a platform"))
    countries = territories.expand(territories_spec)
    if not countries:
        raise InvalidInput(_("A platform serves at least one territory."))
    leaves = media_tree.expand(media)
    unsellable = [m for m in leaves if m not in PLATFORM_MEDIA]
    if not leaves or unsellable:
        raise InvalidInput(_("A platform sells video on demand: choose among %(media)s.") % {"media": ", ".join(PLATFORM_MEDIA)})
    tags = list(dict.fromkeys(normalise_tag(t) for t in languages))
    if not tags:
        raise InvalidInput(_("A platform speaks at least one language."))
    with transaction.atomic():
        if Platform.objects.filter(organisation=actor.organisation, slug=slug).exists():
            raise Conflict(_("This organisation already has a platform '%(slug)s'.") % {"slug": slug})
        platform = Platform.objects.create(
            organisation=actor.organisation, slug=slug, name=name, territories=countries, media=leaves, languages=tags
        )
        record("cinema.platform_created", actor=actor, organisation=actor.organisation, obj=platform)
    return platform


def set_app_origins(actor: Actor, platform: Platform, app_origins: list[str] | str) -> Platform:
    """The web origins of the platform's own apps (a TV app, a partner's site), which then get CORS
    on the viewer API, streams, keys and heartbeats (cinema/origins.py). Replaces the list."""
    actor.require(OPERATE_PLATFORM, _("run a platform"))
    if platform.organisation_id != actor.organisation.pk:
        raise NotFound(_("No such platform."))
    given = app_origins.replace(",", " ").split() if isinstance(app_origins, str) else list(app_origins)
    cleaned = list(dict.fromkeys(origins.normalise(o) for o in given if str(o).strip()))
    if len(cleaned) > 20:
        raise InvalidInput(_("A platform registers at most 20 app origins."))
    with transaction.atomic():
        platform.app_origins = cleaned
        platform.save(update_fields=["app_origins"])
        record("cinema.platform_app_origins", actor=actor, organisation=actor.organisation, obj=platform, app_origins=cleaned)
    origins.forget()
    return platform


@dataclass
class IngestRequest:
    work: object  # catalog Work the actor may see
    master: Path
    audio: list[tuple[str, Path]] = field(default_factory=list)
    subtitles: list[tuple[str, Path]] = field(default_factory=list)
    platform: Platform | None = None
    ladder: list[int] | None = None


def start_ingest(actor: Actor, request: IngestRequest) -> Asset:
    """Check every file can be played, bring it into private storage and queue the job.

    The files are checked and copied before the transaction opens (a copy of many GB must not
    hold the database), under the asset's future id; if the transaction fails they are removed.
    """
    actor.require(OPERATE_PLATFORM, _("ingest media"))
    if request.platform is not None and request.platform.organisation_id != actor.organisation_id:
        raise InvalidInput(_("No such platform."))
    audio = [(normalise_tag(lang), Path(p)) for lang, p in request.audio]
    subtitles = [(normalise_tag(lang), Path(p)) for lang, p in request.subtitles]
    rungs = sorted({int(h) for h in (request.ladder or ladder.DEFAULT_LADDER)}, reverse=True)
    if not rungs or any(h < 72 or h > 4320 or h % 2 for h in rungs):
        raise InvalidInput(_("Ladder heights are even numbers of lines between 72 and 4320."))
    found = probe.check_playable_master(Path(request.master))
    audio_found = [probe.check_playable_audio(path).as_dict() for _lang, path in audio]
    for _lang, path in subtitles:
        check_subtitles(path)
    key, iv = keys.new_key()
    asset = Asset(
        organisation=actor.organisation,
        work=request.work,
        platform=request.platform,
        ladder=rungs,
        key=key,
        iv=iv,
        probe={"master": found.as_dict(), "audio": audio_found},
        duration=found.duration,
    )
    sources = _store_sources(asset, Path(request.master), audio, subtitles)
    try:
        with transaction.atomic():
            asset.save()
            for source in sources:
                source.asset = asset
            AssetSource.objects.bulk_create(sources)
            queue.enqueue(asset)
            record(
                "cinema.ingest_started",
                actor=actor,
                organisation=actor.organisation,
                obj=asset,
                work=request.work.pk,
                files=[s.original_name for s in sources],
            )
    except Exception:
        storage.remove_sources(asset.public_id)
        raise
    return asset


def check_subtitles(path: Path) -> None:
    """A subtitle file is text in one of the formats `cinema.subtitles` reads, and holds cues."""
    if path.suffix.lower() not in SUBTITLE_SUFFIXES:
        raise InvalidInput(_("%(name)s is not a subtitle file (SRT, WebVTT or ASS).") % {"name": path.name})
    if not path.is_file():
        raise InvalidInput(_("The file %(name)s does not exist.") % {"name": path.name})
    subtitle_files.to_webvtt(path)


def _store_sources(asset: Asset, master: Path, audio, subtitles) -> list[AssetSource]:
    files = [(SourceKind.MASTER, "", master, f"master{master.suffix.lower()}")]
    files += [(SourceKind.AUDIO, lang, p, f"audio-{i}-{lang}{p.suffix.lower()}") for i, (lang, p) in enumerate(audio)]
    files += [(SourceKind.SUBTITLES, lang, p, f"subtitles-{i}-{lang}{p.suffix.lower()}") for i, (lang, p) in enumerate(subtitles)]
    sources = []
    for kind, lang, path, name in files:
        stored = storage.store_source(asset.public_id, path, name)
        sources.append(
            AssetSource(
                kind=kind, language=lang, path=storage.relative_to_private(stored), original_name=path.name, size=stored.stat().st_size
            )
        )
    return sources
