"""The cyclic collector is held off only while a bulk job runs, and always comes back on."""

import gc
import threading

import pytest

from kinomost.core import collector


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_holds_the_collector_off_and_restores_it():
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_job_still_restores_it():
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("bad row")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_overlapping_jobs_on_two_threads_turn_it_on_only_when_both_end():
    first_in, second_done, release = threading.Event(), threading.Event(), threading.Event()

    def first():
        with collector.paused():
            first_in.set()
            release.wait(5)

    def second():
        first_in.wait(5)
        with collector.paused():
            pass
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    assert second_done.wait(5)
    assert not gc.isenabled(), "the first job is still running"
    release.set()
    for t in threads:
        t.join(5)
    assert gc.isenabled()
