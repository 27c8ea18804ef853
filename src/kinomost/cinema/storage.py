"""Every path of the online cinema goes through here.

Two roots: the public HLS folder (`settings.CINEMA_HLS_ROOT`, default KINOMOST_DATA_DIR/media/hls),
which nginx or a CDN may serve as plain immutable files, and the private folder
(`settings.CINEMA_PRIVATE_ROOT`) for masters, dubs, subtitle files and the transient key file
ffmpeg reads. Keys never enter the public folder.

Writes are all-or-nothing: a step writes into `<name>.partial-<token>` (token unique to the
attempt) or `<file>.tmp-<token>` and renames it into place when complete, so a reader — or the
next worker after a crash — sees either nothing or the whole output.

Object storage (S3-compatible, through django-storages) when `KINOMOST_S3_BUCKET` is set: the
settings then define two storage aliases, `cinema` (the public part: `<prefix>/hls/<asset>/…`,
the same layout as the local HLS folder) and `cinema_private` (`<prefix>/private/sources/…`).
The two local folders stay, as each machine's scratch space: ffmpeg reads and writes local
files; what is handed in is uploaded to the private part (`store_source`) and fetched by
whichever worker needs it (`local_private`); every step uploads its finished output
(`publish`), files before the playlists that name them and the master playlist in the last
step, so a reader never meets a playlist naming a missing file; uploads overwrite, so a retry
simply uploads again. Key files are written only to the local scratch folder; the key lives in
the database. Without a bucket every function below that speaks of object storage does nothing.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages

from kinomost.cinema.content_types import content_type  # the one table of HLS content types

PUBLIC_STORAGE = "cinema"  # STORAGES aliases, defined by settings only when a bucket is configured
PRIVATE_STORAGE = "cinema_private"


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
    return PUBLIC_STORAGE not in settings.STORAGES


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


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link (instant, no second copy of the bytes, even for many GB), else a copy; renamed
    into place whole."""
    tmp = target.with_name(f"{target.name}.tmp-{new_token()}")
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def store_source(public_id, source: Path, name: str) -> Path:
    """Bring an operator's file into the private storage: a hard link when it is on the same
    file system (instant, even for many GB), otherwise a copy renamed when complete."""
    target_dir = sources_dir(public_id)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    link_or_copy(source, target)
    if not serves_locally():  # workers on other machines fetch it from the private part
        _upload(storages[PRIVATE_STORAGE], relative_to_private(target), target)
    return target


def remove_sources(public_id) -> None:
    shutil.rmtree(sources_dir(public_id), ignore_errors=True)
    if not serves_locally():
        _delete_prefix(storages[PRIVATE_STORAGE], f"sources/{public_id}/")


# Object storage -----------------------------------------------------------------------------


def local_private(relative: str) -> Path:
    """A private file (a master, dub or subtitle file) in this machine's scratch folder, fetched
    from the private part of the object storage when another machine took it in."""
    path = private_path(relative)
    if not path.exists() and not serves_locally():
        _download(storages[PRIVATE_STORAGE], relative, path)
    return path


def publish(public_id, *relatives: str) -> None:
    """Upload the named files and folders (relative to the asset's local folder) to the public
    part: every file of a folder, segments and images before playlists. Uploads overwrite, so
    publishing again after a crash is harmless. Nothing to do without object storage."""
    if serves_locally():
        return
    folder = asset_dir(public_id)
    files: list[Path] = []
    for relative in relatives:
        path = folder / relative
        files += [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path] if path.is_file() else []
    for path in sorted(files, key=lambda p: (p.suffix == ".m3u8", str(p))):
        publish_file(public_id, path.relative_to(folder).as_posix(), path)


def publish_file(public_id, relative: str, source: Path | bytes) -> None:
    """Upload one file of an asset to the public part (a local file, or bytes as they were read)."""
    if not serves_locally():
        _upload(storages[PUBLIC_STORAGE], f"{public_id}/{relative}", source)


def unpublish(public_id, *relatives: str) -> None:
    """Remove files or folders of an asset from the public part (the preview, once replaced)."""
    if serves_locally():
        return
    for relative in relatives:
        _delete_prefix(storages[PUBLIC_STORAGE], f"{public_id}/{relative}")


def unpublish_partials(public_id) -> None:
    """Remove the growing preview folders (`*.partial-<token>`) an attempt uploaded while transcoding."""
    if serves_locally():
        return
    backend = storages[PUBLIC_STORAGE]
    _delete_keys(backend, [obj.key for obj in _objects(backend, f"{public_id}/") if ".partial-" in obj.key])


def fetch(public_id, *relatives: str) -> None:
    """Bring published files and folders of an asset into the local folder when they are not
    there: a worker that takes over a job on another machine needs what earlier steps made."""
    if serves_locally():
        return
    backend = storages[PUBLIC_STORAGE]
    folder = asset_dir(public_id)
    for relative in relatives:
        for obj in _objects(backend, f"{public_id}/{relative}"):
            name = _name(backend, obj.key)[len(f"{public_id}/") :]
            if (name == relative or name.startswith(f"{relative}/")) and not (folder / name).exists():
                _download(backend, f"{public_id}/{name}", folder / name)


def open_published(public_id, relative: str) -> tuple[Iterator[bytes], int]:
    """A published file read from the object storage: its bytes as they arrive, and its size.
    FileNotFoundError when there is no such object."""
    handle = storages[PUBLIC_STORAGE].open(f"{public_id}/{relative}", "rb")  # a HEAD: raises if absent
    size = handle.obj.content_length

    def chunks() -> Iterator[bytes]:  # the GET is sent at the first read (never for a HEAD)
        body = handle.obj.get()["Body"]
        try:
            yield from body.iter_chunks(512 * 1024)
        finally:
            body.close()

    return chunks(), size


def remove_scratch(public_id) -> None:
    """Once an asset is ready in object storage, this machine's scratch copies are not needed."""
    if serves_locally():
        return
    shutil.rmtree(asset_dir(public_id), ignore_errors=True)
    shutil.rmtree(sources_dir(public_id), ignore_errors=True)


def _upload(backend, name: str, source: Path | bytes) -> None:
    if isinstance(source, bytes):
        content = ContentFile(source)
        content.content_type = content_type(name)
        backend.save(name, content)
        return
    with source.open("rb") as handle:
        content = File(handle)
        content.content_type = content_type(name)
        backend.save(name, content)


def _download(backend, name: str, target: Path) -> None:
    """Into a temporary file renamed when complete, like every other local write."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{new_token()}")
    try:
        backend.bucket.download_file(backend._normalize_name(name), str(tmp))
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)


def _objects(backend, prefix: str):
    """Objects whose key starts with `prefix` (below the storage's location), one listing."""
    return backend.bucket.objects.filter(Prefix=backend._normalize_name(prefix))


def _name(backend, key: str) -> str:
    """An object key back to a name relative to the storage's location."""
    return key[len(backend.location) :].lstrip("/") if backend.location else key


def _delete_prefix(backend, prefix: str) -> None:
    """The object named `prefix`, or every object of the folder named so."""
    base = prefix.rstrip("/")
    _delete_keys(
        backend,
        [obj.key for obj in _objects(backend, prefix) if _name(backend, obj.key) == base or _name(backend, obj.key).startswith(f"{base}/")],
    )


def _delete_keys(backend, keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):  # DeleteObjects takes up to 1000 keys
        backend.bucket.delete_objects(Delete={"Objects": [{"Key": k} for k in keys[start : start + 1000]], "Quiet": True})


def readiness_problem() -> str | None:
    """Why this machine cannot store or serve the cinema's files right now, or None: the local
    folders must be writable (they are the scratch space even with a bucket), and a configured
    bucket must answer (one HEAD of the bucket, no listing). For /readyz (kinomost.health)."""
    for root in (hls_root(), private_root()):
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return f"{root}: {error.strerror or error}"
        if not os.access(root, os.W_OK | os.X_OK):
            return f"{root}: not writable"
    if serves_locally():
        return None
    from botocore.exceptions import BotoCoreError, ClientError

    backend = storages[PUBLIC_STORAGE]
    try:
        backend.connection.meta.client.head_bucket(Bucket=backend.bucket_name)
    except (BotoCoreError, ClientError) as error:  # no connection, 403, 404: all mean "not ready"
        return f"bucket {backend.bucket_name}: {type(error).__name__}: {error}"
    return None
