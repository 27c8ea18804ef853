"""The worker loop: take a job, run its steps, record the outcome; repeat.

`kinomost worker` runs it on any machine that shares the database and storage; `make run`
starts one beside the web server. A refusal (a master that cannot be played) fails the job at
once with its reason; any other error puts it back in the queue until its attempts run out.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.utils import timezone

from kinomost.cinema import pipeline, queue
from kinomost.cinema.ffmpeg import FfmpegFailed
from kinomost.cinema.models import Asset, AssetStatus, IngestJob
from kinomost.core.errors import DomainError

log = logging.getLogger(__name__)


def run_worker(
    *, owner: str | None = None, until_empty: bool = False, poll_seconds: float = 2.0, stop: threading.Event | None = None
) -> int:
    """Work until stopped (or, with `until_empty`, until no job is left). Answers the jobs handled."""
    owner = owner or queue.worker_name()
    stop = stop or threading.Event()
    handled = 0
    while not stop.is_set():
        close_old_connections()
        lease = queue.claim(owner)
        if lease is None:
            if until_empty:
                return handled
            stop.wait(poll_seconds)
            continue
        process(lease)
        handled += 1
    return handled


def process(lease: queue.Lease) -> None:
    attempts, limit = IngestJob.objects.filter(pk=lease.job_id).values_list("attempts", "max_attempts").get()
    if attempts > limit:  # its workers keep dying (e.g. killed for memory): stop retrying
        _fail(lease, f"gave up after {limit} attempts", retry=False)
        return
    try:
        pipeline.run_steps(lease)
    except pipeline.LeaseLost:
        log.warning("job %s was taken over by another worker", lease.job_id)
    except DomainError as exc:
        _fail(lease, exc.message, retry=False)
    except Exception as exc:  # noqa: BLE001 — any crash goes back to the queue, with its reason kept
        detail = f"{exc}\n{exc.detail}" if isinstance(exc, FfmpegFailed) else repr(exc)
        log.exception("ingest job %s failed", lease.job_id)
        _fail(lease, detail, retry=True)


def _fail(lease: queue.Lease, message: str, *, retry: bool) -> None:
    state = queue.give_up(lease, message, retry=retry)
    if state == "failed":
        asset_id = IngestJob.objects.filter(pk=lease.job_id).values_list("asset_id", flat=True).first()
        Asset.objects.filter(pk=asset_id).update(status=AssetStatus.FAILED, error=message, eta_seconds=None, updated_at=timezone.now())


def start_embedded(stop: threading.Event) -> threading.Thread:
    """A worker thread inside another process (the web server), stopped by `stop`."""
    thread = threading.Thread(target=run_worker, kwargs={"stop": stop}, name="kinomost-ingest-worker", daemon=True)
    thread.start()
    return thread


def wait_for(asset_id: int, *, on_change=None, poll_seconds: float = 1.0, timeout: float | None = None) -> Asset:
    """Poll an asset until it is ready or failed, calling `on_change(asset)` when its progress moves."""
    started = time.monotonic()
    last = None
    while True:
        asset = Asset.objects.get(pk=asset_id)
        seen = (asset.status, asset.step, asset.progress)
        if on_change and seen != last:
            on_change(asset)
            last = seen
        if asset.status in (AssetStatus.READY, AssetStatus.FAILED):
            return asset
        if timeout is not None and time.monotonic() - started > timeout:
            return asset
        time.sleep(poll_seconds)
