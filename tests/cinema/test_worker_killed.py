"""A worker killed in the middle of a transcode: another worker finishes the job, and the package
is the same as one made without interruption. While the first worker was transcoding, the
lowest rung was already playable."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import m3u8
import pytest
from django.conf import settings
from django.utils import timezone

from kinomost.cinema import keys, services, storage
from kinomost.cinema.models import Asset, AssetStatus, IngestJob, JobState
from kinomost.cinema.worker import run_worker

from .conftest import decode_ok
from .servers import database_url

pytestmark = pytest.mark.django_db(transaction=True)
LEASE_SECONDS = 2


def _start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "KINOMOST_DATABASE_URL": database_url(),
        "KINOMOST_CINEMA_HLS_DIR": str(settings.CINEMA_HLS_ROOT),
        "KINOMOST_CINEMA_PRIVATE_DIR": str(settings.CINEMA_PRIVATE_ROOT),
        "KINOMOST_CINEMA_LEASE_SECONDS": str(LEASE_SECONDS),
        "KINOMOST_CINEMA_READRATE": "1",  # real time: the 10-second clip takes ~10 s to transcode
    }
    return subprocess.Popen([sys.executable, "-m", "kinomost.cli", "worker", "--until-empty", "-v", "0"], env=env)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _shape(playlist: str) -> str:
    """The playlist with its measured bit rates blanked: the same structure, whatever the bytes."""
    return re.sub(r"BANDWIDTH=\d+", "BANDWIDTH=n", playlist)


def test_a_killed_worker_leaves_a_job_that_another_worker_finishes(operator, full_request, tmp_path):
    asset = services.start_ingest(operator, full_request)
    worker = _start_worker()
    try:
        assert _wait(lambda: Asset.objects.filter(pk=asset.pk, step="transcode", progress__gte=15).exists()), "transcode never started"
        assert _wait(lambda: Asset.objects.get(pk=asset.pk).preview_playlist == "preview.m3u8", 20)
        _check_lowest_rung_plays_while_transcoding(asset, tmp_path)
        encoders = _children(worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _wait(lambda: not any(Path(f"/proc/{pid}").exists() for pid in encoders), 10), "ffmpeg outlived its worker"
    job = IngestJob.objects.get(asset=asset)
    assert job.state == JobState.RUNNING and job.current_step == "transcode" and "transcode" not in job.done_steps

    assert _wait(lambda: job.lease_expires_at < timezone.now(), LEASE_SECONDS + 5)
    assert run_worker(until_empty=True) == 1

    asset.refresh_from_db()
    job.refresh_from_db()
    assert asset.status == AssetStatus.READY, asset.error
    assert job.state == JobState.DONE and job.attempts == 2
    folder = storage.asset_dir(asset.public_id)
    reference = services.start_ingest(operator, full_request)
    run_worker(until_empty=True)
    reference_folder = storage.asset_dir(reference.public_id)
    assert _tree(folder) == _tree(reference_folder)
    assert _shape((folder / "master.m3u8").read_text()) == _shape((reference_folder / "master.m3u8").read_text())
    for uri in [p.uri for p in m3u8.load(str(folder / "master.m3u8")).playlists]:
        taken_over, clean = m3u8.load(str(folder / uri)), m3u8.load(str(reference_folder / uri))
        assert [s.duration for s in taken_over.segments] == [s.duration for s in clean.segments]


def _check_lowest_rung_plays_while_transcoding(asset, tmp_path):
    folder = storage.asset_dir(asset.public_id)
    preview = m3u8.load(str(folder / "preview.m3u8"))
    assert [p.stream_info.resolution for p in preview.playlists] == [(256, 144)]
    assert preview.playlists[0].uri.startswith("preview/")  # the public folder, not the encoder's partial one
    rung = m3u8.load(str(folder / preview.playlists[0].uri))
    assert not rung.is_endlist and rung.segments  # still growing, already playable
    cipher = (folder / preview.playlists[0].uri).parent.joinpath(rung.segments[0].uri).read_bytes()
    clear = tmp_path / "first.ts"
    clear.write_bytes(keys.decrypt_segment(asset.key, asset.iv, cipher))
    assert decode_ok(clear)
    assert not (folder / "master.m3u8").exists()
