"""The ingest pipeline: probe → transcode → subtitles → thumbnails → publish.

Each step is idempotent: it looks for its finished output first and, if absent, builds it in a
temporary folder or file of this attempt and renames it into place. The job records finished
steps, so a worker that takes over a dead worker's job starts at the first unfinished step, and
a step that finished its rename just before its worker died is recognised by its output.

With object storage (`storage.serves_locally()` False) the local folders are this worker's
scratch space: each step uploads its output when it is complete (`storage.publish`, a retry
uploads again), so the steps recorded as done are in the bucket, and a worker on another
machine fetches their outputs and the handed-in files before it continues (`restore`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from kinomost.cinema import ffmpeg, keys, ladder, mediafile, playlists, probe, storage, visibility
from kinomost.cinema import subtitles as subtitle_files
from kinomost.cinema.models import Asset, AssetSource, AssetStatus, IngestJob, SourceKind, Track, TrackKind
from kinomost.cinema.queue import Lease, renew
from kinomost.core.audit import record

log = logging.getLogger(__name__)

STEPS = (("probe", 2), ("transcode", 88), ("subtitles", 2), ("thumbnails", 3), ("publish", 5))
REPORT_EVERY_SECONDS = 1.0
PREVIEW_UPLOAD_EVERY_SECONDS = 2.0
# What each step leaves in the asset's folder (what a worker on another machine fetches).
STEP_OUTPUTS = {
    "transcode": ("stream",),
    "subtitles": ("subs",),
    "thumbnails": ("poster.jpg", "sprites", "thumbnails.vtt"),
    "publish": ("master.m3u8",),
}


class LeaseLost(Exception):
    """Another worker holds the job now; this one stops without writing anything more."""


class Attempt:
    """One worker's go at one job: the lease, the asset, and progress reporting."""

    def __init__(self, lease: Lease):
        self.lease = lease
        self.job = IngestJob.objects.select_related("asset").get(pk=lease.job_id)
        self.asset: Asset = self.job.asset
        self.folder = storage.asset_dir(self.asset.public_id)
        self._last_report = 0.0

    def source(self, kind: str) -> list[AssetSource]:
        return [s for s in self.asset.sources.all() if s.kind == kind]

    def master_path(self) -> Path:
        return storage.local_private(self.source(SourceKind.MASTER)[0].path)

    def plan(self) -> ladder.Plan:
        found = probe.Probe.from_dict(self.asset.probe["master"])
        added = [
            (s.language, storage.private_path(s.path), probe.Probe.from_dict(p))
            for s, p in zip(self.source(SourceKind.AUDIO), self.asset.probe.get("audio", []))
        ]
        return ladder.plan(found, ladder=self.asset.ladder or ladder.DEFAULT_LADDER, added_audio=added)

    def report(self, step: str, fraction: float, eta: float | None = None, *, force: bool = False) -> bool:
        """Store progress and renew the lease (at most once a second); False when the lease is lost."""
        now = time.monotonic()
        if not force and now - self._last_report < REPORT_EVERY_SECONDS:
            return True
        self._last_report = now
        if not renew(self.lease):
            return False
        done = sum(w for name, w in STEPS if name in self.job.done_steps)
        weight = dict(STEPS)[step]
        Asset.objects.filter(pk=self.asset.pk).update(
            status=AssetStatus.PROCESSING,
            step=step,
            progress=round(min(99.9, done + weight * min(max(fraction, 0), 1)), 1),
            eta_seconds=None if eta is None else max(0, int(eta)),
            updated_at=timezone.now(),
        )
        return True

    def stream_info(self) -> dict:
        return json.loads((self.folder / "stream" / "stream.json").read_text())


def run_steps(lease: Lease) -> None:
    from kinomost.cinema import queue

    attempt = Attempt(lease)
    restore(attempt)
    for step, _weight in STEPS:
        attempt.job.refresh_from_db(fields=["done_steps"])
        if step in attempt.job.done_steps:
            continue
        if not queue.start_step(lease, step) or not attempt.report(step, 0, force=True):
            raise LeaseLost()
        STEP_FUNCTIONS[step](attempt)
        attempt.asset.refresh_from_db()
        if not queue.step_done(lease, step):
            raise LeaseLost()
    queue.finish(lease)
    storage.remove_scratch(attempt.asset.public_id)


def restore(attempt: Attempt) -> None:
    """Fetch the outputs of the steps recorded as done that this machine's folder lacks (a step
    is recorded only after its upload completed). Nothing to do without object storage."""
    for step in attempt.job.done_steps:
        storage.fetch(attempt.asset.public_id, *STEP_OUTPUTS.get(step, ()))


# probe ------------------------------------------------------------------------------------


def step_probe(attempt: Attempt) -> None:
    """Already done when the files were handed in through `start_ingest`; kept as a step for
    assets whose probe is missing (created another way, or probed by an older version)."""
    if attempt.asset.probe.get("master"):
        return
    master = probe.check_playable_master(attempt.master_path())
    audio = [probe.check_playable_audio(storage.local_private(s.path)).as_dict() for s in attempt.source(SourceKind.AUDIO)]
    Asset.objects.filter(pk=attempt.asset.pk).update(probe={"master": master.as_dict(), "audio": audio}, duration=master.duration)


# transcode --------------------------------------------------------------------------------


def step_transcode(attempt: Attempt) -> None:
    final = attempt.folder / "stream"
    public_id = attempt.asset.public_id
    if not final.exists():
        _transcode(attempt, final)
    _finish_preview(attempt, attempt.plan(), final)  # the whole lowest rung, until the master replaces it
    storage.publish(public_id, "stream")  # again after a retry: renamed by an attempt that died before uploading
    storage.publish(public_id, PREVIEW_FOLDER, PREVIEW_PLAYLIST)
    storage.unpublish_partials(public_id)  # left by older versions, which uploaded the preview from there


def _transcode(attempt: Attempt, final: Path) -> None:
    plan = attempt.plan()
    for source in attempt.source(SourceKind.AUDIO):  # added dubs are inputs too
        storage.local_private(source.path)
    partial = storage.partial_dir(final, attempt.lease.token)
    key_info = keys.write_key_info(attempt.asset, attempt.lease.token)
    started = time.monotonic()
    preview = Preview(attempt, plan, partial)
    preview.reset()  # an earlier attempt's segments are not this encode's
    preview_upload = PreviewUpload(attempt, plan)

    def on_progress(done: float, speed: float) -> bool:
        if preview.sync():
            preview_upload()
        fraction = min(1.0, max(0.0, done / plan.duration)) if plan.duration else 0.0
        elapsed = time.monotonic() - started
        eta = elapsed * (1 - fraction) / fraction if fraction > 0.01 else None
        return attempt.report("transcode", fraction, eta)

    args = ladder.transcode_args(plan, attempt.master_path(), partial, key_info, readrate=_readrate())
    try:
        ffmpeg.run_with_progress(args, on_progress)
    finally:
        key_info.unlink(missing_ok=True)
    _finish_stream_folder(attempt, plan, partial)
    storage.publish_dir(partial, final)


def _readrate() -> float | None:
    """KINOMOST_CINEMA_READRATE limits how fast ffmpeg reads the master (× real time): a way to
    keep a shared machine responsive, and how the tests catch a transcode in the middle."""
    value = os.environ.get("KINOMOST_CINEMA_READRATE")
    return float(value) if value else None


def _finish_stream_folder(attempt: Attempt, plan: ladder.Plan, folder: Path) -> None:
    """Media playlists become VOD; ffmpeg's master gives way to stream.json (codecs, MPEG-TS start)."""
    for name in [r.name for r in plan.rungs] + [a.name for a in plan.audio]:
        playlist = folder / name / "index.m3u8"
        text = playlist.read_text().replace("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:VOD")
        storage.write_atomic(playlist, text)
    ffmpeg_master = folder / "ffmpeg-master.m3u8"
    info = {"codecs": playlists.ffmpeg_codecs(ffmpeg_master), "mpegts_start": _mpegts_start(attempt, folder / plan.lowest.name)}
    storage.write_atomic(folder / "stream.json", json.dumps(info, indent=1))
    ffmpeg_master.unlink(missing_ok=True)


def _mpegts_start(attempt: Attempt, rung_folder: Path) -> int:
    """The first video presentation time in 90 kHz units (ffmpeg's MPEG-TS muxer starts near 1.4 s)."""
    first = sorted(rung_folder.glob("seg_*.ts"))[0]
    clear = keys.decrypt_segment(attempt.asset.key, attempt.asset.iv, first.read_bytes())
    with tempfile.NamedTemporaryFile(suffix=".ts") as tmp:
        tmp.write(clear)
        tmp.flush()
        proc = ffmpeg.execute([ffmpeg.ffmpeg_exe(), "-hide_banner", *mediafile.input_args(Path(tmp.name), (mediafile.MPEG_TS,))])
    for line in proc.stderr.splitlines():
        if "start:" in line and "Duration" in line:
            try:
                return round(float(line.split("start:")[1].split(",")[0]) * 90000)
            except ValueError:
                break
    return 126000


PREVIEW_FOLDER = "preview"
PREVIEW_PLAYLIST = "preview.m3u8"


class Preview:
    """The lowest rung and first audio, playable while the rest of the ladder encodes.

    ffmpeg writes into the attempt's temporary folder (`stream.partial-<token>/`), which neither
    nginx nor the embedded server serves (cinema/delivery.py refuses unfinished names). So each
    progress report mirrors those two tracks into the stable public folder `preview/`: every
    segment a playlist lists (ffmpeg lists a segment only once it is written) is hard-linked —
    copied where links fail — and then the playlist text read *before* linking is written, so a
    preview playlist never names a missing segment. It stays an EVENT playlist: players reload
    it and follow it as it grows. `preview.m3u8` (a master playlist of the two) is written once
    both tracks list a segment, and `Asset.preview_playlist` names it. The publish step removes
    both once `master.m3u8` exists."""

    def __init__(self, attempt: Attempt, plan: ladder.Plan, source: Path):
        self.attempt = attempt
        self.plan = plan
        self.source = source
        self.target = attempt.folder / PREVIEW_FOLDER
        self.tracks = [plan.lowest.name] + ([plan.audio[0].name] if plan.audio else [])
        self.linked: set[str] = set()
        self.written: dict[str, str] = {}  # the playlist text last mirrored, per track
        self.announced = False

    def reset(self) -> None:
        """Remove an earlier attempt's preview (the new encode starts its segments again)."""
        (self.attempt.folder / PREVIEW_PLAYLIST).unlink(missing_ok=True)
        if self.target.exists():
            old = self.target.with_name(f"{PREVIEW_FOLDER}.tmp-{storage.new_token()}")
            os.rename(self.target, old)
            shutil.rmtree(old, ignore_errors=True)

    def sync(self) -> bool:
        """Mirror what is new; True once `preview.m3u8` is there (playable)."""
        ready = [self._sync_track(track) for track in self.tracks]
        if all(ready) and not self.announced:
            _write_preview_master(self.attempt, self.plan)
            self.announced = True
        return self.announced

    def _sync_track(self, track: str) -> bool:
        playlist = self.source / track / "index.m3u8"
        if not playlist.exists():
            return False
        text = playlist.read_text()
        if "#EXTINF" not in text:
            return False
        if self.written.get(track) == text:
            return True
        folder = self.target / track
        folder.mkdir(parents=True, exist_ok=True)
        for line in text.splitlines():
            if line and not line.startswith("#") and f"{track}/{line}" not in self.linked:
                storage.link_or_copy(self.source / track / line, folder / line)
                self.linked.add(f"{track}/{line}")
        # Once the rung is finished its playlist is VOD; a playlist type must not change under a player.
        storage.write_atomic(folder / "index.m3u8", text.replace("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-PLAYLIST-TYPE:EVENT"))
        self.written[track] = text
        return True


def _finish_preview(attempt: Attempt, plan: ladder.Plan, final: Path) -> None:
    """After the transcode the preview holds the whole lowest rung (a player watching it reaches
    the end: the playlists now end with #EXT-X-ENDLIST), from the published `stream/`."""
    preview = Preview(attempt, plan, final)
    preview.linked = {f"{t}/{p.name}" for t in preview.tracks for p in (preview.target / t).glob("seg_*.ts")}
    preview.sync()
    if not preview.announced:  # too short for a progress report to have caught it growing
        _write_preview_master(attempt, plan)


def _write_preview_master(attempt: Attempt, plan: ladder.Plan) -> None:
    lines = ["#EXTM3U", "#EXT-X-VERSION:4"]
    stream_inf = (
        f"#EXT-X-STREAM-INF:BANDWIDTH={(plan.lowest.kbps + ladder.AUDIO_KBPS) * 1000},RESOLUTION={plan.lowest.width}x{plan.lowest.height}"
    )
    if plan.audio:
        a = plan.audio[0]
        lang = f',LANGUAGE="{a.language}"' if a.language else ""
        lines.append(
            f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="{a.name}"{lang},DEFAULT=YES,AUTOSELECT=YES,'
            f'URI="{PREVIEW_FOLDER}/{a.name}/index.m3u8"'
        )
        stream_inf += ',AUDIO="audio"'
    lines += [stream_inf, f"{PREVIEW_FOLDER}/{plan.lowest.name}/index.m3u8"]
    storage.write_atomic(attempt.folder / PREVIEW_PLAYLIST, "\n".join(lines) + "\n")
    Asset.objects.filter(pk=attempt.asset.pk).update(preview_playlist=PREVIEW_PLAYLIST)


class PreviewUpload:
    """With object storage, the preview folder is uploaded as it grows (every couple of seconds):
    the new segments of each track, then the playlist text that was read before them (so it names
    only uploaded segments), then `preview.m3u8` once. Best effort: a failed upload is logged and
    tried again at the next call, never stopping the transcode."""

    def __init__(self, attempt: Attempt, plan: ladder.Plan):
        self.public_id = attempt.asset.public_id
        self.folder = attempt.folder / PREVIEW_FOLDER
        self.tracks = [plan.lowest.name] + ([plan.audio[0].name] if plan.audio else [])
        self.sent: set[str] = set()
        self.last = 0.0

    def __call__(self) -> None:
        if storage.serves_locally() or time.monotonic() - self.last < PREVIEW_UPLOAD_EVERY_SECONDS:
            return
        self.last = time.monotonic()
        try:
            for track in self.tracks:
                self._upload_track(track)
            if PREVIEW_PLAYLIST not in self.sent:
                storage.publish(self.public_id, PREVIEW_PLAYLIST)
                self.sent.add(PREVIEW_PLAYLIST)
        except Exception:  # noqa: BLE001 — the preview is a convenience; the transcode goes on
            log.warning("preview upload of %s failed; trying again", self.public_id, exc_info=True)

    def _upload_track(self, track: str) -> None:
        playlist = self.folder / track / "index.m3u8"
        if not playlist.exists():
            return
        text = playlist.read_bytes()
        prefix = f"{PREVIEW_FOLDER}/{track}"
        for line in text.decode().splitlines():
            if line and not line.startswith("#") and f"{prefix}/{line}" not in self.sent:
                storage.publish_file(self.public_id, f"{prefix}/{line}", self.folder / track / line)
                self.sent.add(f"{prefix}/{line}")
        storage.publish_file(self.public_id, f"{prefix}/index.m3u8", text)


# subtitles --------------------------------------------------------------------------------


def step_subtitles(attempt: Attempt) -> None:
    mpegts = None
    for name, source in _subtitle_names(attempt):
        final = attempt.folder / "subs" / name
        if final.exists():
            continue
        if mpegts is None:
            mpegts = attempt.stream_info()["mpegts_start"]
        vtt = subtitle_files.to_webvtt(storage.local_private(source.path))
        partial = storage.partial_dir(final, attempt.lease.token)
        (partial / "subtitles.vtt").write_text(playlists.with_timestamp_map(vtt, mpegts), encoding="utf-8")
        (partial / "index.m3u8").write_text(playlists.subtitle_playlist("subtitles.vtt", attempt.asset.duration))
        storage.publish_dir(partial, final)
    storage.publish(attempt.asset.public_id, "subs")


def _subtitle_names(attempt: Attempt) -> list[tuple[str, AssetSource]]:
    taken: set[str] = set()
    return [(ladder._unique(s.language, taken), s) for s in attempt.source(SourceKind.SUBTITLES)]


# thumbnails -------------------------------------------------------------------------------


def step_thumbnails(attempt: Attempt) -> None:
    plan = attempt.plan()
    poster = attempt.folder / "poster.jpg"
    if not poster.exists():
        tmp = poster.with_name(f"poster.tmp-{attempt.lease.token}.jpg")
        _poster_frame(attempt, plan, tmp)
        os.replace(tmp, poster)
    sprites = attempt.folder / "sprites"
    if not sprites.exists():
        partial = storage.partial_dir(sprites, attempt.lease.token)
        ffmpeg.run(
            [
                "-v",
                "error",
                "-y",
                "-framerate",
                "1",
                "-i",
                str(attempt.folder / "stream" / "thumbs" / "thumb_%05d.jpg"),
                "-vf",
                f"tile={ladder.SPRITE_COLUMNS}x{ladder.SPRITE_ROWS}",
                "-q:v",
                "4",
                "-f",
                "image2",
                str(partial / "sprite_%03d.jpg"),
            ],
            timeout=300,
        )
        storage.publish_dir(partial, sprites)
    index = attempt.folder / "thumbnails.vtt"
    if not index.exists():
        count = len(list((attempt.folder / "stream" / "thumbs").glob("thumb_*.jpg")))
        text = playlists.thumbnails_vtt(
            count,
            plan.sprite_interval,
            plan.sprite_size,
            "sprites/sprite_%03d.jpg",
            plan.duration,
            ladder.SPRITE_COLUMNS,
            ladder.SPRITE_COLUMNS * ladder.SPRITE_ROWS,
        )
        storage.write_atomic(index, text)
    storage.publish(attempt.asset.public_id, *STEP_OUTPUTS["thumbnails"])


def _poster_frame(attempt: Attempt, plan: ladder.Plan, target: Path) -> None:
    """A frame a tenth of the way in. Seeking before decoding is fast, but in a file without an
    index (MPEG-TS) whose keyframes are far apart it can land past them and yield no frame at all;
    then the frame is found by decoding up to that point instead."""
    width, height = plan.rungs[0].width, plan.rungs[0].height
    at = ["-ss", f"{plan.duration * 0.1:.3f}"]
    source = mediafile.input_args(attempt.master_path(), mediafile.MASTER_CONTAINERS)
    output = [
        "-frames:v",
        "1",
        "-vf",
        f"scale={width}:{height},setsar=1,{ladder.JPEG_PIXELS}",
        "-q:v",
        "3",
        "-f",
        "image2",
        "-update",
        "1",
        str(target),
    ]
    for args in ([*at, *source, *output], [*source, *at, *output]):
        ffmpeg.run(["-v", "error", "-y", *args], timeout=300)
        if target.exists():
            return
    raise ffmpeg.FfmpegFailed("ffmpeg wrote no poster frame")


# publish ----------------------------------------------------------------------------------


def step_publish(attempt: Attempt) -> None:
    plan = attempt.plan()
    info = attempt.stream_info()
    video = []
    for r in plan.rungs:
        m = playlists.measure(attempt.folder, f"stream/{r.name}/index.m3u8", r.name)
        m.codecs, m.width, m.height = info["codecs"].get(r.name, ""), r.width, r.height
        video.append(m)
    audio = []
    for a in plan.audio:
        m = playlists.measure(attempt.folder, f"stream/{a.name}/index.m3u8", a.name)
        m.language = a.language
        audio.append(m)
    subtitles = [
        playlists.Measured(name=name, uri=f"subs/{name}/index.m3u8", peak=0, average=0, language=s.language)
        for name, s in _subtitle_names(attempt)
    ]
    fps = probe.Probe.from_dict(attempt.asset.probe["master"]).video.fps
    storage.write_atomic(attempt.folder / "master.m3u8", playlists.master(video, audio, subtitles, frame_rate=fps))
    storage.publish(attempt.asset.public_id, "master.m3u8")  # the last upload: everything it names is there
    _record_ready(attempt.asset, video, audio, subtitles)
    (attempt.folder / PREVIEW_PLAYLIST).unlink(missing_ok=True)
    shutil.rmtree(attempt.folder / PREVIEW_FOLDER, ignore_errors=True)
    storage.unpublish(attempt.asset.public_id, PREVIEW_PLAYLIST, f"{PREVIEW_FOLDER}/")
    keys.remove_key_files(attempt.asset)


def _record_ready(asset: Asset, video, audio, subtitles) -> None:
    with transaction.atomic():
        asset.tracks.all().delete()
        Track.objects.bulk_create(
            [
                Track(
                    asset=asset,
                    kind=TrackKind.VIDEO,
                    name=v.name,
                    playlist=v.uri,
                    width=v.width,
                    height=v.height,
                    bandwidth=v.peak,
                    average_bandwidth=v.average,
                    codecs=v.codecs,
                )
                for v in video
            ]
            + [
                Track(
                    asset=asset,
                    kind=TrackKind.AUDIO,
                    name=a.name,
                    language=a.language,
                    playlist=a.uri,
                    bandwidth=a.peak,
                    average_bandwidth=a.average,
                    codecs="mp4a.40.2",
                    is_default=i == 0,
                )
                for i, a in enumerate(audio)
            ]
            + [Track(asset=asset, kind=TrackKind.SUBTITLES, name=s.name, language=s.language, playlist=s.uri) for s in subtitles]
        )
        Asset.objects.filter(pk=asset.pk).update(
            status=AssetStatus.READY,
            step="",
            progress=100.0,
            eta_seconds=0,
            error="",
            master_playlist="master.m3u8",
            preview_playlist="",
            poster="poster.jpg",
            thumbnails="thumbnails.vtt",
            ready_at=timezone.now(),
            updated_at=timezone.now(),
        )
        record("cinema.asset_ready", organisation=asset.organisation_id, obj=asset, work=asset.work_id)
        visibility.asset_changed(asset)  # on the storefront in the same transaction


STEP_FUNCTIONS = {
    "probe": step_probe,
    "transcode": step_transcode,
    "subtitles": step_subtitles,
    "thumbnails": step_thumbnails,
    "publish": step_publish,
}
