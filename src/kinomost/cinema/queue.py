"""The ingest queue: a table of jobs with leases.

Why our own: django-tasks' database backend leaves a job whose worker died in RUNNING forever
(its issue #46 is open), Huey removes a task from the queue when a worker takes it (a killed
worker loses it), and Procrastinate needs PostgreSQL while the embedded default is SQLite.
Here a worker takes a job by writing a lease (owner, random token, expiry) and renews it with
every progress report; a job whose lease expired is taken by the next worker that asks, which
continues after the last completed step. Taking a job is one transaction: on PostgreSQL
`SELECT … FOR UPDATE SKIP LOCKED` lets many workers take different jobs at once; on SQLite the
IMMEDIATE transaction (settings) makes takers queue for the write lock. Every later write is
conditional on the token, so a worker that lost its lease cannot overwrite its successor.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from kinomost.cinema.models import IngestJob, JobState
from kinomost.cinema.storage import new_token


@dataclass(frozen=True)
class Lease:
    job_id: int
    token: str
    owner: str


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_seconds() -> int:
    return int(settings.CINEMA_LEASE_SECONDS)


def enqueue(asset) -> IngestJob:
    return IngestJob.objects.create(asset=asset)


def claim(owner: str | None = None) -> Lease | None:
    """Take the oldest job that is queued or whose worker stopped renewing its lease."""
    owner = owner or worker_name()
    now = timezone.now()
    with transaction.atomic():
        takeable = IngestJob.objects.filter(Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, lease_expires_at__lt=now)).order_by(
            "created_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            takeable = takeable.select_for_update(skip_locked=True)
        job = takeable.first()
        if job is None:
            return None
        token = new_token()
        taken = IngestJob.objects.filter(pk=job.pk, lease_token=job.lease_token, state=job.state).update(
            state=JobState.RUNNING,
            lease_owner=owner,
            lease_token=token,
            lease_expires_at=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            started_at=job.started_at or now,
        )
    return Lease(job.pk, token, owner) if taken else None


def renew(lease: Lease) -> bool:
    """Extend the lease; False when another worker has taken the job over."""
    return bool(
        IngestJob.objects.filter(pk=lease.job_id, lease_token=lease.token, state=JobState.RUNNING).update(
            lease_expires_at=timezone.now() + timedelta(seconds=lease_seconds())
        )
    )


def step_done(lease: Lease, step: str) -> bool:
    with transaction.atomic():
        job = IngestJob.objects.filter(pk=lease.job_id, lease_token=lease.token).first()
        if job is None:
            return False
        if step not in job.done_steps:
            job.done_steps = [*job.done_steps, step]
        job.current_step = ""
        job.lease_expires_at = timezone.now() + timedelta(seconds=lease_seconds())
        job.save(update_fields=["done_steps", "current_step", "lease_expires_at"])
    return True


def start_step(lease: Lease, step: str) -> bool:
    return bool(IngestJob.objects.filter(pk=lease.job_id, lease_token=lease.token).update(current_step=step))


def finish(lease: Lease) -> bool:
    return bool(
        IngestJob.objects.filter(pk=lease.job_id, lease_token=lease.token).update(
            state=JobState.DONE, lease_token="", lease_expires_at=None, finished_at=timezone.now()
        )
    )


def give_up(lease: Lease, error: str, *, retry: bool) -> str:
    """Record a failure: back to the queue while attempts remain (and `retry`), else failed.
    Answers the state the job is left in."""
    with transaction.atomic():
        job = IngestJob.objects.filter(pk=lease.job_id, lease_token=lease.token).first()
        if job is None:
            return ""
        job.last_error = error
        job.lease_token, job.lease_expires_at = "", None
        if retry and job.attempts < job.max_attempts:
            job.state = JobState.QUEUED
        else:
            job.state, job.finished_at = JobState.FAILED, timezone.now()
        job.save(update_fields=["last_error", "lease_token", "lease_expires_at", "state", "finished_at"])
    return job.state
