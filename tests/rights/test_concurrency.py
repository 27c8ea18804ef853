"""Rule 4: of concurrent requests for the same exclusive right exactly one wins, and every
loser gets a Conflict naming the winner. Real threads, each with its own database connection."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from kinomost.catalog.services import WorkInput, save_work
from kinomost.core.errors import Conflict
from kinomost.parties import services as parties
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.rights.models import AtomKind, RightAtom

THREADS = 20


def _skip_unless_concurrent_database():
    if connection.vendor == "postgresql":
        return
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite's shared-cache in-memory test database takes table locks that fail at once instead of "
            "waiting; run with KINOMOST_TEST_DATABASE_NAME=/tmp/test.sqlite3 for a file-based test database"
        )
    if connection.vendor not in {"sqlite", "postgresql"}:
        pytest.skip(f"no concurrency guarantees are implemented for {connection.vendor}")


@pytest.fixture
def setup(transactional_db):
    _skip_unless_concurrent_database()
    licensor = parties.create_organisation(slug="licensor", name="Licensor", kind="distributor", country="RU")
    buyers = [parties.create_organisation(slug=f"buyer-{i}", name=f"Buyer {i}", kind="platform", country="CN") for i in range(THREADS)]
    film = save_work(licensor, WorkInput(ref="film", kind="feature", titles={"en": "Film"}))[0]
    ledger.record_holding(
        licensor,
        TermInput(works=[film], territories="CN", media="svod", start="2026-01-01", exclusive=True, sublicensable=True),
        contract=ContractInput(reference="ACQ"),
    )
    return licensor, buyers, film


def race(requests: list[dict], licensor, film) -> tuple[list[str], list[Conflict], list[BaseException]]:
    """Run one grant per request in its own thread, all released at once."""
    barrier = threading.Barrier(len(requests))
    won: list[str] = []
    lost: list[Conflict] = []
    crashed: list[BaseException] = []
    lock = threading.Lock()

    def attempt(req: dict) -> None:
        try:
            barrier.wait(timeout=30)
            term = TermInput(works=[film], territories="CN", media="svod", start=req["start"], end=req["end"], exclusive=req["exclusive"])
            ledger.grant(licensor, req["buyer"], term, contract=ContractInput(reference=req["ref"]))
            with lock:
                won.append(req["ref"])
        except Conflict as exc:
            with lock:
                lost.append(exc)
        except BaseException as exc:  # noqa: BLE001 — reported by the test
            with lock:
                crashed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return won, lost, crashed


def _requests(buyers, *, windows, exclusive):
    return [
        {"buyer": b, "ref": f"LIC-{i:02d}", "start": windows(i)[0], "end": windows(i)[1], "exclusive": exclusive(i)}
        for i, b in enumerate(buyers)
    ]


def _assert_one_winner_named_by_losers(won, lost, crashed):
    assert not crashed, crashed
    assert len(won) == 1, won
    assert len(lost) == THREADS - 1
    for exc in lost:
        assert {d["contract"] for d in exc.details if d["reason"] == "conflicting_grant"} == {won[0]}, exc.details


@pytest.mark.django_db(transaction=True)
def test_identical_exclusive_requests(setup):
    licensor, buyers, film = setup
    reqs = _requests(buyers, windows=lambda i: ("2027-01-01", "2030-01-01"), exclusive=lambda i: True)
    _assert_one_winner_named_by_losers(*race(reqs, licensor, film))
    assert RightAtom.objects.filter(kind=AtomKind.GRANT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_overlapping_exclusive_windows(setup):
    licensor, buyers, film = setup
    base = date(2027, 1, 1)
    windows = lambda i: (base + timedelta(days=10 * i), base + timedelta(days=365 + 10 * i))  # noqa: E731 — all pairs overlap
    reqs = _requests(buyers, windows=windows, exclusive=lambda i: True)
    _assert_one_winner_named_by_losers(*race(reqs, licensor, film))


@pytest.mark.django_db(transaction=True)
def test_exclusive_against_non_exclusive(setup):
    """Half exclusive, half not: either one exclusive grant and nothing else, or only
    non-exclusive grants (which may share the window) — never an exclusive one beside another."""
    licensor, buyers, film = setup
    reqs = _requests(buyers, windows=lambda i: ("2027-01-01", "2030-01-01"), exclusive=lambda i: i % 2 == 0)
    won, lost, crashed = race(reqs, licensor, film)
    assert not crashed, crashed
    grants = list(RightAtom.objects.filter(kind=AtomKind.GRANT).values_list("exclusive", flat=True))
    assert len(grants) == len(won) >= 1
    if any(grants):
        assert grants == [True]
    else:
        assert len(won) == THREADS // 2
    assert len(won) + len(lost) == THREADS


@pytest.mark.django_db(transaction=True)
def test_one_exclusive_against_many_non_exclusive(setup):
    licensor, buyers, film = setup
    reqs = _requests(buyers, windows=lambda i: ("2027-01-01", "2030-01-01"), exclusive=lambda i: i == 0)
    won, lost, crashed = race(reqs, licensor, film)
    assert not crashed, crashed
    assert won == ["LIC-00"] or (len(won) == THREADS - 1 and "LIC-00" not in won)


@pytest.mark.django_db(transaction=True)
def test_the_constraint_alone_keeps_exclusive_grants_apart(setup, monkeypatch):
    """PostgreSQL's exclusion constraint is the last line of defence: with the advisory lock
    switched off, every racer passes the check, yet exactly one insert commits and the others'
    IntegrityError becomes a Conflict naming the winner."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists only on PostgreSQL (SQLite serialises writers instead)")
    licensor, buyers, film = setup
    monkeypatch.setattr(ledger, "_lock_licensor", lambda org: None)
    real_check, seen = ledger._refuse_conflicts, threading.local()
    fired = []

    def check_only_after_the_constraint(org, prepared):
        """Skip each thread's first check, so every loser must be stopped by the constraint."""
        if getattr(seen, "checked", False):
            fired.append(1)
            return real_check(org, prepared)
        seen.checked = True

    monkeypatch.setattr(ledger, "_refuse_conflicts", check_only_after_the_constraint)
    reqs = _requests(buyers, windows=lambda i: ("2027-01-01", "2030-01-01"), exclusive=lambda i: True)
    _assert_one_winner_named_by_losers(*race(reqs, licensor, film))
    assert len(fired) == THREADS - 1


@pytest.mark.django_db(transaction=True)
def test_the_constraint_refuses_a_raw_overlapping_exclusive_grant(setup):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists only on PostgreSQL")
    licensor, buyers, film = setup
    term = ledger.grant(
        licensor,
        buyers[0],
        TermInput(works=[film], territories="CN", media="svod", start="2027-01-01", end="2028-01-01", exclusive=True),
        contract=ContractInput(reference="LIC"),
    )
    atom = RightAtom.objects.get(term=term)
    atom.pk = None
    atom.licensee = buyers[1]
    with pytest.raises(IntegrityError, match=ledger.EXCLUSIVE_GRANT_CONSTRAINT), transaction.atomic():
        atom.save()
    atom.exclusive = False
    atom.save()  # non-exclusive rows are the advisory lock's business, not the constraint's
