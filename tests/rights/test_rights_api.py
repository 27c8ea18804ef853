"""The rights API: contracts, recording and granting, termination, availability, find-available and
a work's matrix and timeline — always as the caller's organisation, never another's."""

import pytest

from kinomost.parties import services as parties
from kinomost.parties.models import Role
from kinomost.rights.models import Contract
from tests.factories import give, hold, make_work

API = "/api/v1/rights"


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token_b(org_b):
    return parties.create_api_key(organisation=org_b, name="ci-b", role=Role.LICENSING_MANAGER)[1]


@pytest.fixture
def granted(org_a, org_b, film):
    hold(org_a, [film], ref="ACQ-WORLD")
    give(org_a, org_b, [film], ref="LIC-CN")
    return film


def _post(client, url, body, token):
    return client.post(url, body, content_type="application/json", **_auth(token))


def test_record_a_holding_then_list_and_read_it(client, org_a, film, token_a):
    r = _post(
        client,
        f"{API}/holdings",
        {
            "works": ["brother"],
            "territories": ["WORLD"],
            "territories_excluded": ["CN"],
            "media": ["vod"],
            "start": "2026-01-01",
            "exclusive": True,
            "sublicensable": True,
            "reference": "ACQ-7",
            "licensor_name": "CTB Film",
        },
        token_a,
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["side"] == "holding" and body["counterparty"] == "CTB Film"
    assert body["terms"][0]["works"] == [{"id": film.pk, "ref": "brother"}]
    listed = client.get(f"{API}/contracts?kind=holding", **_auth(token_a)).json()
    assert [c["reference"] for c in listed["results"]] == ["ACQ-7"]
    detail = client.get(f"{API}/contracts/{body['id']}", **_auth(token_a)).json()
    assert detail["can_terminate"] is True
    assert detail["terms"][0]["countries"] == 249 and detail["terms"][0]["media_leaves"] == 7


def test_grant_by_slug_is_seen_by_both_parties_from_their_own_side(client, org_a, org_b, film, token_a, token_b):
    hold(org_a, [film])
    r = _post(
        client,
        f"{API}/grants",
        {
            "works": [film.pk],
            "territories": "CN",
            "media": "svod",
            "start": "2027-01-01",
            "end": "2030-01-01",
            "exclusive": True,
            "reference": "LIC-9",
            "licensee": "shanghai-media",
        },
        token_a,
    )
    assert r.status_code == 201, r.content
    assert r.json()["side"] == "grant" and r.json()["counterparty"] == "Shanghai Media Group"
    received = client.get(f"{API}/contracts?kind=received", **_auth(token_b)).json()["results"]
    assert [(c["reference"], c["side"], c["counterparty"]) for c in received] == [("LIC-9", "received", "Rus Media Group")]
    detail = client.get(f"{API}/contracts/{received[0]['id']}", **_auth(token_b)).json()
    assert detail["can_terminate"] is False


def test_a_refused_grant_answers_409_with_every_conflict(client, org_a, org_b, org_c, granted, token_a):
    r = _post(
        client,
        f"{API}/grants",
        {
            "works": ["brother"],
            "territories": ["CN", "KZ"],
            "media": "svod",
            "start": "2028-01-01",
            "end": "2029-01-01",
            "exclusive": True,
            "reference": "LIC-X",
            "licensee": "kazakh-film",
        },
        token_a,
    )
    assert r.status_code == 409
    details = r.json()["details"]
    assert [(d["territory"], d["reason"], d["contract"], d["licensee"]) for d in details] == [
        ("CN", "conflicting_grant", "LIC-CN", "Shanghai Media Group")
    ]
    assert not Contract.objects.filter(reference="LIC-X").exists()


def test_read_only_keys_may_read_but_not_record(client, org_a, film, token_a):
    token = parties.create_api_key(organisation=org_a, name="ro", role=Role.READ_ONLY)[1]
    r = _post(
        client,
        f"{API}/holdings",
        {"works": ["brother"], "territories": "RU", "media": "svod", "start": "2026-01-01", "reference": "ACQ-RO"},
        token,
    )
    assert r.status_code == 403
    assert client.get(f"{API}/contracts", **_auth(token)).status_code == 200


def test_holdback_then_terminate(client, org_a, film, token_a):
    hold(org_a, [film])
    r = _post(
        client,
        f"{API}/holdbacks",
        {"works": ["brother"], "territories": "RU", "media": "free_tv", "start": "2026-06-01", "end": "2027-06-01", "reference": "HB-1"},
        token_a,
    )
    assert r.status_code == 201 and r.json()["side"] == "holdback"
    cid = r.json()["id"]
    done = _post(client, f"{API}/contracts/{cid}/terminate", {"on": "2026-09-01"}, token_a)
    assert done.status_code == 200
    assert done.json()["atoms_shortened"] == 1
    assert done.json()["contract"]["terms"][0]["effective_end"] == "2026-09-01"


def test_licensee_may_not_terminate_a_grant_it_received(client, granted, token_b):
    cid = Contract.objects.get(reference="LIC-CN").pk
    assert _post(client, f"{API}/contracts/{cid}/terminate", {"on": "2028-01-01"}, token_b).status_code == 403


def test_availability_names_free_windows_and_gaps(client, granted, token_a):
    r = _post(
        client,
        f"{API}/availability",
        {
            "works": ["brother"],
            "territories": ["CN", "RU"],
            "media": ["svod"],
            "start": "2026-01-01",
            "end": "2031-01-01",
            "exclusive": True,
        },
        token_a,
    )
    assert r.status_code == 200, r.content
    work = r.json()["works"][0]
    assert work["available"] is False
    cells = {c["territory"]: c for c in work["cells"]}
    assert cells["RU"]["available"] is True
    assert cells["CN"]["free"] == [{"start": "2026-01-01", "end": "2027-01-01"}, {"start": "2030-01-01", "end": "2031-01-01"}]
    gap = cells["CN"]["gaps"][0]
    assert (gap["reason"], gap["start"], gap["end"], gap["contract"], gap["licensee"]) == (
        "conflicting_grant",
        "2027-01-01",
        "2030-01-01",
        "LIC-CN",
        "Shanghai Media Group",
    )
    problems = _post(
        client,
        f"{API}/availability",
        {"catalogue": True, "territories": ["CN", "RU"], "media": "svod", "start": "2026-01-01", "exclusive": True, "detail": "problems"},
        token_a,
    ).json()
    assert [c["territory"] for c in problems["works"][0]["cells"]] == ["CN"]


def test_availability_refuses_works_the_caller_may_not_see(client, org_b, token_a):
    hidden = make_work(org_b, "private-b")
    r = _post(client, f"{API}/availability", {"works": [hidden.pk], "territories": "CN", "media": "svod", "start": "2026-01-01"}, token_a)
    assert r.status_code == 404


def test_availability_refuses_an_answer_too_large(client, org_a, token_a):
    works = [make_work(org_a, f"w{i}").pk for i in range(2)]
    r = _post(client, f"{API}/availability", {"works": works, "territories": "WORLD", "media": "all", "start": "2026-01-01"}, token_a)
    assert r.status_code == 200
    many = [make_work(org_a, f"m{i}").pk for i in range(40)]
    assert (
        _post(
            client, f"{API}/availability", {"works": many, "territories": "WORLD", "media": "all", "start": "2026-01-01"}, token_a
        ).status_code
        == 422
    )


def test_find_available_pages_with_titles_and_the_free_stretch(client, org_a, org_b, token_a):
    works = [make_work(org_a, f"film-{i}") for i in range(3)]
    hold(org_a, works, end="2035-01-01")
    give(org_a, org_b, [works[1]], ref="LIC-1")
    url = f"{API}/find-available?territory=CN&media=svod&start=2027-01-01&end=2029-12-31&exclusive=true&kind=feature"
    first = client.get(url + "&limit=1", **_auth(token_a)).json()
    assert first["total"] == 2
    assert first["results"][0]["titles"] == {"en": "Film-0"}
    assert first["results"][0]["free"] == {"start": "2026-01-01", "end": "2035-01-01"}
    second = client.get(url + "&limit=1&offset=1", **_auth(token_a)).json()
    assert [w["ref"] for w in second["results"]] == ["film-2"]


def test_find_available_by_language_lists_only_works_held_in_it(client, org_a, token_a):
    dubbed, everything = make_work(org_a, "dubbed-only"), make_work(org_a, "all-languages")
    hold(org_a, [dubbed], ref="ACQ-DUB", languages=[{"language": "zh-Hans", "use": "dubbed"}])
    hold(org_a, [everything], ref="ACQ-ALL")
    url = f"{API}/find-available?territory=CN&media=svod&start=2027-01-01&end=2029-12-31&kind=feature"
    refs = lambda query: sorted(w["ref"] for w in client.get(url + query, **_auth(token_a)).json()["results"])  # noqa: E731
    assert refs("") == ["all-languages", "dubbed-only"]  # languages not considered
    assert refs("&language=zh-Hans:dubbed") == ["all-languages", "dubbed-only"]
    assert refs("&language=zh-Hans:dubbed&language=ru:subtitled") == ["all-languages"]
    assert refs("&language=zh-hans") == ["all-languages"]  # original, which the dub does not cover
    assert refs("&language=all") == ["all-languages"]  # holdings naming no language
    bad = client.get(url + "&language=ru:whispered", **_auth(token_a))
    assert bad.status_code == 422 and "whispered" in bad.json()["message"]
    assert client.get(url + "&language=xx-99", **_auth(token_a)).status_code == 422


def test_work_rights_matrix_and_timeline(client, org_a, org_b, granted, token_a, token_b):
    body = client.get(f"{API}/works/{granted.pk}?on=2028-01-01", **_auth(token_a)).json()
    rows = {r["label"]: r for r in body["matrix"]["rows"]}
    assert set(rows) == {"WORLD excluding CN", "CN"}
    columns = [c["code"] for c in body["matrix"]["columns"]]
    cn = dict(zip(columns, rows["CN"]["cells"]))
    assert cn["svod"]["status"] == "granted"
    assert {m["party"] for m in cn["svod"]["marks"] if m["state"] == "grant"} == {"Shanghai Media Group"}
    assert [b["contract"] for b in body["timeline"]] == ["ACQ-WORLD", "LIC-CN"]
    theirs = client.get(f"{API}/works/{granted.pk}?on=2028-01-01", **_auth(token_b)).json()
    assert [b["side"] for b in theirs["timeline"]] == ["received"]
    assert [r["label"] for r in theirs["matrix"]["rows"]] == ["CN"]


def test_another_organisation_sees_nothing_of_ours(client, org_a, org_b, org_c, film, token_a):
    hold(org_a, [film], ref="ACQ-SECRET")
    give(org_a, org_c, [film], ref="LIC-KZ", territories="KZ")
    token_b = parties.create_api_key(organisation=org_b, name="b", role=Role.LICENSING_MANAGER)[1]
    assert client.get(f"{API}/contracts", **_auth(token_b)).json() == {"total": 0, "results": []}
    for contract in Contract.objects.all():
        assert client.get(f"{API}/contracts/{contract.pk}", **_auth(token_b)).status_code == 404
        assert _post(client, f"{API}/contracts/{contract.pk}/terminate", {"on": "2027-01-01"}, token_b).status_code == 404
    assert client.get(f"{API}/works/{film.pk}", **_auth(token_b)).status_code == 404


def test_an_episode_of_a_series_licensed_to_us_is_readable_through_the_series(client, org_a, org_b, token_a, token_b):
    series = make_work(org_a, "the-series", kind="series")
    season = make_work(org_a, "the-series-s1", kind="season", parent_ref="the-series")
    episode = make_work(org_a, "the-series-s1e1", kind="episode", parent_ref="the-series-s1")
    other = make_work(org_a, "not-ours")
    hold(org_a, [series])
    give(org_a, org_b, [series], ref="LIC-SERIES")
    body = client.get(f"{API}/works/{episode.pk}?on=2028-01-01", **_auth(token_b)).json()
    assert [b["contract"] for b in body["timeline"]] == ["LIC-SERIES"] and body["timeline"][0]["inherited"] is True
    assert body["matrix"]["rows"][0]["cells"][0]["marks"][0]["inherited"] is True
    r = _post(
        client,
        f"{API}/availability",
        {"works": ["the-series-s1e1", season.pk], "territories": "CN", "media": "svod", "start": "2027-01-01", "end": "2030-01-01"},
        token_b,
    )
    assert r.status_code == 200 and [w["id"] for w in r.json()["works"]] == [episode.pk, season.pk]
    assert client.get(f"{API}/works/{other.pk}", **_auth(token_b)).status_code == 404
