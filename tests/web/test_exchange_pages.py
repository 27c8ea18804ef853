"""Studio pages of the exchange: a seller builds and sends an offer, the buyer browses it in its
own language, counters, the seller accepts and signs, and both see the grants; refusals are
shown as readable pages; only the parties see a deal or an offer."""

from decimal import Decimal

import pytest

from kinomost.catalog.models import WorkLocalization
from kinomost.exchange import deals, offers
from kinomost.exchange.models import Deal, DealState, Notification, Offer, QuotaRule
from kinomost.rights.models import Contract
from tests.factories import CN_SVOD, proposal
from tests.factories import give, hold, make_work

OFFER_POST = {
    "name": "Winter package",
    "works": "film-1\nfilm-2",
    "territories": "CN",
    "territories_excluded": "",
    "media": "svod",
    "start": "2027-01-01",
    "end": "2030-01-01",
    "exclusive": "on",
    "currency": "USD",
    "fee_per_work": "1000",
    "flat_fee": "",
    "revenue_share": "",
    "minimum_guarantee": "500",
    "message": "Best of our catalogue",
    "expires_on": "",
}


@pytest.fixture
def catalogue(org_a):
    works = [make_work(org_a, f"film-{i}") for i in range(1, 4)]
    hold(org_a, works, territories=["CN", "RU", "KZ"])
    WorkLocalization.objects.create(work=works[0], language="zh-Hans", title="冬天的电影", synopsis="一个关于冬天的故事")
    return works


def _client_of(client_b, language):
    client_b.cookies["django_language"] = language
    return client_b


def test_seller_builds_an_offer_by_hand_and_sends_it(client_a, client_b, org_b, catalogue):
    response = client_a.post("/studio/exchange/offers/new/", OFFER_POST)
    offer = Offer.objects.get(name="Winter package")
    assert response.status_code == 302 and response["Location"] == f"/studio/exchange/offers/{offer.pk}/"
    assert list(offer.items.values_list("work__ref", flat=True)) == ["film-1", "film-2"]

    response = client_a.post(f"/studio/exchange/offers/{offer.pk}/send/", {"recipients": "shanghai-media"})
    deal = Deal.objects.get(offer=offer)
    assert response["Location"] == f"/studio/exchange/deals/{deal.pk}/"
    assert deal.state == DealState.PROPOSED and deal.licensee == org_b

    page = _client_of(client_b, "zh-hans").get(f"/studio/exchange/deals/{deal.pk}/").content.decode()
    assert "冬天的电影" in page and "一个关于冬天的故事" in page  # the buyer reads its own language
    assert "Best of our catalogue" in page  # the offer's message opens the thread
    assert f"/studio/exchange/deals/{deal.pk}/steps/accept/" in page
    assert f"/studio/exchange/deals/{deal.pk}/counter/" in page
    assert "/steps/sign/" not in page


def test_offer_by_saved_filter_keeps_the_filter(client_a, catalogue):
    post = {**OFFER_POST, "works": "", "filter_kind": "feature", "filter_available": "on"}
    client_a.post("/studio/exchange/offers/new/", post)
    offer = Offer.objects.get(name="Winter package")
    assert offer.saved_filter["kind"] == "feature" and "available_for" in offer.saved_filter
    assert offer.items.count() == 3


def test_a_bad_offer_keeps_the_form_and_says_why(client_a, catalogue):
    response = client_a.post("/studio/exchange/offers/new/", {**OFFER_POST, "works": "film-1\nno-such-film", "currency": "XXQ"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "no-such-film" in page and not Offer.objects.exists()


def test_counter_accept_sign_and_see_the_grants(client_a, client_b, actor_a, org_b, catalogue):
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue), name="Package").pk)
    counter_post = {**OFFER_POST, "works": "film-1\nfilm-3", "fee_per_work": "800", "note": "two films, lower fee"}
    response = client_b.post(f"/studio/exchange/deals/{deal.pk}/counter/", counter_post)
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.state == DealState.COUNTERED and deal.versions.count() == 2

    page = client_a.get(f"/studio/exchange/deals/{deal.pk}/").content.decode()
    assert "two films, lower fee" in page and "Version 1" in page and "Version 2" in page  # every version kept
    client_a.post(f"/studio/exchange/deals/{deal.pk}/steps/accept/")
    client_b.post(f"/studio/exchange/deals/{deal.pk}/steps/countersign/", {"on_date": "2026-11-30", "confirm": "yes"})
    confirm = client_a.get(f"/studio/exchange/deals/{deal.pk}/confirm/sign/").content.decode()
    assert "2 exclusive grants: China × SVOD (subscription) × 2027-01-01 → 2030-01-01" in confirm
    response = client_a.post(f"/studio/exchange/deals/{deal.pk}/steps/sign/", {"on_date": "2026-12-01", "confirm": "yes"})
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.state == DealState.SIGNED
    contract = Contract.objects.get(external_ref=f"exchange.deal:{deal.pk}")
    page = client_b.get(f"/studio/exchange/deals/{deal.pk}/").content.decode()
    assert contract.reference in page and f"/studio/rights/contracts/{contract.pk}/" in page


def test_buyer_accepting_a_selection_counter_proposes_it(client_b, actor_a, org_b, catalogue):
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue)).pk)
    client_b.post(f"/studio/exchange/deals/{deal.pk}/steps/accept/", {"works": [catalogue[0].pk, catalogue[2].pk]})
    deal.refresh_from_db()
    assert deal.state == DealState.COUNTERED  # the package's money must be re-agreed by the seller
    assert set(deal.versions.order_by("-number").first().works.values_list("ref", flat=True)) == {"film-1", "film-3"}


def _countersigned(actor_a, actor_b, org_b, works, terms=None, **money):
    deal = deals.accept(actor_b, deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(works, terms, **money)).pk).pk)
    return deals.countersign(actor_b, deal.pk)


def test_signing_refused_lists_the_conflicts(client_a, actor_a, actor_b, org_b, org_c, catalogue):
    deal = _countersigned(actor_a, actor_b, org_b, catalogue)
    give(org_a := catalogue[0].owner, org_c, [catalogue[1]], ref="RIVAL-1")
    response = client_a.post(f"/studio/exchange/deals/{deal.pk}/steps/sign/", {"on_date": "2026-12-01", "confirm": "yes"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Nothing was signed" in page and "film-2" in page and "RIVAL-1" in page
    assert "Traceback" not in page
    deal.refresh_from_db()
    assert deal.state == DealState.COUNTERSIGNED and org_a


def test_step_of_the_other_party_is_refused_in_words(client_b, actor_a, actor_b, org_b, catalogue):
    deal = _countersigned(actor_a, actor_b, org_b, catalogue)
    response = client_b.post(f"/studio/exchange/deals/{deal.pk}/steps/sign/", {"confirm": "yes"})
    assert response.status_code == 403
    assert "This step belongs to the other party." in response.content.decode()


def test_quota_exceeded_shows_the_count(client_a, actor_a, actor_b, org_b, catalogue):
    QuotaRule.objects.all().delete()
    QuotaRule.objects.create(name="Tiny CN online quota", territory="CN", media="svod", measure="count", scope="all", limit=2, hard=True)
    deal = _countersigned(actor_a, actor_b, org_b, catalogue)
    response = client_a.post(f"/studio/exchange/deals/{deal.pk}/steps/sign/", {"on_date": "2026-12-01", "confirm": "yes"})
    page = response.content.decode()
    assert response.status_code == 409 and "Tiny CN online quota" in page and "<td>3</td>" in page


def test_thread_and_inbox_with_unread_count(client_a, client_b, actor_a, org_b, catalogue):
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue), name="Autumn").pk)
    client_b.post(f"/studio/exchange/deals/{deal.pk}/messages/", {"body": "Can you add subtitles?"})
    assert "Can you add subtitles?" in client_a.get(f"/studio/exchange/deals/{deal.pk}/").content.decode()

    page = client_b.get("/studio/exchange/inbox/").content.decode()
    assert "Offer received: Autumn" in page
    assert 'id="nav-inbox"' in page and '<span class="badge">1</span>' in page
    notice = Notification.objects.get(organisation=org_b)
    client_b.post("/studio/exchange/inbox/read/", {"ids": [notice.pk]})
    assert '<span class="badge">' not in client_b.get("/studio/exchange/inbox/").content.decode()


def test_a_read_only_member_reads_the_thread_but_cannot_post(client, actor_a, org_b, catalogue):
    from kinomost.parties import services as parties
    from kinomost.parties.models import Role
    from tests.factories import PASSWORD

    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue), name="Autumn").pk)
    deals.post_message(actor_a, deal.pk, "Subtitles included")
    reader = parties.create_member(email="reader@smg.example", organisation=org_b, role=Role.READ_ONLY, password=PASSWORD)[0]
    client.force_login(reader)
    page = client.get(f"/studio/exchange/deals/{deal.pk}/").content.decode()
    assert "Subtitles included" in page and f"/studio/exchange/deals/{deal.pk}/messages/" not in page

    response = client.post(f"/studio/exchange/deals/{deal.pk}/messages/", {"body": "We accept everything"}, follow=True)
    assert "may not post in deal threads" in response.content.decode()
    assert list(deal.messages.values_list("body", flat=True)) == ["Subtitles included"]


def test_approvals_recorded_and_revoked(client_a, org_a, catalogue):
    response = client_a.post(
        "/studio/exchange/approvals/",
        {
            "work": "film-1",
            "territory": "CN",
            "kind": "cn_screening_permit",
            "status": "granted",
            "number": "PERMIT-7",
            "issued_on": "2026-05-01",
            "platform": "",
        },
    )
    assert response.status_code == 302
    approval = org_a.approvals.get()
    assert "PERMIT-7" in client_a.get("/studio/exchange/approvals/").content.decode()
    client_a.post(f"/studio/exchange/approvals/{approval.pk}/status/", {"status": "revoked"})
    approval.refresh_from_db()
    assert approval.status == "revoked"


def test_approval_for_a_stranger_work_is_refused_in_words(client_b, catalogue):
    response = client_b.post(
        "/studio/exchange/approvals/", {"work": str(catalogue[0].pk), "territory": "CN", "kind": "cn_screening_permit", "status": "granted"}
    )
    assert response.status_code == 200 and "No such work." in response.content.decode()


def test_quota_counter_moves_after_signing(client_b, actor_a, actor_b, org_b, catalogue):
    before = client_b.get("/studio/exchange/quotas/?territory=CN&year=2027").content.decode()
    assert "34" in before
    term = {**CN_SVOD, "media": ["theatrical"]}
    deal = _countersigned(actor_a, actor_b, org_b, catalogue, [term], revenue_share=Decimal("25"))
    deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    rows = client_b.get("/studio/exchange/quotas/?territory=CN&year=2027").content.decode()
    assert '<td class="used">3</td>' in rows


def test_balance_dashboard_both_ways_and_exports(client_a, actor_a, actor_b, org_a, org_b, catalogue):
    deal = _countersigned(actor_a, actor_b, org_b, catalogue)
    deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    chinese = make_work(org_b, "cn-film")
    hold(org_b, [chinese], territories=["RU"], ref="CN-ACQ")
    ru_term = {**CN_SVOD, "territories": ["RU"]}
    back = _countersigned(actor_b, actor_a, org_a, [chinese], [ru_term])
    deals.sign(actor_b, back.pk, on_date="2026-12-02")

    page = client_a.get("/studio/exchange/balance/?scope=organisation&a=rus-media&b=shanghai-media&by=quarter").content.decode()
    assert "2026-Q4" in page and 'id="balance-data"' in page and "chart.umd.min.js" in page
    assert "<td>3</td><td>1</td>" in page  # three films one way, one the other
    csv = client_a.get("/studio/exchange/balance/?scope=organisation&a=rus-media&b=shanghai-media&by=year&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"2026,3,1" in csv.content
    xlsx = client_a.get("/studio/exchange/balance/?scope=organisation&a=rus-media&b=shanghai-media&by=year&format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_balance_of_strangers_is_refused(client_b, org_a, org_c):
    page = client_b.get("/studio/exchange/balance/?scope=organisation&a=rus-media&b=kazakh-film").content.decode()
    assert "No such organisation." in page


def test_only_the_parties_see_a_deal_or_an_offer(client, actor_a, org_b, org_c, catalogue):
    from kinomost.parties import services as parties

    offer = offers.create_offer(actor_a, name="Private package", proposal=proposal(catalogue))
    (deal,) = offers.send_offer(actor_a, offer.pk, ["shanghai-media"])
    stranger = parties.create_member(email="k@kz.example", organisation=org_c, role="owner", password="x" * 12)[0]
    client.force_login(stranger)
    for url in (f"/studio/exchange/deals/{deal.pk}/", f"/studio/exchange/offers/{offer.pk}/", f"/studio/exchange/deals/{deal.pk}/counter/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/studio/exchange/deals/{deal.pk}/steps/accept/").status_code == 404
    assert "Private package" not in client.get("/studio/exchange/").content.decode()
