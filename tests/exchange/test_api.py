"""The exchange over HTTP: a whole negotiation by API key and session, and tenancy on every
endpoint — a third organisation gets 404 for the parties' deal, offer and approval."""

import json

import pytest
from django.test import Client

from kinomost.exchange.models import Deal, DealState as S
from kinomost.parties import services as parties
from kinomost.parties.models import Role

from tests.factories import CN_SVOD

pytestmark = pytest.mark.django_db


def _post(client, url, body=None, **headers):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


@pytest.fixture
def key_a(org_a):
    return {"HTTP_AUTHORIZATION": "Bearer " + parties.create_api_key(organisation=org_a, name="a", role=Role.LICENSING_MANAGER)[1]}


@pytest.fixture
def key_b(org_b):
    return {"HTTP_AUTHORIZATION": "Bearer " + parties.create_api_key(organisation=org_b, name="b", role=Role.LICENSING_MANAGER)[1]}


@pytest.fixture
def key_c(org_c):
    return {"HTTP_AUTHORIZATION": "Bearer " + parties.create_api_key(organisation=org_c, name="c", role=Role.OWNER)[1]}


def _terms():
    return [{**CN_SVOD}]


@pytest.fixture
def sent(key_a, catalogue, org_b):
    c = Client()
    offer = _post(
        c,
        "/api/v1/exchange/offers",
        {
            "name": "Winter package",
            "message": "Three films for SVOD",
            "expires_on": "2030-01-01",
            "proposal": {"works": [w.pk for w in catalogue], "terms": _terms(), "currency": "cny", "fee_per_work": "12000.50"},
        },
        **key_a,
    )
    assert offer.status_code == 201, offer.content
    deals = _post(c, f"/api/v1/exchange/offers/{offer.json()['id']}/send", {"recipients": ["shanghai-media"]}, **key_a)
    assert deals.status_code == 200, deals.content
    return offer.json()["id"], deals.json()[0]["id"]


def test_a_negotiation_through_the_api(sent, key_a, key_b, catalogue):
    offer_id, deal_id = sent
    c = Client()
    seen = c.get(f"/api/v1/exchange/deals/{deal_id}", **key_b).json()
    assert (seen["state"], seen["steps"]) == ("proposed", ["counter", "accept", "reject"])
    assert seen["versions"][0]["currency"] == "CNY" and seen["versions"][0]["fee_per_work"] == "12000.50"
    assert [w["ref"] for w in seen["versions"][0]["works"]] == ["film-1", "film-2", "film-3"]
    assert seen["messages"][0]["body"] == "Three films for SVOD"

    countered = _post(
        c,
        f"/api/v1/exchange/deals/{deal_id}/steps/counter",
        {"proposal": {"works": [catalogue[0].pk], "terms": _terms(), "currency": "CNY", "fee_per_work": "9000"}, "note": "one film"},
        **key_b,
    )
    assert countered.json()["state"] == "countered"
    assert _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/accept", {}, **key_b).status_code == 403
    assert _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/accept", {}, **key_a).json()["state"] == "agreed"
    not_yet = _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/sign", {"on_date": "2026-12-01", "confirm": True}, **key_a)
    assert (not_yet.status_code, not_yet.json()["error"]) == (409, "step_refused")  # the licensee has not countersigned
    ask = _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/countersign", {}, **key_b)
    assert (ask.status_code, ask.json()["error"]) == (409, "confirmation_needed")
    countersigned = _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/countersign", {"confirm": True, "on_date": "2026-11-30"}, **key_b)
    assert (countersigned.json()["state"], countersigned.json()["countersigned_on"]) == ("countersigned", "2026-11-30")
    ask = _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/sign", {"on_date": "2026-12-01"}, **key_a)
    assert (ask.status_code, ask.json()["error"]) == (409, "confirmation_needed")  # unconfirmed: says what it would write
    assert "1 exclusive grant: China × SVOD (subscription) × 2027-01-01 → 2030-01-01" in ask.json()["message"]
    assert ask.json()["details"][0] | {"grants": 1, "exclusive": True, "territories": ["CN"], "media": ["svod"]} == ask.json()["details"][0]
    assert c.get(f"/api/v1/exchange/deals/{deal_id}", **key_a).json()["state"] == "countersigned"  # nothing signed
    signed = _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/sign", {"on_date": "2026-12-01", "confirm": True}, **key_a)
    assert signed.status_code == 200, signed.content
    assert signed.json()["state"] == "signed" and signed.json()["warnings"][0]["territory"] == "CN"
    inbox = c.get("/api/v1/exchange/inbox", **key_b).json()
    assert {"offer_received", "accepted", "signed"} <= {n["kind"] for n in inbox}


def test_refusals_are_json_with_a_code(sent, key_a, key_b):
    _, deal_id = sent
    c = Client()
    wrong_state = _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/sign", {}, **key_a)
    assert (wrong_state.status_code, wrong_state.json()["error"]) == (409, "step_refused")
    unknown = _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/dance", {}, **key_a)
    assert unknown.status_code == 422
    bad_proposal = _post(
        c,
        "/api/v1/exchange/deals",
        {"counterparty": "shanghai-media", "proposal": {"works": [], "terms": _terms(), "currency": "XYZ"}},
        **key_a,
    )
    assert bad_proposal.status_code == 422
    assert {d["field"] for d in bad_proposal.json()["details"]} == {"works", "currency"}
    negative = _post(
        c,
        "/api/v1/exchange/deals",
        {"counterparty": "shanghai-media", "proposal": {"works": [1], "terms": _terms(), "fee_per_work": "-1"}},
        **key_a,
    )
    assert negative.status_code == 422
    assert [d["loc"][-1] for d in negative.json()["details"]] == ["fee_per_work"]


def test_a_term_language_that_is_no_pair_is_refused_by_field_not_a_500(key_a, actor_a, org_b, catalogue):
    """Every language shape the exchange takes is the ledger's (rights.language_pairs): a number
    for a tag used to crash on `.strip()`, and a bare "rus" was unpacked as (tag, use)."""
    from kinomost.core.errors import InvalidInput
    from kinomost.exchange import deals

    from tests.factories import proposal

    c = Client()
    for languages, named in (
        ([{"language": 5, "use": "dubbed"}], "'5' is not a language tag"),
        ([{"language": "ru", "use": "shouted"}], "language use 'shouted'"),
    ):
        refused = _post(
            c,
            "/api/v1/exchange/deals",
            {"counterparty": "shanghai-media", "proposal": {"works": [catalogue[0].pk], "terms": [{**CN_SVOD, "languages": languages}]}},
            **key_a,
        )
        assert refused.status_code == 422, refused.content
        (problem,) = [d for d in refused.json()["details"] if d["field"] == "terms"]
        assert named in problem["message"]
    with pytest.raises(InvalidInput, match="'rus' is not a language with its use"):
        deals.create_deal(actor_a, org_b, proposal(catalogue[:1], [{**CN_SVOD, "languages": ["rus"]}]))
    accepted = _post(
        c,
        "/api/v1/exchange/deals",
        {
            "counterparty": "shanghai-media",
            "proposal": {
                "works": [catalogue[0].pk],
                "terms": [{**CN_SVOD, "languages": [{"language": "zh-hans", "use": "subtitled"}, {"language": "ru"}]}],
            },
        },
        **key_a,
    )
    assert accepted.status_code == 201, accepted.content
    (term,) = Deal.objects.get(pk=accepted.json()["id"]).versions.get().terms
    assert term["languages"] == [{"language": "zh-Hans", "use": "subtitled"}, {"language": "ru", "use": "original"}]


def test_a_read_only_key_reads_the_thread_but_cannot_post(sent, org_b):
    _, deal_id = sent
    reader = {"HTTP_AUTHORIZATION": "Bearer " + parties.create_api_key(organisation=org_b, name="r", role=Role.READ_ONLY)[1]}
    c = Client()
    refused = _post(c, f"/api/v1/exchange/deals/{deal_id}/messages", {"body": "We accept everything"}, **reader)
    assert refused.status_code == 403, refused.content
    assert refused.json()["error"] == "forbidden" and "post in deal threads" in refused.json()["message"]
    thread = c.get(f"/api/v1/exchange/deals/{deal_id}", **reader)
    assert thread.status_code == 200
    assert [m["body"] for m in thread.json()["messages"]] == ["Three films for SVOD"]  # the offer's; nothing was posted


def test_a_third_organisation_sees_nothing_of_the_deal(sent, key_c, key_a, catalogue):
    offer_id, deal_id = sent
    c = Client()
    from kinomost.exchange import approvals
    from kinomost.parties.context import Actor
    from kinomost.parties.models import Organisation

    seller = Actor(organisation=Organisation.objects.get(slug="rus-media"), role=Role.OWNER)
    approval = approvals.record_approval(seller, work_id=catalogue[0].pk, territory="CN", kind="cn_screening_permit", number="SP-7")
    refused = [
        c.get(f"/api/v1/exchange/offers/{offer_id}", **key_c),
        _post(c, f"/api/v1/exchange/offers/{offer_id}/send", {"recipients": ["kazakh-film"]}, **key_c),
        c.get(f"/api/v1/exchange/deals/{deal_id}", **key_c),
        _post(c, f"/api/v1/exchange/deals/{deal_id}/messages", {"body": "hi"}, **key_c),
        *[
            _post(c, f"/api/v1/exchange/deals/{deal_id}/steps/{s}", {"on_date": "2027-01-01"}, **key_c)
            for s in ("propose", "accept", "reject", "withdraw", "call_off", "countersign", "sign", "activate", "terminate", "dance")
        ],
        _post(c, f"/api/v1/exchange/approvals/{approval.pk}/status", {"status": "revoked"}, **key_c),
        c.get("/api/v1/exchange/balance?a=rus-media&b=shanghai-media", **key_c),
        c.get(f"/api/v1/exchange/clearance?work={catalogue[0].pk}&territory=CN&media=svod", **key_c),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    lists = [
        c.get(u, **key_c).json()
        for u in ("/api/v1/exchange/offers", "/api/v1/exchange/deals", "/api/v1/exchange/approvals", "/api/v1/exchange/inbox")
    ]
    assert lists == [[], [], [], []]
    assert Deal.objects.get(pk=deal_id).state == S.PROPOSED
    assert _post(c, "/api/v1/exchange/inbox/read", {"ids": [1]}, **key_c).status_code in (200, 404)


def test_balance_exports(sent, key_a):
    c = Client()
    csv = c.get("/api/v1/exchange/balance?a=rus-media&b=shanghai-media&format=csv", **key_a)
    assert csv.status_code == 200 and csv.content.startswith("\ufeffperiod,".encode())
    xlsx = c.get("/api/v1/exchange/balance?a=rus-media&b=shanghai-media&format=xlsx", **key_a)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_member_reads_the_inbox_by_session(sent, client_b):
    notices = client_b.get("/api/v1/exchange/inbox?unread=true").json()
    assert [(n["kind"], n["read"]) for n in notices] == [("offer_received", False)]
    assert notices[0]["text"] == "Offer received: Winter package"
    assert _post(client_b, "/api/v1/exchange/inbox/read", {"ids": [notices[0]["id"]]}).json() == {"marked": 1}
    assert client_b.get("/api/v1/exchange/inbox?unread=true").json() == []
    assert client_b.get("/api/v1/exchange/inbox").json()[0]["read"] is True


@pytest.mark.django_db
def test_a_draft_is_private_to_its_initiator_in_the_api(client, org_a, org_b):
    """The other party meets a deal when it is proposed: before, its draft is not theirs to read."""
    from kinomost.exchange import deals
    from kinomost.parties import services as parties
    from kinomost.parties.context import Actor
    from kinomost.parties.models import Role
    from tests.factories import make_work

    from tests.factories import proposal

    draft = deals.create_deal(Actor(organisation=org_a, role=Role.OWNER), org_b, proposal([make_work(org_a, "draft-film")]))
    key_b = {"HTTP_AUTHORIZATION": f"Bearer {parties.create_api_key(organisation=org_b, name='b', role=Role.OWNER)[1]}"}
    key_a = {"HTTP_AUTHORIZATION": f"Bearer {parties.create_api_key(organisation=org_a, name='a', role=Role.OWNER)[1]}"}
    assert client.get(f"/api/v1/exchange/deals/{draft.pk}", **key_b).status_code == 404
    assert draft.pk not in [d["id"] for d in client.get("/api/v1/exchange/deals", **key_b).json()]
    assert client.get(f"/api/v1/exchange/deals/{draft.pk}", **key_a).status_code == 200
    deals.propose(Actor(organisation=org_a, role=Role.OWNER), draft.pk)
    assert client.get(f"/api/v1/exchange/deals/{draft.pk}", **key_b).status_code == 200
