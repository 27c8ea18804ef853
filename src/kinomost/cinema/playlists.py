"""Playlists Kinomost writes itself (RFC 8216): the master, the preview, subtitle playlists and
the thumbnail index. ffmpeg writes the media playlists of rungs and audio."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import m3u8

from kinomost.core.languages import language_name


@dataclass
class Measured:
    """A media playlist with what players need to pick it: peak and average bit rate."""

    name: str
    uri: str  # relative to the asset's folder
    peak: int
    average: int
    codecs: str = ""
    width: int = 0
    height: int = 0
    language: str = ""


def measure(folder: Path, relative: str, name: str) -> Measured:
    """Peak and average bits per second over the segments, as RFC 8216 §4.3.4.2 defines BANDWIDTH."""
    playlist = m3u8.load(str(folder / relative))
    base = (folder / relative).parent
    peak, total_bits, total_seconds = 0, 0, 0.0
    for seg in playlist.segments:
        bits = (base / seg.uri).stat().st_size * 8
        seconds = max(seg.duration, 0.001)
        peak = max(peak, math.ceil(bits / seconds))
        total_bits += bits
        total_seconds += seconds
    return Measured(name=name, uri=relative, peak=peak, average=math.ceil(total_bits / max(total_seconds, 0.001)))


def ffmpeg_codecs(master: Path) -> dict[str, str]:
    """CODECS of each variant as ffmpeg read them from the encoded streams, by variant folder."""
    if not master.exists():
        return {}
    parsed = m3u8.load(str(master))
    return {p.uri.split("/")[0]: (p.stream_info.codecs or "") for p in parsed.playlists}


def master(video: list[Measured], audio: list[Measured], subtitles: list[Measured], *, frame_rate: float = 0) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for i, a in enumerate(audio):
        lines.append(_media("AUDIO", "audio", a, default=i == 0) + ',CHANNELS="2"')
    for s in subtitles:
        lines.append(_media("SUBTITLES", "subs", s, default=False))
    audio_peak = max((a.peak for a in audio), default=0)
    audio_avg = max((a.average for a in audio), default=0)
    audio_codec = "mp4a.40.2" if audio else ""
    for v in video:
        codecs = ",".join(c for c in (v.codecs.split(",")[0] if v.codecs else "avc1.640028", audio_codec) if c)
        attrs = [
            f"BANDWIDTH={v.peak + audio_peak}",
            f"AVERAGE-BANDWIDTH={v.average + audio_avg}",
            f'CODECS="{codecs}"',
            f"RESOLUTION={v.width}x{v.height}",
        ]
        if frame_rate:
            attrs.append(f"FRAME-RATE={frame_rate:.3f}")
        if audio:
            attrs.append('AUDIO="audio"')
        if subtitles:
            attrs.append('SUBTITLES="subs"')
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attrs), v.uri]
    return "\n".join(lines) + "\n"


def _media(kind: str, group: str, m: Measured, *, default: bool) -> str:
    label = language_name(m.language) if m.language else m.name
    attrs = [f"TYPE={kind}", f'GROUP-ID="{group}"', f'NAME="{_quoted(label)}"']
    if m.language:
        attrs.append(f'LANGUAGE="{m.language}"')
    attrs += [f"DEFAULT={'YES' if default else 'NO'}", "AUTOSELECT=YES", f'URI="{m.uri}"']
    return "#EXT-X-MEDIA:" + ",".join(attrs)


def _quoted(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")


def subtitle_playlist(vtt_name: str, duration: float) -> str:
    """One WebVTT segment spanning the programme (RFC 8216 allows any segment length per playlist)."""
    return (
        "\n".join(
            [
                "#EXTM3U",
                "#EXT-X-VERSION:3",
                f"#EXT-X-TARGETDURATION:{max(1, math.ceil(duration))}",
                "#EXT-X-MEDIA-SEQUENCE:0",
                "#EXT-X-PLAYLIST-TYPE:VOD",
                f"#EXTINF:{duration:.3f},",
                vtt_name,
                "#EXT-X-ENDLIST",
            ]
        )
        + "\n"
    )


def with_timestamp_map(vtt: str, mpegts: int) -> str:
    """Tie cue time 0 to the video's first presentation time, so players line cues up with MPEG-TS."""
    head, sep, rest = vtt.partition("\n")
    body = rest.lstrip("\n") if sep else ""
    return f"{head.strip()}\nX-TIMESTAMP-MAP=MPEGTS:{mpegts},LOCAL:00:00:00.000\n\n{body}"


def thumbnails_vtt(count: int, interval: int, size: tuple[int, int], sheet_uri: str, duration: float, columns: int, per_sheet: int) -> str:
    width, height = size
    cues = ["WEBVTT", ""]
    for i in range(count):
        start, end = i * interval, min((i + 1) * interval, duration)
        if start >= duration:
            break
        sheet, cell = divmod(i, per_sheet)
        row, col = divmod(cell, columns)
        cues += [f"{_ts(start)} --> {_ts(end)}", f"{sheet_uri % (sheet + 1)}#xywh={col * width},{row * height},{width},{height}", ""]
    return "\n".join(cues)


def _ts(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"
