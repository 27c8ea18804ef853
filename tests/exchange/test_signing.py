"""Signing is all or nothing: every grant through the ledger in one transaction, and a refusal
that lists every conflict across every term."""

import pytest

from kinomost.exchange import deals
from kinomost.exchange.errors import SigningRefused
from kinomost.exchange.models import Deal, DealState as S
from kinomost.rights.models import AtomKind, Contract, RightAtom
from tests.factories import give, hold, make_work

from tests.factories import CN_SVOD, proposal

pytestmark = pytest.mark.django_db(transaction=False)


def _agreed(actor_a, actor_b, org_b, works, terms=None):
    deal = deals.create_deal(actor_a, org_b, proposal(works, terms))
    deals.propose(actor_a, deal.pk)
    deals.accept(actor_b, deal.pk)
    return deals.countersign(actor_b, deal.pk)  # both parties sign: the licensee first


def test_a_conflict_in_work_299_of_300_signs_nothing(actor_a, actor_b, org_a, org_b, org_c):
    works = [make_work(org_a, f"pkg-{i:03d}") for i in range(1, 301)]
    hold(org_a, works, territories="CN", media="svod")
    give(org_a, org_c, [works[298]], territories="CN", media="svod", ref="EARLIER-KZ")
    deal = _agreed(actor_a, actor_b, org_b, works)

    with pytest.raises(SigningRefused) as refused:
        deals.sign(actor_a, deal.pk, on_date="2026-12-01")

    details = refused.value.details
    assert [(d["work_ref"], d["territory"], d["media"], d["reason"], d["contract"]) for d in details] == [
        ("pkg-299", "CN", "svod", "conflicting_grant", "EARLIER-KZ")
    ]
    assert details[0]["window"] == "[2027-01-01, 2030-01-01)"
    assert "pkg-299" in refused.value.message
    assert not RightAtom.objects.filter(kind=AtomKind.GRANT, licensee=org_b).exists()
    assert not Contract.objects.filter(external_ref=f"exchange.deal:{deal.pk}").exists()
    assert Deal.objects.get(pk=deal.pk).state == S.COUNTERSIGNED


def test_once_the_conflict_is_gone_all_300_are_granted(actor_a, actor_b, org_a, org_b):
    works = [make_work(org_a, f"pkg-{i:03d}") for i in range(1, 301)]
    hold(org_a, works, territories="CN", media="svod")
    deal = _agreed(actor_a, actor_b, org_b, works)
    result = deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    assert result.deal.state == S.SIGNED
    assert RightAtom.objects.filter(kind=AtomKind.GRANT, licensee=org_b).count() == 300
    contract = Contract.objects.get(external_ref=f"exchange.deal:{deal.pk}")
    assert (contract.reference, str(contract.signed_on)) == (deal.reference, "2026-12-01")
    assert list(result.deal.contracts.all()) == [contract]


def test_the_refusal_lists_conflicts_of_every_term(actor_a, actor_b, org_a, org_b, org_c, catalogue):
    give(org_a, org_c, [catalogue[0]], territories="CN", media="svod", ref="C-CN")
    give(org_a, org_c, [catalogue[2]], territories="RU", media="svod", ref="C-RU")
    ru = {**CN_SVOD, "territories": ["RU"]}
    deal = _agreed(actor_a, actor_b, org_b, catalogue, terms=[CN_SVOD, ru])
    with pytest.raises(SigningRefused) as refused:
        deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    assert sorted((d["term"], d["work_ref"], d["territory"], d["contract"]) for d in refused.value.details) == [
        (1, "film-1", "CN", "C-CN"),
        (2, "film-3", "RU", "C-RU"),
    ]
    assert not RightAtom.objects.filter(licensee=org_b).exists()


def test_a_later_term_refused_by_the_ledger_rolls_back_the_earlier_ones(actor_a, actor_b, org_b, catalogue):
    """Two terms overlapping each other pass the per-term check; the ledger refuses the second
    grant, and the first one is rolled back with it."""
    deal = _agreed(actor_a, actor_b, org_b, catalogue, terms=[CN_SVOD, {**CN_SVOD, "start": "2028-01-01"}])
    with pytest.raises(SigningRefused):
        deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    assert not RightAtom.objects.filter(licensee=org_b).exists()
    assert Deal.objects.get(pk=deal.pk).state == S.COUNTERSIGNED


def test_a_deal_for_a_language_the_licensor_does_not_hold_is_refused_before_signing(actor_a, actor_b, org_a, org_b):
    """The deal page's check and signing agree with the ledger's rule 1 by language."""
    works = [make_work(org_a, "dub-only")]
    hold(org_a, works, territories="CN", media="svod", languages=[("ru", "dubbed")])
    zh = {**CN_SVOD, "languages": [{"language": "zh-Hans", "use": "subtitled"}]}
    deal = _agreed(actor_a, actor_b, org_b, works, terms=[zh])
    found = deals.conflicts_of(org_a, works, [zh])
    assert [(d["territory"], d["media"], d["reason"], d.get("language")) for d in found] == [
        ("CN", "svod", "missing_holding", "zh-Hans subtitled")
    ]
    with pytest.raises(SigningRefused):
        deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    assert not RightAtom.objects.filter(licensee=org_b).exists()
    ru = {**CN_SVOD, "languages": [{"language": "ru", "use": "dubbed"}]}
    assert deals.conflicts_of(org_a, works, [ru]) == []
