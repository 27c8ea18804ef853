"""What a handed-in media file is, decided from its own bytes before ffmpeg or ffprobe see it.

ffmpeg guesses an input's format from its content, and some of the formats it would guess open
other files or URLs: an HLS playlist or an ffconcat list names its entries by path (absolute,
`file:`, or `../../sources/<another asset>/master.ts`) or by `http://` URL, an SDP description
names network streams, an image pattern reads a whole folder. A master handed in by one
organisation could so make ffmpeg read another organisation's private source, the data dir's
secret key, or an internal URL. So every file (master or dub) is identified here from its first
bytes, whatever its name says, and must be one of the self-contained containers below; ffmpeg and
ffprobe then read it only through `input_args`: the demuxer pinned with `-f` (no guessing), the
`file` protocol alone (no `http:`, `concat:`, `subfile:` …), and the path as a `file:` URL.

The allowed containers are what masters and dubs are delivered in: MP4/MOV (ISO base media;
ffmpeg's mov demuxer follows external data references only with `enable_drefs`, off by default),
Matroska/WebM, MPEG-TS (and M2TS), MXF (broadcast masters), and for dubs also WAV, FLAC, Ogg,
MP3 and ADTS AAC. None of these demuxers opens another file. Subtitles are text, and are
checked as text by `cinema.subtitles`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinomost.core.errors import InvalidInput

SNIFF_BYTES = 65536  # an MXF header may follow a run-in of up to 64 KiB


@dataclass(frozen=True)
class Container:
    name: str  # as the operator knows it
    demuxer: str  # ffmpeg's -f
    video: bool  # can carry a master's picture


MP4 = Container("MP4/MOV", "mov", True)
MATROSKA = Container("Matroska/WebM", "matroska", True)
MPEG_TS = Container("MPEG-TS", "mpegts", True)
MXF = Container("MXF", "mxf", True)
WAV = Container("WAV", "wav", False)
FLAC = Container("FLAC", "flac", False)
OGG = Container("Ogg", "ogg", False)
MP3 = Container("MP3", "mp3", False)
AAC = Container("AAC (ADTS)", "aac", False)

MASTER_CONTAINERS = (MP4, MATROSKA, MPEG_TS, MXF)
AUDIO_CONTAINERS = MASTER_CONTAINERS + (WAV, FLAC, OGG, MP3, AAC)

_ISO_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"junk"}
_MXF_HEADER_PARTITION = bytes.fromhex("060e2b34020501010d01020101")
_TS_PACKET = 188

# Formats refused by name, because an operator who handed one in should learn why: each of them
# names other files or streams instead of holding the media.
_NAMED_REFUSALS = (
    (b"#EXTM3U", gettext_lazy("an HLS playlist, which only names other files")),
    (b"ffconcat", gettext_lazy("an ffconcat list, which only names other files")),
    (b"v=0", gettext_lazy("an SDP session description, which names network streams")),
    (b"\x89PNG", gettext_lazy("an image, not a film")),
    (b"\xff\xd8\xff", gettext_lazy("an image, not a film")),
    (b"GIF8", gettext_lazy("an image, not a film")),
    (b"<?xml", gettext_lazy("an XML document, not a media file")),
)


def identify(path: Path) -> Container | None:
    """The container of the file at `path` from its first bytes; None when it is none we accept."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if len(head) >= 8 and head[4:8] in _ISO_BOXES:
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return MATROSKA
    if _is_transport_stream(head):
        return MPEG_TS
    if _MXF_HEADER_PARTITION in head:
        return MXF
    if head[:4] in (b"RIFF", b"RF64", b"BW64") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or _mpeg_audio_layer(head) == 0b01:  # layer III
        return MP3
    if _mpeg_audio_layer(head) == 0b00 and head[1] & 0xF0 == 0xF0:  # ADTS: 12 sync bits, layer 0
        return AAC
    return None


def _is_transport_stream(head: bytes) -> bool:
    """Three sync bytes 188 bytes apart (MPEG-TS), or 192 apart after a 4-byte prefix (M2TS)."""
    for start, step in ((0, _TS_PACKET), (4, _TS_PACKET + 4)):
        if len(head) >= start + 2 * step + 1 and all(head[start + i * step] == 0x47 for i in range(3)):
            return True
    return False


def _mpeg_audio_layer(head: bytes) -> int | None:
    """The layer bits of an MPEG audio frame header (11 sync bits first), or None."""
    if len(head) < 2 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    return (head[1] >> 1) & 0b11


def require(path: Path, allowed: tuple[Container, ...]) -> Container:
    """The file's container, or InvalidInput saying what the file is and what is accepted."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(_("The file %(name)s does not exist.") % {"name": path.name})
    found = identify(path)
    if found in allowed:
        return found
    names = ", ".join(dict.fromkeys(c.name for c in allowed))
    what = _what_it_is(path) if found is None else _("%(container)s without a picture") % {"container": found.name}
    raise InvalidInput(
        _("%(name)s is %(what)s; hand in a media file in one of these containers: %(allowed)s.")
        % {"name": path.name, "what": what, "allowed": names},
        details=[{"file": path.name, "problem": "container_not_accepted", "accepted": [c.name for c in allowed]}],
    )


def require_master(path: Path) -> Container:
    return require(path, MASTER_CONTAINERS)


def require_audio(path: Path) -> Container:
    return require(path, AUDIO_CONTAINERS)


def _what_it_is(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    for signature, description in _NAMED_REFUSALS:
        if head.startswith(signature):
            return str(description)
    return _("not a media container Kinomost accepts")


def input_args(path: Path, allowed: tuple[Container, ...] = AUDIO_CONTAINERS) -> list[str]:
    """ffmpeg/ffprobe input options reading `path` as what it is and nothing else: the demuxer
    pinned, only the `file` protocol, the path as a `file:` URL (never read as a protocol or an
    option). Checked again at each use: a file replaced after hand-in is refused too."""
    container = require(path, allowed)
    return ["-protocol_whitelist", "file", "-f", container.demuxer, "-i", f"file:{Path(path).resolve()}"]
