"""Every path of the online cinema goes through here.

Two roots: the public HLS folder (`settings.CINEMA_HLS_ROOT`, default KINOMOST_DATA_DIR/media/hls),
which nginx or a CDN may serve as plain immutable files, and the private folder
(`settings.CINEMA_PRIVATE_ROOT`) for masters, dubs, subtitle files and the transient key file
ffmpeg reads. Keys never enter the public folder.

Writes are all-or-nothing: a step writes into `<name>.partial-<token>` (token unique to the
attempt) or `<file>.tmp-<token>` and renames it into place when complete, so a reader — or the
next worker after a crash — sees either nothing or the whole output.

S3-compatible object storage (django-storages) is not wired in yet: it would replace the
publishing functions below (upload the finished folder, then the master playlist last).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from django.conf import settings


def hls_root() -> Path:
    return Path(settings.CINEMA_HLS_ROOT)


def private_root() -> Path:
    return Path(settings.CINEMA_PRIVATE_ROOT)


def asset_dir(public_id) -> Path:
    return hls_root() / str(public_id)


def serves_locally() -> bool:
    """Are the published HLS files in the local folder (`hls_root()`)? The embedded server's fast
    path (cinema/delivery.py) serves them from disk only when this says so; otherwise every /hls/
    request goes to Django (views_stream), which knows where they are."""
    return True


def sources_dir(public_id) -> Path:
    return private_root() / "sources" / str(public_id)


def keys_dir() -> Path:
    path = private_root() / "keys"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def private_path(relative: str) -> Path:
    return private_root() / relative


def relative_to_private(path: Path) -> str:
    return str(Path(path).relative_to(private_root()))


def public_url(public_id, relative: str) -> str:
    """URL of a published file: the HLS folder is served at MEDIA_URL/hls/ (nginx or a CDN in
    production, wherever KINOMOST_CINEMA_HLS_DIR points; `CINEMA_HLS_URL` overrides)."""
    if not relative:
        return ""
    base = getattr(settings, "CINEMA_HLS_URL", None) or settings.MEDIA_URL.rstrip("/") + "/hls"
    return f"{base.rstrip('/')}/{public_id}/{relative}"


def key_uri(public_id) -> str:
    """What playlists name as the key: a Kinomost URL that will check the playback session."""
    return f"/cinema/keys/{public_id}/"


def new_token() -> str:
    return uuid.uuid4().hex[:12]


def partial_dir(final: Path, token: str) -> Path:
    """A fresh temporary folder beside `final`; leftovers of earlier attempts are removed."""
    remove_partials(final)
    path = final.with_name(f"{final.name}.partial-{token}")
    path.mkdir(parents=True)
    return path


def remove_partials(final: Path) -> None:
    if final.parent.is_dir():
        for old in final.parent.glob(f"{final.name}.partial-*"):
            shutil.rmtree(old, ignore_errors=True)


def publish_dir(partial: Path, final: Path) -> None:
    """Move a finished folder into place in one rename (the same file system)."""
    if final.exists():  # an earlier attempt got there; its output is as good as ours
        shutil.rmtree(partial, ignore_errors=True)
        return
    os.rename(partial, final)


def write_atomic(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{new_token()}")
    if isinstance(content, str):
        tmp.write_text(content, encoding="utf-8")
    else:
        tmp.write_bytes(content)
    os.replace(tmp, path)


def store_source(public_id, source: Path, name: str) -> Path:
    """Bring an operator's file into the private storage: a hard link when it is on the same
    file system (instant, even for many GB), otherwise a copy renamed when complete."""
    target_dir = sources_dir(public_id)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    tmp = target.with_name(f"{name}.tmp-{new_token()}")
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)
    return target


def remove_sources(public_id) -> None:
    shutil.rmtree(sources_dir(public_id), ignore_errors=True)
