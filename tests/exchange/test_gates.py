"""Quota gates at signing (hard refuses with the count, soft warns) and approval gates at
activation; revoking an approval makes the work unavailable there at once."""

from datetime import date
from decimal import Decimal

import pytest

from kinomost.exchange import approvals, clearance, deals, quota_usage, quotas
from kinomost.exchange.errors import ApprovalsMissing, QuotaExceeded
from kinomost.exchange.models import Deal, DealState as S, Notification, NotificationKind
from kinomost.rights.licensed import is_licensed
from kinomost.rights.models import RightAtom

from tests.factories import proposal

pytestmark = pytest.mark.django_db

KZ_CINEMA = {"territories": ["KZ"], "media": ["theatrical"], "start": "2027-03-01", "end": "2028-03-01", "exclusive": False}


def _agreed(actor_a, actor_b, org_b, works, terms=None, **money):
    deal = deals.create_deal(actor_a, org_b, proposal(works, terms, **money))
    deals.propose(actor_a, deal.pk)
    deals.accept(actor_b, deal.pk)
    return deals.countersign(actor_b, deal.pk)  # both parties sign: the licensee first


def test_a_hard_quota_refuses_with_the_count(actor_a, actor_b, org_b, catalogue):
    quotas.define_rule(name="KZ cinema", territory="KZ", media="theatrical", measure="count", limit=2, hard=True)
    deal = _agreed(actor_a, actor_b, org_b, catalogue, [KZ_CINEMA])
    with pytest.raises(QuotaExceeded) as refused:
        deals.sign(actor_a, deal.pk, on_date="2027-01-10")
    (breach,) = refused.value.details
    assert (breach["name"], breach["year"], breach["used"], breach["adding"], breach["after"], breach["limit"]) == (
        "KZ cinema",
        2027,
        "0",
        3,
        "3",
        "2",
    )
    assert not RightAtom.objects.filter(licensee=org_b).exists()
    assert Deal.objects.get(pk=deal.pk).state == S.COUNTERSIGNED


def test_the_count_is_nationwide_and_per_year(actor_a, actor_b, org_b, catalogue):
    quotas.define_rule(name="KZ cinema", territory="KZ", media="theatrical", measure="count", limit=2, hard=True)
    first = _agreed(actor_a, actor_b, org_b, catalogue[:2], [KZ_CINEMA])
    deals.sign(actor_a, first.pk, on_date="2027-01-10")
    (counter,) = [c for c in quota_usage.quota_counters(territory="KZ", year=2027)]
    assert (counter.used, counter.limit) == (2, Decimal("2.00"))
    second = _agreed(actor_a, actor_b, org_b, catalogue[2:], [{**KZ_CINEMA, "exclusive": False}])
    with pytest.raises(QuotaExceeded):
        deals.sign(actor_a, second.pk, on_date="2027-01-11")
    next_year = _agreed(actor_a, actor_b, org_b, catalogue[2:], [{**KZ_CINEMA, "start": "2028-03-01", "end": "2029-01-01"}])
    assert deals.sign(actor_a, next_year.pk, on_date="2027-01-12").deal.state == S.SIGNED


def test_china_theatrical_counts_only_revenue_sharing_foreign_films(actor_a, actor_b, org_b, catalogue):
    cinema = {**KZ_CINEMA, "territories": ["CN"]}
    flat = _agreed(actor_a, actor_b, org_b, catalogue[:1], [cinema])
    deals.sign(actor_a, flat.pk, on_date="2027-01-10")
    shared = _agreed(actor_a, actor_b, org_b, catalogue[1:], [cinema], revenue_share=Decimal("25"))
    deals.sign(actor_a, shared.pk, on_date="2027-01-10")
    counters = {c.rule.name: c for c in quota_usage.quota_counters(territory="CN", year=2027)}
    assert counters["China, theatrical: revenue-sharing foreign films per calendar year"].used == 2


def test_a_soft_quota_warns_and_signs(actor_a, actor_b, org_b, catalogue):
    """China online: foreign titles at most 30% of the platform's catalogue (soft: the rule is a draft)."""
    deal = _agreed(actor_a, actor_b, org_b, catalogue)
    result = deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    assert result.deal.state == S.SIGNED
    (warning,) = result.warnings
    assert (warning["territory"], warning["hard"], warning["after"], warning["limit"]) == ("CN", False, "100.0", "30")
    assert Notification.objects.filter(organisation=org_b, kind=NotificationKind.QUOTA_NEAR_LIMIT).exists()


def test_the_platform_catalogue_of_a_share_quota_is_what_the_storefront_may_show(org_a, org_b):
    """A series licensed to the platform brings its season and episodes into the catalogue the
    share is taken of, as the storefront shows them (one rule: rights.licensed)."""
    from tests.factories import give, hold, make_work

    series = make_work(org_a, "quiet-don", kind="series")
    season = make_work(org_a, "quiet-don/s1", kind="season", parent_ref="quiet-don")
    episodes = [make_work(org_a, f"quiet-don/s1/e{n}", kind="episode", parent_ref="quiet-don/s1") for n in (1, 2)]
    film = make_work(org_a, "brother")
    hold(org_a, [series, film], territories=["CN"])
    give(org_a, org_b, [series, film], territories="CN", media="svod", start="2027-03-01", end="2028-03-01")
    rule = quotas.define_rule(name="CN online share", territory="CN", media="svod", measure="share", limit=30, hard=False)
    everything = {series.pk, season.pk, film.pk} | {e.pk for e in episodes}
    assert quota_usage.platform_catalogue(rule, org_b.pk, 2027) == everything
    assert quota_usage.platform_catalogue(rule, org_b.pk, 2028) == everything  # the licence runs into 2028
    assert quota_usage.platform_catalogue(rule, org_b.pk, 2029) == set()
    assert quota_usage.platform_catalogue(rule, org_a.pk, 2026) == everything  # the licensor's own holding


@pytest.fixture
def signed(actor_a, actor_b, org_b, catalogue):
    deal = _agreed(actor_a, actor_b, org_b, catalogue)
    return deals.sign(actor_a, deal.pk, on_date="2026-12-01").deal


def test_a_deal_does_not_become_active_without_its_approvals(signed, actor_a, actor_b, org_b, catalogue):
    with pytest.raises(ApprovalsMissing) as refused:
        deals.activate(actor_b, signed.pk, on_date="2027-01-02")
    missing = {(m["work_ref"], m["approval"]) for m in refused.value.details}
    assert missing == {(w.ref, kind) for w in catalogue for kind in ("cn_screening_permit", "cn_online_registration")}

    for work in catalogue:
        approvals.record_approval(
            actor_a,
            work_id=work.pk,
            territory="CN",
            kind="cn_screening_permit",
            status="granted",
            number=f"SP-{work.pk}",
            issued_on="2026-11-01",
        )
        approvals.record_approval(
            actor_b,
            work_id=work.pk,
            territory="CN",
            kind="cn_online_registration",
            status="granted",
            platform="shanghai-media",
            issued_on="2026-11-01",
        )
    assert deals.activate(actor_b, signed.pk, on_date="2027-01-02").state == S.ACTIVE


def test_a_registration_for_another_platform_does_not_count(signed, actor_a, org_a, org_b, catalogue):
    work = catalogue[0]
    approvals.record_approval(actor_a, work_id=work.pk, territory="CN", kind="cn_screening_permit", status="granted")
    approvals.record_approval(
        actor_a, work_id=work.pk, territory="CN", kind="cn_online_registration", status="granted", platform="rus-media"
    )
    assert clearance.approvals_missing(work, "CN", "svod", "2027-02-01", platform=org_b) == [
        {"territory": "CN", "media": "vod", "approval": "cn_online_registration", "per_platform": True}
    ]
    assert clearance.is_cleared(work, "CN", "svod", "2027-02-01", platform=org_a)


def test_revoking_an_approval_makes_the_work_unavailable_at_once(signed, actor_a, actor_b, org_b, catalogue):
    work = catalogue[0]
    permit = approvals.record_approval(
        actor_a, work_id=work.pk, territory="CN", kind="cn_screening_permit", status="granted", number="SP-1"
    )
    approvals.record_approval(
        actor_b, work_id=work.pk, territory="CN", kind="cn_online_registration", status="granted", platform="shanghai-media"
    )
    # the storefront's question: licensed there that day, and cleared by the regulator
    assert is_licensed(org_b, work, "CN", "svod", date(2027, 6, 1))
    assert clearance.is_cleared(work, "CN", "svod", date(2027, 6, 1), platform=org_b)
    approvals.change_status(actor_a, permit.pk, "revoked")
    assert not clearance.is_cleared(work, "CN", "svod", date(2027, 6, 1), platform=org_b)
    assert Notification.objects.filter(organisation=org_b, kind=NotificationKind.APPROVAL_CHANGED, data__status="revoked").exists()


def test_territories_without_rules_need_no_approval(catalogue):
    assert clearance.is_cleared(catalogue[0], "KZ", "svod", "2027-01-01")


def test_a_stranger_cannot_record_approvals_for_a_work(actor_c, catalogue):
    from kinomost.core.errors import NotFound

    with pytest.raises(NotFound):
        approvals.record_approval(actor_c, work_id=catalogue[0].pk, territory="CN", kind="cn_screening_permit", status="granted")


def test_the_quota_page_says_a_soft_quota_is_over_its_limit(actor_a, actor_b, org_b, catalogue, client_b):
    """100 % foreign titles against a 30 % cap is over the limit, not merely near it."""
    deals.sign(actor_a, _agreed(actor_a, actor_b, org_b, catalogue).pk, on_date="2026-12-01")
    pages = [client_b.get("/studio/exchange/quotas/", {"territory": "CN", "year": year}).content.decode() for year in (2026, 2027)]
    assert any("over its limit" in page for page in pages)
    assert not any("near its limit" in page for page in pages)
