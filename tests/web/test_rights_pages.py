"""Rights pages: the organisation's contracts, a contract, a work's matrix and timeline, "find
available", and the forms — a refused grant lists its conflicts; others see nothing of ours."""

import pytest

from kinomost.parties import services as parties
from kinomost.parties.models import Role
from kinomost.rights.models import Contract
from tests.factories import PASSWORD
from tests.factories import give, hold, make_work


@pytest.fixture
def org_c(db):
    return parties.create_organisation(slug="kazakh-film", name="Kazakhfilm", kind="distributor", country="KZ")


@pytest.fixture
def film(org_a):
    return make_work(org_a, "brother")


@pytest.fixture
def granted(org_a, org_b, film):
    hold(org_a, [film], ref="ACQ-WORLD")
    give(org_a, org_b, [film], ref="LIC-CN")
    return film


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_contract_list_shows_our_contracts_by_kind(client_a, granted):
    page = _page(client_a.get("/studio/rights/"))
    assert "ACQ-WORLD" in page and "LIC-CN" in page and "Shanghai Media Group" in page
    grants = _page(client_a.get("/studio/rights/?kind=grant"))
    assert "LIC-CN" in grants and "ACQ-WORLD" not in grants


def test_the_licensee_sees_the_grant_as_received_and_cannot_terminate(client_b, granted):
    page = _page(client_b.get("/studio/rights/?kind=received"))
    assert "LIC-CN" in page and "Rus Media Group" in page and "ACQ-WORLD" not in page
    contract = Contract.objects.get(reference="LIC-CN")
    detail = _page(client_b.get(f"/studio/rights/contracts/{contract.pk}/"))
    assert "Grant received" in detail and "/terminate/" not in detail
    assert client_b.post(f"/studio/rights/contracts/{contract.pk}/terminate/", {"on": "2028-01-01"}).status_code == 403


def test_contract_page_terminates_for_the_licensor(client_a, granted):
    contract = Contract.objects.get(reference="LIC-CN")
    page = _page(client_a.get(f"/studio/rights/contracts/{contract.pk}/"))
    assert "Brother" in page and "1 · countries: 1 · media: 1" in page
    r = client_a.post(f"/studio/rights/contracts/{contract.pk}/terminate/", {"on": "2028-06-01"})
    assert r.status_code == 302
    assert "terminated, ends 2028-06-01" in _page(client_a.get(r.url))


def test_work_rights_page_draws_the_matrix_and_timeline(client_a, granted):
    page = _page(client_a.get(f"/studio/works/{granted.pk}/rights/?on=2028-01-01"))
    assert "World excluding China" in page
    assert 'class="granted"' in page and "to Shanghai Media Group" in page
    assert 'class="bar grant"' in page and 'class="bar holding nonexclusive' not in page
    before = _page(client_a.get(f"/studio/works/{granted.pk}/rights/?on=2026-06-01"))
    assert "World excluding China" not in before and "World" in before


def test_the_matrix_alone_answers_htmx(client_a, granted):
    page = _page(client_a.get(f"/studio/works/{granted.pk}/rights/?on=2028-01-01", HTTP_HX_REQUEST="true"))
    assert page.startswith('<section id="matrix">') and "<html" not in page


def test_work_detail_links_to_its_rights(client_a, film):
    assert f"/studio/works/{film.pk}/rights/" in _page(client_a.get(f"/studio/works/{film.pk}/"))
    assert "/studio/rights/" in _page(client_a.get("/studio/works/"))


def test_record_a_holding_from_the_form(client_a, film):
    r = client_a.post(
        "/studio/rights/holdings/new/",
        {
            "works": "brother",
            "territories": "WORLD",
            "territories_excluded": "CN",
            "media": ["vod"],
            "start": "2026-01-01",
            "exclusive": "on",
            "sublicensable": "on",
            "reference": "ACQ-FORM",
            "licensor_name": "CTB",
        },
    )
    assert r.status_code == 302
    page = _page(client_a.get(r.url))
    assert "ACQ-FORM" in page and "CTB" in page and "World excluding China" in page


def test_form_problems_are_shown_beside_the_fields(client_a, film):
    page = _page(
        client_a.post(
            "/studio/rights/holdings/new/",
            {"works": "nope", "territories": "ATLANTIS", "media": ["vod"], "start": "2026-01-01", "reference": "X"},
        )
    )
    assert "No such work: nope." in page
    page = _page(
        client_a.post(
            "/studio/rights/holdings/new/",
            {"works": "brother", "territories": "ATLANTIS", "media": ["vod"], "start": "2026-01-01", "reference": "X"},
        )
    )
    assert "ATLANTIS" in page and not Contract.objects.filter(reference="X").exists()


def test_a_refused_grant_lists_every_conflict(client_a, org_c, granted):
    page = _page(
        client_a.post(
            "/studio/rights/grants/new/",
            {
                "works": "brother",
                "territories": "CN; KZ",
                "media": ["svod"],
                "start": "2028-01-01",
                "end": "2029-01-01",
                "exclusive": "on",
                "reference": "LIC-NO",
                "licensee": "kazakh-film",
            },
        )
    )
    assert "These rights cannot be granted:" in page
    assert "already granted" in page and "LIC-CN" in page and "Shanghai Media Group" in page
    assert not Contract.objects.filter(reference="LIC-NO").exists()


def test_a_refused_grant_names_the_licensee_in_the_readers_language(client_a, org_b, org_c, granted):
    from kinomost.parties import services as parties

    parties.rename_organisation(organisation=org_b, names={"zh-Hans": "上海传媒集团", "ru": "Шанхайская медиагруппа"})
    client_a.cookies["django_language"] = "zh-hans"
    form = {"works": "brother", "territories": "CN", "media": ["svod"], "start": "2028-01-01", "end": "2029-01-01"}
    page = _page(client_a.post("/studio/rights/grants/new/", {**form, "exclusive": "on", "reference": "LIC-NO", "licensee": "kazakh-film"}))
    assert "LIC-CN → 上海传媒集团" in page and "Shanghai Media Group" not in page


def test_a_grant_from_the_form(client_a, org_c, granted):
    r = client_a.post(
        "/studio/rights/grants/new/",
        {
            "works": "brother",
            "territories": "KZ",
            "media": ["svod"],
            "start": "2028-01-01",
            "end": "2029-01-01",
            "exclusive": "on",
            "reference": "LIC-KZ",
            "licensee": "kazakh-film",
        },
    )
    assert r.status_code == 302
    assert "Kazakhfilm" in _page(client_a.get(r.url))


def test_read_only_members_cannot_open_the_forms(client, org_a, film):
    user = parties.create_member(email="ro@rusmedia.example", organisation=org_a, role=Role.READ_ONLY, password=PASSWORD)[0]
    client.force_login(user)
    assert client.get("/studio/rights/grants/new/").status_code == 403
    assert client.get("/studio/rights/").status_code == 200


def _found(page: str) -> str:
    """The results table of "find available" (the works not found follow it, with why)."""
    return page[page.index('id="found"') : page.index("</table>", page.index('id="found"'))]


def test_find_available_lists_titles_and_free_windows(client_a, org_a, org_b):
    works = [make_work(org_a, f"film-{i}") for i in range(3)]
    hold(org_a, works, end="2035-01-01")
    give(org_a, org_b, [works[1]], ref="LIC-1")
    page = _page(client_a.get("/studio/rights/find/?territory=CN&media=svod&start=2027-01-01&end=2029-12-31&exclusive=on&kind=feature"))
    found = _found(page)
    assert "Film-0" in found and "Film-2" in found and "Film-1" not in found
    assert "granted to Shanghai Media Group under LIC-1" in page[page.index('id="why-not"') :]  # and why it is missing
    assert "free 2026-01-01 → 2035-01-01" in page
    assert "2 works are free for this window" in page


def test_find_available_by_language(client_a, org_a):
    hold(org_a, [make_work(org_a, "dubbed-only")], ref="ACQ-DUB", languages=[{"language": "zh-Hans", "use": "dubbed"}])
    hold(org_a, [make_work(org_a, "all-languages")], ref="ACQ-ALL")
    url = "/studio/rights/find/?territory=CN&media=svod&start=2027-01-01&kind=feature&languages="
    assert "Dubbed-Only" in _page(client_a.get(url + "zh-Hans+dubbed"))
    page = _found(_page(client_a.get(url + "zh-Hans+subtitled")))
    assert "All-Languages" in page and "Dubbed-Only" not in page
    refused = _page(client_a.get(url + "zh-Hans+whispered"))
    assert "is not a use" in refused and "All-Languages" not in refused


def test_find_available_refuses_a_bad_country_politely(client_a):
    page = _page(client_a.get("/studio/rights/find/?territory=QQ&media=svod&start=2027-01-01"))
    assert "is not an ISO 3166-1 country code" in page


def test_another_organisation_sees_nothing_of_ours(client_b, org_a, org_c, film):
    hold(org_a, [film], ref="ACQ-HIDDEN")
    give(org_a, org_c, [film], ref="LIC-HIDDEN", territories="KZ")
    page = _page(client_b.get("/studio/rights/"))
    assert "ACQ-HIDDEN" not in page and "LIC-HIDDEN" not in page
    for contract in Contract.objects.all():
        assert client_b.get(f"/studio/rights/contracts/{contract.pk}/").status_code == 404
    assert client_b.get(f"/studio/works/{film.pk}/rights/").status_code == 404


def test_a_listed_work_shows_another_organisation_only_its_own_position(client_b, org_a, film):
    film.is_listed = True
    film.save(update_fields=["is_listed"])
    hold(org_a, [film], ref="ACQ-HIDDEN")
    page = _page(client_b.get(f"/studio/works/{film.pk}/rights/"))
    assert "ACQ-HIDDEN" not in page and "No contracts of ours on this work." in page
