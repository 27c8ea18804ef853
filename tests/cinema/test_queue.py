"""The queue's rules: one holder per job, takeover only after the lease expires, a lost lease
writes nothing, refusals fail at once with their reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kinomost.cinema import queue
from kinomost.cinema.models import Asset, AssetStatus, IngestJob, JobState
from kinomost.cinema.worker import process

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(org_a, film):
    asset = Asset.objects.create(organisation=org_a, work=film, key=b"k" * 16, iv=b"i" * 16, ladder=[144])
    return queue.enqueue(asset)


def test_a_held_job_is_not_handed_to_a_second_worker(job):
    first = queue.claim("one")
    assert first is not None and first.job_id == job.pk
    assert queue.claim("two") is None


def test_an_expired_lease_is_taken_over_and_the_old_holder_can_no_longer_write(job):
    first = queue.claim("one")
    IngestJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    second = queue.claim("two")
    assert second is not None and second.token != first.token
    assert not queue.renew(first)
    assert not queue.step_done(first, "probe")
    assert queue.renew(second) and queue.step_done(second, "probe")
    job.refresh_from_db()
    assert job.lease_owner == "two" and job.attempts == 2 and job.done_steps == ["probe"]


def test_a_master_that_cannot_be_played_fails_with_its_reason(job, cinema_storage):
    bad = cinema_storage / "private" / "sources" / "bad.mp4"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"this is not a film")
    job.asset.sources.create(kind="master", path="sources/bad.mp4", original_name="bad.mp4")
    process(queue.claim("one"))
    job.refresh_from_db()
    job.asset.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 1
    assert job.asset.status == AssetStatus.FAILED
    assert "bad.mp4 is not a media container Kinomost accepts" in job.asset.error


def test_a_job_whose_workers_keep_dying_is_given_up(job):
    IngestJob.objects.filter(pk=job.pk).update(attempts=job.max_attempts)
    process(queue.claim("one"))
    job.refresh_from_db()
    job.asset.refresh_from_db()
    assert job.state == JobState.FAILED and job.asset.status == AssetStatus.FAILED
    assert "gave up after 5 attempts" in job.asset.error
