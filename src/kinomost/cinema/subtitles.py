"""Subtitle files handed in (SRT, WebVTT, ASS/SSA) → the WebVTT that players read.

A subtitle file is text, and is read here as text, never by ffmpeg: its bytes are decoded (UTF-8,
UTF-16 with a BOM, or a legacy encoding such as Windows-1251 or GB18030, detected), control
characters refuse it (a binary file or a media container is not subtitles), and its format is
recognised from its content. Each cue's text is then written as WebVTT requires: `&`, `<` and `>`
escaped, so a line such as `A --> B` or `<script>` is shown as written and can never start a new
cue or a tag; the styling subtitles really use (italic, bold, underline) is kept as WebVTT tags;
blank lines inside a cue (which would end it) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from kinomost.core import encodings
from kinomost.core.errors import InvalidInput
from kinomost.core.text import describe, first_control_character

MAX_BYTES = 20 * 1024 * 1024  # a feature's subtitles are well under 1 MB; a larger "subtitle" is something else
STYLES = ("i", "b", "u")


@dataclass
class Cue:
    start: int  # milliseconds
    end: int
    # Text runs: (text, styles in force), so escaping and tags are decided when writing.
    runs: list[tuple[str, frozenset[str]]] = field(default_factory=list)


def to_webvtt(path: Path) -> str:
    """The file's cues as WebVTT text, or InvalidInput saying why the file is not subtitles."""
    path = Path(path)
    text = read_text(path)
    body = text.lstrip("\ufeff")
    if body.lstrip().startswith("WEBVTT"):
        cues = _parse_webvtt(body)
    elif re.search(r"^\s*\[(Script Info|V4\+? Styles|Events)\]", body, re.MULTILINE | re.IGNORECASE):
        cues = _parse_ass(body)
    elif _SRT_TIMING.search(body):
        cues = _parse_srt(body)
    else:
        raise InvalidInput(_("%(name)s is not a subtitle file (SRT, WebVTT or ASS).") % {"name": path.name})
    cues = [c for c in cues if c.end > c.start and any(t.strip() for t, _s in c.runs)]
    if not cues:
        raise InvalidInput(_("%(name)s contains no subtitles.") % {"name": path.name})
    return write_webvtt(cues)


def read_text(path: Path) -> str:
    """The file decoded; refused when it is too big, not text, or in no encoding we can tell."""
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput(
            _("%(name)s is larger than a subtitle file can be (%(limit)d MB).") % {"name": path.name, "limit": MAX_BYTES // 2**20}
        )
    data = path.read_bytes()
    text = encodings.decode_text(data)
    if text is None:
        raise InvalidInput(_("%(name)s is not text in an encoding Kinomost can tell.") % {"name": path.name})
    char = first_control_character(text)
    if char is not None:
        raise InvalidInput(
            _("%(name)s is not a subtitle file: it holds the control character %(char)s, so it is not text.")
            % {"name": path.name, "char": describe(char)}
        )
    return text


# Reading ----------------------------------------------------------------------------------

_SRT_TIMING = re.compile(r"^\s*(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})\s*-->\s*(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})", re.MULTILINE)
_VTT_TIMING = re.compile(r"^\s*((?:\d+:)?\d{2}:\d{2}\.\d{3})\s+-->\s+((?:\d+:)?\d{2}:\d{2}\.\d{3})")
_SRT_TAG = re.compile(r"<(/?)([a-zA-Z]+)(?:\s[^>]*)?>|\{\\([ibu])([01])\}")


def _ms(hours, minutes, seconds, fraction) -> int:
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(fraction.ljust(3, "0")[:3])


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _parse_srt(text: str) -> list[Cue]:
    """SRT: [index] / timing / text lines; a block without a timing line is skipped. Its markup
    (`<i>`, `<b>`, `<u>`, `{\\i1}`…) is styling; any other tag (`<font>`) is dropped."""
    cues = []
    for block in _blocks(text):
        for i, line in enumerate(block[:2]):
            if timing := _SRT_TIMING.match(line):
                g = timing.groups()
                cues.append(Cue(_ms(*g[:4]), _ms(*g[4:]), _styled_runs("\n".join(block[i + 1 :]))))
                break
    return cues


def _runs(text: str, markup: re.Pattern, read_tag, plain=lambda t: t) -> list[tuple[str, frozenset[str]]]:
    """The text between `markup`'s matches as runs with the styles in force. `read_tag(match,
    styles)` switches styles in place and answers the text the tag itself stands for ("" for
    none); `plain` decodes the text between tags. Every format's reader is this loop."""
    runs, styles, at = [], set(), 0
    for tag in markup.finditer(text):
        if tag.start() > at:
            runs.append((plain(text[at : tag.start()]), frozenset(styles)))
        at = tag.end()
        kept = read_tag(tag, styles)
        if kept:
            runs.append((kept, frozenset(styles)))
    if at < len(text):
        runs.append((plain(text[at:]), frozenset(styles)))
    return runs


def _styled_runs(text: str) -> list[tuple[str, frozenset[str]]]:
    return _runs(text, _SRT_TAG, _srt_tag)


def _srt_tag(tag: re.Match, styles: set[str]) -> str:
    closing, name, ass_style, ass_on = tag.groups()
    style = (name or ass_style or "").lower()
    if style in STYLES:
        on = ass_on == "1" if ass_style else not closing
        (styles.add if on else styles.discard)(style)
        return ""
    if name and name.lower() == "br":
        return "\n"
    if name and name.lower() not in {"font", "span"}:
        return tag.group()  # not markup subtitles use: text as written
    return ""


def _vtt_ms(stamp: str) -> int:
    parts = stamp.split(":")
    hours = parts[0] if len(parts) == 3 else "0"
    seconds, fraction = parts[-1].split(".")
    return _ms(hours, parts[-2], seconds, fraction)


def _parse_webvtt(text: str) -> list[Cue]:
    """WebVTT as its parser reads it: a block whose first or second line is a timing line is a
    cue; its text ends at a blank line or at a line holding `-->` (which a player would take for
    the next cue's timing). Entities are decoded and only i/b/u are kept from its tags, so what
    we write back is escaped and styled by one rule."""
    cues = []
    for block in _blocks(text)[1:]:  # the first block is the WEBVTT header
        for i, line in enumerate(block[:2]):
            if timing := _VTT_TIMING.match(line):
                lines = []
                for cue_line in block[i + 1 :]:
                    if "-->" in cue_line:
                        break
                    lines.append(cue_line)
                cues.append(Cue(_vtt_ms(timing.group(1)), _vtt_ms(timing.group(2)), _vtt_runs("\n".join(lines))))
                break
    return cues


_VTT_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e", "&rlm;": "\u200f"}


def _vtt_runs(text: str) -> list[tuple[str, frozenset[str]]]:
    return _runs(text, _VTT_TAG, _vtt_tag, plain=_unescape)


def _vtt_tag(tag: re.Match, styles: set[str]) -> str:
    closing, name = tag.groups()
    if name.lower() in STYLES:
        (styles.discard if closing else styles.add)(name.lower())
    return ""


def _unescape(text: str) -> str:
    return re.sub(r"&(amp|lt|gt|nbsp|lrm|rlm);", lambda m: _ENTITIES[m.group()], text)


_ASS_TIME = re.compile(r"^\s*(\d+):(\d{2}):(\d{2})\.(\d{1,3})\s*$")
_ASS_OVERRIDE = re.compile(r"\{([^}]*)\}")


def _parse_ass(text: str) -> list[Cue]:
    """ASS/SSA: the [Events] section's Dialogue lines, fields named by its Format line (Text is
    last and may hold commas). Override blocks give italic/bold/underline and are otherwise
    dropped; \\N and \\n are line breaks, \\h a no-break space."""
    fields: list[str] = []
    cues = []
    in_events = False
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("["):
            in_events = stripped.lower() == "[events]"
            continue
        if not in_events or ":" not in stripped:
            continue
        key, _colon, value = stripped.partition(":")
        if key.lower() == "format":
            fields = [f.strip().lower() for f in value.split(",")]
        elif key.lower() == "dialogue" and "text" in fields:
            values = dict(zip(fields, (v.strip() for v in value.split(",", len(fields) - 1))))
            start, end = _ASS_TIME.match(values.get("start", "")), _ASS_TIME.match(values.get("end", ""))
            if start and end:
                cues.append(Cue(_ms(*start.groups()), _ms(*end.groups()), _ass_runs(values.get("text", ""))))
    return sorted(cues, key=lambda c: c.start)


def _ass_runs(text: str) -> list[tuple[str, frozenset[str]]]:
    text = text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0")
    return _runs(text, _ASS_OVERRIDE, _ass_overrides)


def _ass_overrides(block: re.Match, styles: set[str]) -> str:
    for style, on in re.findall(r"\\([ibu])([01])", block.group(1)):
        (styles.add if on == "1" else styles.discard)(style)
    return ""


# Writing ----------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Cue text as WebVTT requires: `&` and `<` escaped, and `>` too, so `-->` cannot appear."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _stamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    clock = f"{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{hours:02d}:{clock}" if hours else clock  # WebVTT's hours are optional


def _cue_text(cue: Cue) -> str:
    out: list[str] = []
    open_styles: list[str] = []
    for text, styles in cue.runs:
        if set(open_styles) != styles:  # close what is open and open what is in force, nested alike
            out.extend(f"</{style}>" for style in reversed(open_styles))
            open_styles = [style for style in STYLES if style in styles]
            out.extend(f"<{style}>" for style in open_styles)
        out.append(escape(text))
    out.extend(f"</{style}>" for style in reversed(open_styles))
    lines = [line.rstrip() for line in "".join(out).split("\n")]
    return "\n".join(line for line in lines if line.strip())


def write_webvtt(cues: list[Cue]) -> str:
    parts = ["WEBVTT", ""]
    for cue in cues:
        text = _cue_text(cue)
        if text:
            parts += [f"{_stamp(cue.start)} --> {_stamp(cue.end)}", text, ""]
    return "\n".join(parts)
