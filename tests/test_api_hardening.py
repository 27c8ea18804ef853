"""No input gets a 500: numbers the database cannot hold, digits that are not ASCII, amounts beyond
the columns, offsets beyond any list and control characters are each refused with the one error
shape, `{"error", "message", "details": [...]}`, and nothing is written."""

import json

import pytest

from kinomost.catalog.models import Work
from kinomost.exchange.models import Deal, Offer
from kinomost.rights.models import Contract
from tests.factories import hold, make_work

API = "/api/v1"
HUGE = 10**20  # 20 digits: beyond a 64-bit primary key
TERM = {"territories": ["CN"], "media": ["svod"], "start": "2027-01-01", "end": "2030-01-01"}


@pytest.fixture
def film(org_a):
    work = make_work(org_a, "brother")
    hold(org_a, [work], ref="ACQ-WORLD")
    return work


def _post(client, url, body, token):
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def _get(client, url, token):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def _refusal(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "message", "details"} and isinstance(body["details"], list), body
    assert all(isinstance(d, dict) for d in body["details"])
    return body


def _fields(body) -> set:
    """The last element of each validation error's location: the field it names."""
    return {str(d["loc"][-1]) for d in body["details"]}


def _rights_bodies(works):
    term = {**TERM, "works": works, "reference": "LIC-X"}
    return {
        "holdings": {**term, "territories": ["WORLD"]},
        "grants": {**term, "licensee": "shanghai-media"},
        "holdbacks": {**term},
        "availability": {**TERM, "works": works},
    }


@pytest.mark.parametrize("endpoint", ["holdings", "grants", "holdbacks", "availability"])
def test_a_twenty_digit_work_id_is_refused_not_a_crash(client, org_b, film, token_a, endpoint):
    contracts = Contract.objects.count()
    body = _rights_bodies([HUGE])[endpoint]
    refused = _refusal(_post(client, f"{API}/rights/{endpoint}", body, token_a), 422)
    assert refused["error"] == "invalid_input"
    # the same number written as text is a reference no work has
    as_text = _refusal(_post(client, f"{API}/rights/{endpoint}", _rights_bodies([str(HUGE)])[endpoint], token_a), 404)
    assert as_text["details"] == [{"field": "works", "missing": [str(HUGE)]}]
    assert Contract.objects.count() == contracts


@pytest.mark.parametrize("endpoint", ["holdings", "grants", "holdbacks", "availability"])
def test_a_superscript_digit_is_a_reference_not_an_id(client, org_b, film, token_a, endpoint):
    """`"²".isdigit()` is true and `int("²")` raises: the reference is looked up, and not found."""
    contracts = Contract.objects.count()
    refused = _refusal(_post(client, f"{API}/rights/{endpoint}", _rights_bodies(["²"])[endpoint], token_a), 404)
    assert refused["details"] == [{"field": "works", "missing": ["²"]}]
    assert Contract.objects.count() == contracts


def test_a_work_named_by_its_id_as_text_still_resolves(client, org_b, film, token_a):
    ok = _post(client, f"{API}/rights/availability", _rights_bodies([str(film.pk)])["availability"], token_a)
    assert ok.status_code == 200 and [w["id"] for w in ok.json()["works"]] == [film.pk]


def _offer(works, **money):
    return {"name": "Package", "proposal": {"works": works, "terms": [TERM], "currency": "USD", **money}}


def test_an_offer_with_a_twenty_digit_work_id_is_refused(client, film, token_a):
    refused = _refusal(_post(client, f"{API}/exchange/offers", _offer([HUGE], fee_per_work="100"), token_a), 422)
    assert [d["loc"][-2:] for d in refused["details"]] == [["works", 0]]
    assert not Offer.objects.exists()


@pytest.mark.parametrize("field", ["fee_per_work", "flat_fee", "minimum_guarantee", "revenue_share"])
def test_an_amount_beyond_the_columns_is_refused_in_offers_and_deals(client, org_b, film, token_a, field):
    offer = _refusal(_post(client, f"{API}/exchange/offers", _offer([film.pk], **{field: "1e30"}), token_a), 422)
    assert _fields(offer) == {field}
    deal = _post(
        client,
        f"{API}/exchange/deals",
        {"counterparty": "shanghai-media", "proposal": _offer([film.pk], **{field: "1e30"})["proposal"]},
        token_a,
    )
    assert _fields(_refusal(deal, 422)) == {field}
    assert not Offer.objects.exists() and not Deal.objects.exists()


def test_the_largest_amount_money_allows_is_accepted_and_a_cent_more_refused(client, film, token_a):
    """core.money's bound (below 10^13, within every money column) is the one rule, in the schema too."""
    created = _post(client, f"{API}/exchange/offers", _offer([film.pk], flat_fee="9999999999999.99", revenue_share="100"), token_a)
    assert created.status_code == 201, created.content
    assert (created.json()["flat_fee"], created.json()["revenue_share"]) == ("9999999999999.99", "100.00")
    refused = _refusal(_post(client, f"{API}/exchange/offers", _offer([film.pk], flat_fee="10000000000000.00"), token_a), 422)
    assert _fields(refused) == {"flat_fee"}


def test_the_proposal_rule_refuses_a_huge_amount_for_every_caller():
    """Pages reach the same rule without the API's schema: a refusal, not decimal.InvalidOperation."""
    from kinomost.core.errors import InvalidInput
    from kinomost.exchange.proposals import clean_amount

    with pytest.raises(InvalidInput):
        clean_amount("1e30", "flat_fee")


@pytest.mark.parametrize("url", ["/works", "/rights/contracts", "/rights/find-available?territory=CN&media=svod&start=2027-01-01"])
def test_an_offset_beyond_any_list_is_refused(client, film, token_a, url):
    sep = "&" if "?" in url else "?"
    refused = _refusal(_get(client, f"{API}{url}{sep}offset=9223372036854775808", token_a), 422)
    assert _fields(refused) == {"offset"}
    assert _get(client, f"{API}{url}{sep}offset=2147483647", token_a).status_code == 200


@pytest.mark.parametrize("url", ["/works/{}", "/rights/works/{}", "/rights/contracts/{}", "/exchange/deals/{}", "/exchange/offers/{}"])
def test_a_twenty_digit_id_in_the_path_is_refused(client, film, token_a, url):
    _refusal(_get(client, API + url.format(HUGE), token_a), 422)
    _refusal(_get(client, API + url.format(2**63 - 1), token_a), 404)  # the largest id is an id: just not found


def test_nul_in_a_json_body_is_refused_naming_the_field_and_writes_nothing(client, org_a, token_a):
    body = {"ref": "stalingrad", "kind": "feature", "titles": {"ru": "Сталин\x00град"}}
    refused = _refusal(_post(client, f"{API}/works", body, token_a), 422)
    assert refused["details"] == [{"field": "titles.ru", "problem": "control_character", "character": "U+0000"}]
    assert not Work.objects.filter(ref="stalingrad").exists()
    nested = _refusal(_post(client, f"{API}/exchange/offers", {**_offer([]), "name": "ok", "message": "a\x1bb"}, token_a), 422)
    assert nested["details"][0]["field"] == "message"


def test_nul_in_a_query_string_is_refused(client, film, token_a):
    refused = _refusal(_get(client, f"{API}/search?q=brot%00her", token_a), 422)
    assert refused["details"] == [{"field": "q", "problem": "control_character", "character": "U+0000"}]
    _refusal(_get(client, f"{API}/exchange/deals?state=%01", token_a), 422)
    assert _get(client, f"{API}/search?q=brother%0A", token_a).status_code == 200  # a line break is text


def test_every_refusal_has_the_one_shape(client, org_b, film, token_a):
    assert _refusal(client.get(f"{API}/me"), 401)["details"] == []
    assert _refusal(_get(client, f"{API}/works/{film.pk + 1000}", token_a), 404)["error"] == "not_found"
    assert (
        _refusal(client.post(f"{API}/works", b"{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_a}"), 400)[
            "details"
        ]
        == []
    )
    refused = _refusal(
        _post(
            client, f"{API}/exchange/deals", {"counterparty": "shanghai-media", "proposal": {"terms": [TERM], "currency": "XYZ"}}, token_a
        ),
        422,
    )
    assert {d["field"] for d in refused["details"]} >= {"currency"}


def test_the_openapi_document_is_valid_for_a_validator_nobody_here_wrote(client):
    from openapi_spec_validator import validate

    schema = client.get(f"{API}/openapi.json").json()
    validate(schema)  # raises, naming the place, on any error against the OpenAPI 3.1 specification
    assert len([op for ops in schema["paths"].values() for op in ops]) >= 44


def test_every_operation_documents_its_refusals_in_the_one_error_schema(client):
    schema = client.get(f"{API}/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "422"} <= set(responses), (method, path)
            for status, answer in responses.items():
                if status.startswith("2"):
                    assert answer.get("content") or status == "204", (method, path, status)
                else:
                    assert answer["content"]["application/json"]["schema"] == error, (method, path, status)
    export = schema["paths"][f"{API}/works/export"]["get"]["responses"]["200"]["content"]
    assert set(export) == {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["error", "message", "details"]


def test_the_api_docs_load_swagger_from_this_server_not_a_cdn(client):
    page = client.get(f"{API}/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page and "/static/ninja/swagger-ui-bundle.js" in page
    for asset in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui.css"):
        served = client.get(asset)
        assert served.status_code == 200 and b"".join(served.streaming_content if served.streaming else [served.content])


def test_deleting_a_work_the_ledger_names_is_a_conflict_and_changes_nothing(client, film, token_a):
    """Found by the fuzzer (tests/test_api_fuzz.py): the holding protects the work, and the
    ProtectedError was a 500 after the audit event had been written."""
    from kinomost.core.models import AuditEvent

    refused = _refusal(client.delete(f"{API}/works/{film.pk}", HTTP_AUTHORIZATION=f"Bearer {token_a}"), 409)
    assert refused["error"] == "conflict" and "brother" in refused["message"]
    assert Work.objects.filter(pk=film.pk).exists() and not AuditEvent.objects.filter(action="work.deleted").exists()
    free = make_work(film.owner, "unheld")
    assert client.delete(f"{API}/works/{free.pk}", HTTP_AUTHORIZATION=f"Bearer {token_a}").status_code == 204


def test_a_refusal_speaks_the_callers_language(client, film, token_a):
    assert _refusal(client.get(f"{API}/me", HTTP_ACCEPT_LANGUAGE="ru"), 401)["message"] == "Войдите или передайте API-ключ."
    huge = _post(client, f"{API}/rights/availability", _rights_bodies([HUGE])["availability"], token_a)
    assert _refusal(huge, 422)["message"] == "The request is not valid."
    zh = client.post(
        f"{API}/rights/availability",
        json.dumps(_rights_bodies([HUGE])["availability"]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_a}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert _refusal(zh, 422)["message"] == "请求无效。"


def test_a_quota_year_beyond_the_calendar_is_refused(client, film, token_a):
    """Found by a deeper fuzz run: `?year=256963` reached date() and raised ValueError, a 500."""
    assert _fields(_refusal(_get(client, f"{API}/exchange/quotas?year=256963", token_a), 422)) == {"year"}
    assert _fields(_refusal(_get(client, f"{API}/exchange/quotas?year=9999", token_a), 422)) == {"year"}  # its window ends in 10000
    assert _get(client, f"{API}/exchange/quotas?year=9998", token_a).status_code == 200
