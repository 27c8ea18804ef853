"""Resumable, chunked uploads of masters, dubs and subtitles from a browser (files of many GB).

An upload is a folder in the private storage: `meta.json` (organisation, file name, size) and
`data`, which grows by appends. The client sends chunks at the offset the server holds (a
mismatch answers 409 with the server's offset, so a client resumes after any interruption by
asking, then sending from there). No database row: a half-finished upload costs only its folder.
Appends to one upload are serialised by a file lock.

With object storage (KINOMOST_S3_BUCKET) the chunks still gather here, in the local private
folder of the machine that receives them (so one upload must stay on one machine behind a load
balancer); the completed file goes to the bucket when it is handed in (`storage.store_source`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import uuid
from pathlib import Path

from django.utils.translation import gettext as _

from kinomost.cinema import storage
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.parties.roles import OPERATE_PLATFORM

MAX_CHUNK_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 500 * 1024**3
_SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


def _folder(upload_id) -> Path:
    return storage.private_root() / "uploads" / str(upload_id)


def start_upload(actor, *, filename: str, size: int) -> dict:
    actor.require(OPERATE_PLATFORM, _("ingest media"))
    name = _SAFE_NAME.sub("_", Path(filename or "").name).strip() or "upload"
    if not 0 < size <= MAX_FILE_BYTES:
        raise InvalidInput(_("A file must have between 1 byte and 500 GB."))
    upload_id = uuid.uuid4()
    folder = _folder(upload_id)
    folder.mkdir(parents=True)
    (folder / "data").touch()
    storage.write_atomic(folder / "meta.json", json.dumps({"organisation": actor.organisation_id, "filename": name, "size": size}))
    return upload_state(actor, upload_id)


def _meta(actor, upload_id) -> dict:
    try:
        meta = json.loads((_folder(uuid.UUID(str(upload_id))) / "meta.json").read_text())
    except (ValueError, OSError):
        meta = None
    if not meta or meta["organisation"] != actor.organisation_id:
        raise NotFound(_("No such upload."))
    return meta


def upload_state(actor, upload_id) -> dict:
    meta = _meta(actor, upload_id)
    offset = (_folder(upload_id) / "data").stat().st_size
    return {"id": str(upload_id), "filename": meta["filename"], "size": meta["size"], "offset": offset, "complete": offset == meta["size"]}


def append_chunk(actor, upload_id, *, offset: int, stream, length: int) -> dict:
    """Append `length` bytes read from `stream` at `offset`, which must be where the file ends now."""
    actor.require(OPERATE_PLATFORM, _("ingest media"))
    meta = _meta(actor, upload_id)
    if not 0 < length <= MAX_CHUNK_BYTES:
        raise InvalidInput(_("A chunk has between 1 byte and 16 MB."))
    with open(_folder(upload_id) / "data", "ab") as data:
        fcntl.flock(data, fcntl.LOCK_EX)
        current = data.tell()
        if offset != current:
            raise Conflict(_("The upload is at byte %(offset)s; send from there.") % {"offset": current}, details=[{"offset": current}])
        if current + length > meta["size"]:
            raise InvalidInput(_("The chunk goes beyond the announced size."))
        chunk = stream.read(length)
        if len(chunk) != length:
            raise InvalidInput(_("The chunk is shorter than announced."))
        data.write(chunk)
    return upload_state(actor, upload_id)


def completed_file(actor, upload_id) -> Path:
    """The finished upload's file, named as the user's file (the suffix tells subtitle formats apart)."""
    state = upload_state(actor, upload_id)
    if not state["complete"]:
        raise InvalidInput(_("The upload of %(name)s is not complete.") % {"name": state["filename"]})
    folder = _folder(upload_id)
    named = folder / "file" / state["filename"]
    if not named.exists():
        named.parent.mkdir(exist_ok=True)
        os.link(folder / "data", named)
    return named


def discard(actor, upload_id) -> None:
    _meta(actor, upload_id)
    shutil.rmtree(_folder(upload_id), ignore_errors=True)
