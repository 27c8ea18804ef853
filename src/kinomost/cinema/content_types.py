"""The content type of each published HLS file, one table for both ways a file leaves us: the
upload to object storage (`storage`) and the local file server (`delivery`). Its own module so
that storage, below delivery, needs nothing from it."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".aac": "audio/aac",
    ".json": "application/json",
}


def content_type(relative: str) -> str:
    suffix = PurePosixPath(relative).suffix
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(relative)[0] or "application/octet-stream"
