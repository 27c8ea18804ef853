"""From availability to a deal (issue 17 §3): "find available" results become a draft offer on the
same terms in one step, each work left out says why, and a draft offer can be edited."""

import pytest

from kinomost.exchange.models import Offer, OfferStatus
from tests.rights.conftest import give, hold, make_work

pytestmark = pytest.mark.django_db

FIND = {
    "territory": "CN",
    "media": "svod",
    "start": "2027-01-01",
    "end": "2030-01-01",
    "exclusive": "on",
    "kind": "feature",
    "languages": "",
}


@pytest.fixture
def catalogue(org_a, org_b):
    works = [make_work(org_a, f"film-{i}") for i in range(1, 5)]
    hold(org_a, works[:3], territories=["CN", "RU"], media="svod")
    give(org_a, org_b, [works[2]], ref="KM-DEAL-9", end="2029-01-01")
    return works


def test_find_says_why_each_missing_work_is_not_available(client_a, catalogue, org_b):
    page = client_a.get("/studio/rights/find/", FIND).content.decode()
    found = page[page.index('id="found"') : page.index('id="why-not"')]
    assert 'value="%d"' % catalogue[0].pk in found and 'value="%d"' % catalogue[2].pk not in found
    why = page[page.index('id="why-not"') :]
    assert f"granted to {org_b.name} under KM-DEAL-9 until Jan. 1, 2029" in why
    assert "not held with the right to sublicense" in why.split('data-ref="film-4"')[1].split("</tr>")[0]


def test_ticked_results_become_a_draft_offer_on_the_same_terms(client_a, catalogue):
    response = client_a.post("/studio/exchange/offers/from-available/", {**FIND, "works": [catalogue[0].pk, catalogue[1].pk]})
    offer = Offer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/studio/exchange/offers/{offer.pk}/edit/"
    assert offer.status == OfferStatus.DRAFT
    assert sorted(offer.items.values_list("work__ref", flat=True)) == ["film-1", "film-2"]
    (term,) = offer.terms
    assert (term["territories"], term["media"], term["start"], term["end"], term["exclusive"]) == (
        ["CN"],
        ["svod"],
        "2027-01-01",
        "2030-01-01",
        True,
    )


def test_all_found_works_in_one_step_and_nothing_ticked_is_said(client_a, catalogue):
    client_a.post("/studio/exchange/offers/from-available/", {**FIND, "all": "yes"})
    assert sorted(Offer.objects.get().items.values_list("work__ref", flat=True)) == ["film-1", "film-2"]
    response = client_a.post("/studio/exchange/offers/from-available/", FIND)
    assert response.status_code == 422 and "Tick the works to offer." in response.content.decode() and Offer.objects.count() == 1


def test_another_organisations_works_cannot_be_slipped_in(client_b, catalogue):
    response = client_b.post("/studio/exchange/offers/from-available/", {**FIND, "works": [catalogue[0].pk]})
    assert response.status_code == 422 and not Offer.objects.exists()


def test_a_draft_offer_is_edited_and_a_sent_one_is_not(client_a, catalogue):
    client_a.post("/studio/exchange/offers/from-available/", {**FIND, "works": [catalogue[0].pk]})
    offer = Offer.objects.get()
    form = client_a.get(f"/studio/exchange/offers/{offer.pk}/edit/").content.decode()
    assert 'value="2027-01-01"' in form and "film-1" in form
    edited = {
        **FIND,
        "territories": "CN",
        "territories_excluded": "",
        "name": "Spring selection",
        "works": "film-1\nfilm-2",
        "currency": "USD",
        "fee_per_work": "1500",
        "flat_fee": "",
        "revenue_share": "",
        "minimum_guarantee": "",
        "message": "",
        "expires_on": "",
    }
    response = client_a.post(f"/studio/exchange/offers/{offer.pk}/edit/", edited)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.name, str(offer.fee_per_work), offer.items.count()) == ("Spring selection", "1500.00", 2)
    client_a.post(f"/studio/exchange/offers/{offer.pk}/send/", {"recipients": "shanghai-media"})
    assert client_a.get(f"/studio/exchange/offers/{offer.pk}/edit/")["Location"] == f"/studio/exchange/offers/{offer.pk}/"
