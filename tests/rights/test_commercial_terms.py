"""Commercial terms live on the ledger's contracts: the API takes and shows them, bad figures are
refused with every field named (never a 500, nothing written), the contract page shows them, and
a signed deal copies its agreed money in."""

from decimal import Decimal

import pytest

from kinomost.exchange import deals
from kinomost.rights import commercial
from kinomost.rights.models import Contract
from tests.factories import proposal
from tests.factories import hold

API = "/api/v1/rights"
MONEY = {
    "currency": "usd",
    "minimum_guarantee": "6000",
    "revenue_share": "40",
    "per_hour": "0.5",
    "withholding_tax": "6",
    "cross_collateralised": False,
    "period": "half",
}


def _grant(client, token, film, money, ref="LIC-M"):
    body = {
        "works": [film.pk],
        "territories": "CN",
        "media": "svod",
        "start": "2027-01-01",
        "end": "2030-01-01",
        "reference": ref,
        "licensee": "shanghai-media",
        "money": money,
    }
    return client.post(f"{API}/grants", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_grant_keeps_its_commercial_terms_and_the_api_shows_them(client, org_a, org_b, film, token_a):
    hold(org_a, [film])
    r = _grant(client, token_a, film, MONEY)
    assert r.status_code == 201, r.content
    assert r.json()["money"] == {
        "currency": "USD",
        "flat_fee": "0",
        "minimum_guarantee": "6000",
        "revenue_share": "40",
        "per_hour": "0.5",
        "cross_collateralised": False,
        "withholding_tax": "6",
        "period": "half",
    }
    terms = commercial.terms_of(Contract.objects.get(reference="LIC-M"))
    assert terms.minimum_guarantee == Decimal("6000") and terms.revenue_share == Decimal("40") and not terms.cross_collateralised
    listed = client.get(f"{API}/contracts?kind=grant", HTTP_AUTHORIZATION=f"Bearer {token_a}").json()["results"]
    assert listed[0]["money"]["per_hour"] == "0.5"


@pytest.mark.parametrize(
    "money, field",
    [
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "USD", "revenue_share": "140"}, "revenue_share"),
        ({"currency": "USD", "minimum_guarantee": "-5"}, "minimum_guarantee"),
        ({"currency": "USD", "minimum_guarantee": "1" + "0" * 30}, "minimum_guarantee"),
        ({"currency": "USD", "flat_fee": "1.000001"}, "flat_fee"),
        ({"currency": "USD", "period": "week"}, "period"),
    ],
)
def test_bad_money_is_refused_naming_the_field_and_writes_nothing(client, org_a, org_b, film, token_a, money, field):
    hold(org_a, [film])
    r = _grant(client, token_a, film, money)
    assert r.status_code in (400, 422), r.content
    body = r.json()
    assert body["error"] == "invalid_input" and field in str(body["details"])
    assert not Contract.objects.filter(reference="LIC-M").exists()


def test_the_ledger_refuses_bad_terms_from_any_caller():
    with pytest.raises(Exception) as err:
        commercial.clean({"currency": "RUB", "withholding_tax": "101", "surprise": 1})
    assert {d["field"] for d in err.value.details} == {"money.withholding_tax", "money.surprise"}


def test_the_contract_page_shows_the_commercial_terms(client, org_a, org_b, film, token_a, user_a):
    hold(org_a, [film])
    contract_id = _grant(client, token_a, film, MONEY).json()["id"]
    client.force_login(user_a)
    page = client.get(f"/studio/rights/contracts/{contract_id}/").content.decode()
    assert "Commercial terms" in page and "US$6,000.00" in page and "40 %" in page and "recouped work by work" in page


def test_a_signed_deal_copies_its_agreed_money_into_the_ledger(actor_a, actor_b, org_a, org_b):
    from tests.factories import make_work

    works = [make_work(org_a, f"pkg-{i}") for i in range(3)]
    hold(org_a, works, territories="CN", media="svod")
    deal = deals.create_deal(
        actor_a,
        org_b,
        proposal(
            works, fee_per_work=Decimal("1000"), flat_fee=Decimal("500"), revenue_share=Decimal("40"), minimum_guarantee=Decimal("6000")
        ),
    )
    deals.propose(actor_a, deal.pk)
    deals.accept(actor_b, deal.pk)
    deals.countersign(actor_b, deal.pk)
    deals.sign(actor_a, deal.pk, on_date="2026-12-01")
    terms = commercial.terms_of(Contract.objects.get(external_ref=f"exchange.deal:{deal.pk}"))
    assert (terms.currency, terms.flat_fee, terms.minimum_guarantee, terms.revenue_share) == (
        "USD",
        Decimal("3500.00"),
        Decimal("6000.00"),
        Decimal("40.00"),
    )
