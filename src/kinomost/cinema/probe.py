"""What is in a media file, and whether Kinomost can play it.

One function, `probe(path)`, answers the same `Probe` from either tool: the system's ffprobe
(JSON) when it is installed, otherwise the stream summary that ffmpeg itself prints for an
input (`ffmpeg -i FILE`), because the imageio-ffmpeg wheel ships ffmpeg without ffprobe. That
summary carries everything the ladder needs (codecs, size, aspect, frame rate, rotation,
duration, audio languages and channels). `check_playable` then decodes the first seconds, since
a header can promise a stream whose decoder is missing.

Before either tool sees a file, `cinema.mediafile` decides what it is from its bytes: only a
self-contained container of the allowed kinds is read, with its demuxer pinned (a playlist or a
concat list disguised as `.mp4` never reaches ffmpeg's guessing).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from kinomost.cinema import ffmpeg, mediafile
from kinomost.core import languages
from kinomost.core.errors import InvalidInput


@dataclass
class Stream:
    kind: str  # video, audio, subtitle
    codec: str
    language: str = ""  # BCP 47 ("ru"), "" when the file does not say
    width: int = 0
    height: int = 0
    fps: float = 0.0
    sar: tuple[int, int] = (1, 1)
    channels: int = 0
    attached_picture: bool = False


@dataclass
class Probe:
    duration: float
    streams: list[Stream] = field(default_factory=list)

    @property
    def video(self) -> Stream | None:
        return next((s for s in self.streams if s.kind == "video" and not s.attached_picture), None)

    @property
    def audio(self) -> list[Stream]:
        return [s for s in self.streams if s.kind == "audio"]

    def display_size(self) -> tuple[int, int]:
        """Width and height as shown: square pixels (anamorphic sources widened)."""
        v = self.video
        num, den = v.sar if v.sar[0] and v.sar[1] else (1, 1)
        return round(v.width * num / den), v.height

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Probe:
        return cls(duration=data["duration"], streams=[Stream(**{**s, "sar": tuple(s["sar"])}) for s in data["streams"]])


def probe(path: Path, allowed: tuple[mediafile.Container, ...] = mediafile.AUDIO_CONTAINERS) -> Probe:
    """What is in the file, read only as one of the `allowed` containers (InvalidInput otherwise)."""
    source = mediafile.input_args(path, allowed)
    return _with_ffprobe(path, source) if ffmpeg.ffprobe_exe() else _with_ffmpeg(path, source)


def check_playable_master(path: Path) -> Probe:
    """The master's probe, or InvalidInput saying why it cannot become a stream."""
    found = probe(path, mediafile.MASTER_CONTAINERS)
    name = Path(path).name
    if found.video is None:
        raise InvalidInput(_("%(name)s has no video stream.") % {"name": name})
    if not found.duration or found.duration <= 0:
        raise InvalidInput(_("%(name)s does not say how long it is; it may be cut short or damaged.") % {"name": name})
    if found.video.width < 16 or found.video.height < 16:
        raise InvalidInput(_("%(name)s has a video too small to play.") % {"name": name})
    _decode_start(path, mediafile.MASTER_CONTAINERS)
    return found


def check_playable_audio(path: Path) -> Probe:
    found = probe(path, mediafile.AUDIO_CONTAINERS)
    if not found.audio:
        raise InvalidInput(_("%(name)s has no audio stream.") % {"name": Path(path).name})
    _decode_start(path, mediafile.AUDIO_CONTAINERS)
    return found


def _decode_start(path: Path, allowed: tuple[mediafile.Container, ...]) -> None:
    try:
        ffmpeg.run(["-v", "error", "-xerror", "-t", "2", *mediafile.input_args(path, allowed), "-f", "null", "-"], timeout=120)
    except (ffmpeg.FfmpegFailed, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "detail", "")
        raise InvalidInput(_("%(name)s cannot be decoded: %(reason)s") % {"name": Path(path).name, "reason": _last_line(detail)}) from None


def language_tag(code: str | None) -> str:
    """ISO 639-2 as containers write it ("rus", "chi", "und") → BCP 47 ("ru", "zh", ""), the
    same tag the catalogue stores (core.languages owns the rule)."""
    return languages.from_media_code(code)


# ffmpeg -i ---------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*Duration: (?:(\d+):(\d+):([\d.]+)|N/A)")
_STREAM = re.compile(r"^\s*Stream #\d+:\d+(?:\[[^\]]*\])?(?:\(([A-Za-z]{2,3})\))?: (Video|Audio|Subtitle|Data|Attachment): (\w+)(.*)$")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_SAR = re.compile(r"\[SAR (\d+):(\d+) DAR")
_FPS = re.compile(r"([\d.]+)(k?) (?:fps|tbr)")
_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "4.0": 4, "5.0": 5, "5.1": 6, "6.1": 7, "7.1": 8}
_ROTATION = re.compile(r"rotation of (-?[\d.]+) degrees")


def _with_ffmpeg(path: Path, source: list[str]) -> Probe:
    proc = ffmpeg.execute([ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", *source], timeout=120)
    text = proc.stderr
    if "Input #0" not in text:
        raise InvalidInput(
            _("%(name)s is not a media file that ffmpeg can read: %(reason)s") % {"name": Path(path).name, "reason": _last_line(text)}
        )
    duration = 0.0
    streams: list[Stream] = []
    for line in text.splitlines():
        if m := _DURATION.match(line):
            if m.group(1) is not None:
                duration = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
        elif m := _STREAM.match(line):
            streams.append(_stream_from_line(m))
        elif (m := _ROTATION.search(line)) and streams and streams[-1].kind == "video":
            if round(abs(float(m.group(1)))) % 180 == 90:  # ffmpeg turns the picture upright: swap
                s = streams[-1]
                s.width, s.height, s.sar = s.height, s.width, (s.sar[1], s.sar[0])
    return Probe(duration=duration, streams=streams)


def _stream_from_line(m: re.Match) -> Stream:
    language, kind, codec, rest = m.groups()
    stream = Stream(kind=kind.lower(), codec=codec, language=language_tag(language))
    if stream.kind == "video":
        if size := _SIZE.search(rest):
            stream.width, stream.height = int(size.group(1)), int(size.group(2))
        if sar := _SAR.search(rest):
            stream.sar = (int(sar.group(1)), int(sar.group(2)))
        if fps := _FPS.search(rest):
            stream.fps = float(fps.group(1)) * (1000 if fps.group(2) else 1)
        stream.attached_picture = "(attached pic)" in rest
    elif stream.kind == "audio":
        layout = rest.split(",")[2].strip() if rest.count(",") >= 2 else ""
        stream.channels = _CHANNELS.get(layout.split("(")[0], 0) or _int_prefix(layout)
    return stream


def _int_prefix(text: str) -> int:
    m = re.match(r"(\d+) channels", text)
    return int(m.group(1)) if m else 2


# ffprobe -----------------------------------------------------------------------------------


def _with_ffprobe(path: Path, source: list[str]) -> Probe:
    proc = ffmpeg.execute(
        [ffmpeg.ffprobe_exe(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams", *source], timeout=120
    )
    if proc.returncode != 0:
        raise InvalidInput(
            _("%(name)s is not a media file that ffmpeg can read: %(reason)s")
            % {"name": Path(path).name, "reason": _last_line(proc.stderr)}
        )
    data = json.loads(proc.stdout or "{}")
    streams = []
    for s in data.get("streams", []):
        kind = s.get("codec_type", "")
        stream = Stream(kind=kind, codec=s.get("codec_name", ""), language=language_tag((s.get("tags") or {}).get("language")))
        if kind == "video":
            stream.width, stream.height = int(s.get("width", 0)), int(s.get("height", 0))
            sar = s.get("sample_aspect_ratio", "1:1")
            num, _colon, den = sar.partition(":")
            stream.sar = (int(num), int(den)) if num.isdigit() and den.isdigit() and int(num) else (1, 1)
            num, _slash, den = s.get("avg_frame_rate", "0/1").partition("/")
            stream.fps = float(num) / float(den) if den and float(den) else 0.0
            stream.attached_picture = bool((s.get("disposition") or {}).get("attached_pic"))
            rotation = next((d.get("rotation") for d in s.get("side_data_list", []) if "rotation" in d), 0)
            if round(abs(float(rotation or 0))) % 180 == 90:
                stream.width, stream.height, stream.sar = stream.height, stream.width, (stream.sar[1], stream.sar[0])
        elif kind == "audio":
            stream.channels = int(s.get("channels", 0))
        streams.append(stream)
    return Probe(duration=float((data.get("format") or {}).get("duration") or 0), streams=streams)


def _last_line(text: str) -> str:
    lines = [l.strip() for l in (text or "").strip().splitlines() if l.strip()]
    return lines[-1] if lines else "unknown error"
