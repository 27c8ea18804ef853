"""Deals signed at the same moment: for one exclusive right exactly one deal signs and the
others sign nothing; under a hard quota of one, exactly one of several licensors' deals signs.
Real threads with their own connections (file SQLite or PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from kinomost.core.errors import Conflict
from kinomost.exchange import deals, quotas
from kinomost.exchange.models import Deal, DealState as S
from kinomost.parties import services as parties
from kinomost.parties.context import Actor
from kinomost.rights.models import RightAtom
from tests.factories import hold, make_work
from tests.rights.test_concurrency import _skip_unless_concurrent_database

from tests.factories import proposal

RIVALS = 6
CN_SVOD = {"territories": ["CN"], "media": ["svod"], "start": "2027-01-01", "end": "2030-01-01", "exclusive": True}
KZ_CINEMA = {"territories": ["KZ"], "media": ["theatrical"], "start": "2027-03-01", "end": "2028-03-01"}


def _actor(org):
    return Actor(organisation=org, role="owner")


def _agreed(seller, buyer, works, terms):
    deal = deals.create_deal(_actor(seller), buyer, proposal(works, terms))
    deals.propose(_actor(seller), deal.pk)
    deals.accept(_actor(buyer), deal.pk)
    return deals.countersign(_actor(buyer), deal.pk)  # both parties sign: the licensee first


def _sign_all(pairs):
    barrier = threading.Barrier(len(pairs))
    signed, refused, crashed = [], [], []
    lock = threading.Lock()

    def attempt(seller, deal_id):
        try:
            barrier.wait(timeout=30)
            deals.sign(_actor(seller), deal_id, on_date="2026-12-01")
            with lock:
                signed.append(deal_id)
        except Conflict as exc:
            with lock:
                refused.append(exc)
        except BaseException as exc:  # noqa: BLE001 — reported by the test
            with lock:
                crashed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return signed, refused, crashed


@pytest.fixture
def buyers(transactional_db):
    _skip_unless_concurrent_database()
    return [parties.create_organisation(slug=f"buyer-{i}", name=f"Buyer {i}", kind="platform", country="CN") for i in range(RIVALS)]


def test_one_exclusive_right_one_signed_deal(buyers):
    seller = parties.create_organisation(slug="seller", name="Seller", kind="distributor", country="RU")
    films = [make_work(seller, f"film-{i}") for i in range(3)]
    hold(seller, films, territories="CN", media="svod")
    agreed = [_agreed(seller, b, films, [CN_SVOD]) for b in buyers]
    signed, refused, crashed = _sign_all([(seller, d.pk) for d in agreed])
    assert crashed == []
    assert len(signed) == 1 and len(refused) == RIVALS - 1
    winner = Deal.objects.get(pk=signed[0])
    assert RightAtom.objects.filter(kind="grant").count() == 3
    assert set(RightAtom.objects.filter(kind="grant").values_list("licensee_id", flat=True)) == {winner.licensee_id}
    assert Deal.objects.filter(state=S.COUNTERSIGNED).count() == RIVALS - 1


def test_the_last_place_under_a_hard_quota_goes_to_one_deal(buyers):
    quotas.define_rule(name="one a year", territory="KZ", media="theatrical", measure="count", limit=1, hard=True)
    pairs = []
    for i, buyer in enumerate(buyers):
        seller = parties.create_organisation(slug=f"seller-{i}", name=f"Seller {i}", kind="distributor", country="RU")
        film = make_work(seller, "film")
        hold(seller, [film], territories="KZ", media="theatrical")
        pairs.append((seller, _agreed(seller, buyer, [film], [KZ_CINEMA]).pk))
    signed, refused, crashed = _sign_all(pairs)
    assert crashed == []
    assert len(signed) == 1 and len(refused) == RIVALS - 1
    assert {type(e).__name__ for e in refused} == {"QuotaExceeded"}
    assert RightAtom.objects.filter(kind="grant").values("work").distinct().count() == 1
