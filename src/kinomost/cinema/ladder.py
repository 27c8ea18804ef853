"""The transcode plan: which rungs and renditions a master becomes, and the one ffmpeg command
that makes them all.

One ffmpeg process decodes the master once and encodes every rung (split + scale), every audio
language and the scrubbing sprites; keyframes are forced at the same instants on every rung, so
segments line up across the ladder and players switch cleanly. Per-rung processes would decode
the master once per rung, which costs more than the 5 % the benchmark allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from kinomost.cinema import mediafile
from kinomost.cinema.probe import Probe

DEFAULT_LADDER = (1080, 720, 480, 360)
SEGMENT_SECONDS = 6
AUDIO_KBPS = 128
PRESET = "veryfast"
SPRITE_WIDTH = 160
SPRITE_COLUMNS = 10
SPRITE_ROWS = 10
# kbit/s for common heights (H.264 high profile, film content); others scale with the picture area.
VIDEO_KBPS = {2160: 14000, 1440: 8000, 1080: 5000, 720: 2800, 540: 2000, 480: 1400, 360: 800, 240: 400, 180: 300, 144: 200}


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    kbps: int


@dataclass(frozen=True)
class AudioRendition:
    name: str
    language: str
    input_index: int  # 0 = the master, 1.. = added files
    stream_index: int  # the audio stream's number within that input


@dataclass
class Plan:
    rungs: list[Rung]
    audio: list[AudioRendition]
    duration: float
    sprite_interval: int
    sprite_size: tuple[int, int]
    extra_inputs: list[Path] = field(default_factory=list)

    @property
    def lowest(self) -> Rung:
        return self.rungs[-1]


def _even(x: float) -> int:
    return max(2, int(round(x / 2)) * 2)


def plan(found: Probe, *, ladder: list[int] | tuple[int, ...], added_audio: list[tuple[str, Path, Probe]]) -> Plan:
    """Rungs no taller than the source (never upscale; a source smaller than every rung gets one
    rung of its own size); one audio rendition per audio stream of the master and per added file."""
    width, height = found.display_size()
    heights = sorted({h for h in ladder if h <= height}, reverse=True) or [height]
    rungs = [Rung(f"{h}p", _even(width * h / height), _even(h), _kbps(width * h / height, h)) for h in heights]
    audio: list[AudioRendition] = []
    names: set[str] = set()
    for i, stream in enumerate(found.audio):
        audio.append(AudioRendition(_unique(f"audio-{stream.language or 'und'}", names), stream.language, 0, i))
    for n, (language, _path, _probe) in enumerate(added_audio, start=1):
        audio.append(AudioRendition(_unique(f"audio-{language}", names), language, n, 0))
    interval = max(1, math.ceil(found.duration / 300))  # at most ~300 thumbnails
    sprite_h = _even(SPRITE_WIDTH * height / width)
    return Plan(rungs, audio, found.duration, interval, (SPRITE_WIDTH, sprite_h), [p for _l, p, _p in added_audio])


def _kbps(width: float, height: int) -> int:
    if height in VIDEO_KBPS:
        return VIDEO_KBPS[height]
    return max(100, int(VIDEO_KBPS[1080] * (width * height / (1920 * 1080)) ** 0.75))


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate)
    return candidate


# JPEG is full-range YUV: a broadcast master's limited-range picture (most H.264 in MPEG-TS) is
# converted, or ffmpeg's mjpeg encoder refuses it ("Non full-range YUV is non-standard").
JPEG_PIXELS = "format=yuvj420p"


def transcode_args(
    p: Plan, master: Path, out_dir: Path, key_info: Path, *, sprites: bool = True, readrate: float | None = None
) -> list[str]:
    """ffmpeg arguments writing the whole ladder as encrypted HLS into `out_dir`:
    `<rung>/index.m3u8`, `<audio>/index.m3u8`, their `seg_NNNNN.ts`, `thumbs/thumb_NNNNN.jpg`
    and ffmpeg's own `ffmpeg-master.m3u8` (read for the CODECS strings)."""
    args: list[str] = ["-y", "-v", "error"]
    if readrate:
        args += ["-readrate", str(readrate)]
    args += mediafile.input_args(master, mediafile.MASTER_CONTAINERS)
    for extra in p.extra_inputs:
        if readrate:
            args += ["-readrate", str(readrate)]
        args += mediafile.input_args(extra, mediafile.AUDIO_CONTAINERS)
    branches = len(p.rungs) + (1 if sprites else 0)
    graph = [f"[0:v:0]split={branches}" + "".join(f"[s{i}]" for i in range(branches))]
    for i, rung in enumerate(p.rungs):
        graph.append(f"[s{i}]scale={rung.width}:{rung.height},setsar=1,format=yuv420p[v{i}]")
    if sprites:
        sw, sh = p.sprite_size
        graph.append(f"[s{len(p.rungs)}]fps=1/{p.sprite_interval},scale={sw}:{sh},setsar=1,{JPEG_PIXELS}[thumbs]")
    args += ["-filter_complex", ";".join(graph)]
    for i, rung in enumerate(p.rungs):
        args += [
            "-map",
            f"[v{i}]",
            f"-b:v:{i}",
            f"{rung.kbps}k",
            f"-maxrate:v:{i}",
            f"{int(rung.kbps * 1.1)}k",
            f"-bufsize:v:{i}",
            f"{rung.kbps * 2}k",
        ]
    for a in p.audio:
        args += ["-map", f"{a.input_index}:a:{a.stream_index}"]
    args += [
        "-c:v",
        "libx264",
        "-preset",
        PRESET,
        "-profile:v",
        "high",
        "-pix_fmt",
        "yuv420p",
        "-force_key_frames",
        f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
        "-sc_threshold",
        "0",
        "-c:a",
        "aac",
        "-b:a",
        f"{AUDIO_KBPS}k",
        "-ac",
        "2",
        "-ar",
        "48000",
        "-f",
        "hls",
        "-hls_time",
        str(SEGMENT_SECONDS),
        "-hls_playlist_type",
        "event",
        "-hls_list_size",
        "0",
        "-hls_key_info_file",
        str(key_info),
        "-hls_segment_filename",
        str(out_dir / "%v" / "seg_%05d.ts"),
        "-master_pl_name",
        "ffmpeg-master.m3u8",
        "-var_stream_map",
        _var_stream_map(p),
        str(out_dir / "%v" / "index.m3u8"),
    ]
    if sprites:
        # Single thumbnails, tiled into sheets afterwards: a tile filter here would hold its output
        # back until a sheet fills, and ffmpeg's progress clock waits for the slowest output.
        (out_dir / "thumbs").mkdir(exist_ok=True)
        args += ["-map", "[thumbs]", "-c:v", "mjpeg", "-q:v", "4", "-f", "image2", str(out_dir / "thumbs" / "thumb_%05d.jpg")]
    return args


def _var_stream_map(p: Plan) -> str:
    group = ",agroup:audio" if p.audio else ""
    entries = [f"v:{i}{group},name:{r.name}" for i, r in enumerate(p.rungs)]
    entries += [f"a:{i},agroup:audio,name:{a.name}" + (f",language:{a.language}" if a.language else "") for i, a in enumerate(p.audio)]
    return " ".join(entries)
