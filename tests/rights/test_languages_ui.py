"""Languages of a term from the studio forms and the API: a licensing manager records "Russian
dubbed and subtitled" rights, sees them wherever the term is shown, and a bad tag or use is
refused beside the field with nothing written."""

import pytest
from django import forms

from kinomost.parties import services as parties
from kinomost.parties.models import Role
from kinomost.rights.forms import parse_languages
from kinomost.rights.models import Contract, RightAtom, Term
from tests.factories import hold

API = "/api/v1/rights"
GRANT = {
    "works": "brother",
    "territories": "KZ",
    "media": ["svod"],
    "start": "2028-01-01",
    "end": "2029-01-01",
    "reference": "LIC-KZ",
    "licensee": "kazakh-film",
}


@pytest.fixture
def held(org_a, film):
    hold(org_a, [film], ref="ACQ-WORLD")
    return film


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _field(page: str, name: str) -> str:
    """The form's <label> that holds the named input: its errors are shown inside it."""
    at = page.index(f'name="{name}"')
    return page[page.rindex("<label", 0, at) : page.index("</label>", at)]


# ---------------------------------------------------------------- the text a person types


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("ru dubbed subtitled; zh-hans original", [("ru", "dubbed"), ("ru", "subtitled"), ("zh-Hans", "original")]),
        ("ru: dub/sub, EN subtitled", [("ru", "dubbed"), ("ru", "subtitled"), ("en", "subtitled")]),
        ("ru дубляж; zh-Hans 字幕", [("ru", "dubbed"), ("zh-Hans", "subtitled")]),
        ("ru配音字幕", [("ru", "dubbed"), ("ru", "subtitled")]),
        ("pt_br (subtitled)\nru dubbed; ru dubbed", [("pt-BR", "subtitled"), ("ru", "dubbed")]),
        ("sub subtitled", [("sub", "subtitled")]),  # Suku: a tag first is a tag, even if it reads like a use
    ],
)
def test_languages_text_is_read_as_a_person_means_it(text, expected):
    assert parse_languages(text) == [{"language": tag, "use": use} for tag, use in expected]


@pytest.mark.parametrize(
    "text, messages",
    [
        ("xx dubbed", ["“xx” is not a known language tag (e.g. ru, en, zh-Hans, pt-BR)."]),
        ("ru dubed", ["“dubed” is not a use: write original, dubbed or subtitled."]),
        ("ru; en dubbed", ["Say how ru is used: original, dubbed or subtitled."]),
        ("dubbed", ["Write the language before its use, e.g. ru dubbed."]),
        (
            "xx dubbed; ru",
            ["“xx” is not a known language tag (e.g. ru, en, zh-Hans, pt-BR).", "Say how ru is used: original, dubbed or subtitled."],
        ),
    ],
)
def test_every_problem_in_the_languages_text_is_named(text, messages):
    with pytest.raises(forms.ValidationError) as exc:
        parse_languages(text)
    assert exc.value.messages == messages


# ---------------------------------------------------------------- studio forms


def test_a_grant_with_languages_is_stored_and_shown_wherever_the_term_is(client_a, org_c, held):
    r = client_a.post("/studio/rights/grants/new/", {**GRANT, "languages": "ru dubbed subtitled; zh-hans original"})
    assert r.status_code == 302, _field(r.content.decode(), "languages")
    term = Term.objects.get(contract__reference="LIC-KZ")
    assert term.languages == [
        {"language": "ru", "use": "dubbed"},
        {"language": "ru", "use": "subtitled"},
        {"language": "zh-Hans", "use": "original"},
    ]
    detail = _page(client_a.get(r.url))
    assert (
        'Russian <span class="muted">ru</span>: dubbed, subtitled; Chinese (Simplified) <span class="muted">zh-Hans</span>: original'
        in detail
    )
    listed = _page(client_a.get("/studio/rights/?kind=grant"))
    assert "Russian: dubbed, subtitled; Chinese (Simplified): original" in listed
    timeline = _page(client_a.get(f"/studio/works/{held.pk}/rights/?on=2028-06-01"))
    assert "Russian: dubbed, subtitled; Chinese (Simplified): original" in timeline


def test_the_licensee_reads_the_languages_in_its_own_interface_language(client_a, client_b, org_b, held):
    r = client_a.post("/studio/rights/grants/new/", {**GRANT, "territories": "CN", "licensee": "shanghai-media", "languages": "ru dubbed"})
    assert r.status_code == 302
    client_b.cookies["django_language"] = "ru"
    page = _page(client_b.get(r.url))
    assert 'русский <span class="muted">ru</span>: дубляж' in page


def test_holding_and_holdback_forms_take_languages_too(client_a, held):
    r = client_a.post(
        "/studio/rights/holdings/new/",
        {
            "works": "brother",
            "territories": "RU",
            "media": ["svod"],
            "start": "2026-01-01",
            "reference": "ACQ-LANG",
            "languages": "ru original",
        },
    )
    assert r.status_code == 302
    r = client_a.post(
        "/studio/rights/holdbacks/new/",
        {
            "works": "brother",
            "territories": "RU",
            "media": ["free_tv"],
            "start": "2026-01-01",
            "end": "2027-01-01",
            "reference": "HB-LANG",
            "languages": "ru дубляж",
        },
    )
    assert r.status_code == 302
    stored = dict(Term.objects.filter(contract__reference__in=["ACQ-LANG", "HB-LANG"]).values_list("contract__reference", "languages"))
    assert stored == {"ACQ-LANG": [{"language": "ru", "use": "original"}], "HB-LANG": [{"language": "ru", "use": "dubbed"}]}


def test_no_languages_means_the_contract_names_none(client_a, org_c, held):
    r = client_a.post("/studio/rights/grants/new/", GRANT)
    assert r.status_code == 302
    assert Term.objects.get(contract__reference="LIC-KZ").languages == []
    assert "all languages (the contract names none)" in _page(client_a.get(r.url))


def test_a_bad_language_is_refused_beside_the_field_and_nothing_is_written(client_a, org_c, held):
    terms, atoms = Term.objects.count(), RightAtom.objects.count()
    page = _page(client_a.post("/studio/rights/grants/new/", {**GRANT, "languages": "xx dubbed; ru dubed"}))
    field = _field(page, "languages")
    assert "“xx” is not a known language tag" in field and "“dubed” is not a use" in field
    assert 'value="xx dubbed; ru dubed"' in field  # what was typed stays, to correct
    assert not Contract.objects.filter(reference="LIC-KZ").exists()
    assert (Term.objects.count(), RightAtom.objects.count()) == (terms, atoms)


# ---------------------------------------------------------------- API


@pytest.fixture
def token_a(org_a):
    return parties.create_api_key(organisation=org_a, name="ci", role=Role.LICENSING_MANAGER)[1]


def _post(client, url, body, token):
    return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def _grant_body(**extra):
    return {
        "works": ["brother"],
        "territories": "KZ",
        "media": "svod",
        "start": "2028-01-01",
        "end": "2029-01-01",
        "reference": "LIC-API",
        "licensee": "kazakh-film",
        **extra,
    }


def test_languages_round_trip_through_the_api(client, org_c, held, token_a):
    r = _post(
        client,
        f"{API}/grants",
        _grant_body(languages=[{"language": "RU", "use": "dubbed"}, {"language": "zh-hans", "use": "subtitled"}]),
        token_a,
    )
    assert r.status_code == 201, r.content
    expected = [{"language": "ru", "use": "dubbed"}, {"language": "zh-Hans", "use": "subtitled"}]
    assert r.json()["terms"][0]["languages"] == expected
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_a}"}
    assert client.get(f"{API}/contracts/{r.json()['id']}", **auth).json()["terms"][0]["languages"] == expected
    timeline = client.get(f"{API}/works/{held.pk}", **auth).json()["timeline"]
    assert [b["languages"] for b in timeline if b["contract"] == "LIC-API"] == [expected]
    assert [b["languages"] for b in timeline if b["contract"] == "ACQ-WORLD"] == [[]]


def test_the_api_refuses_a_bad_language_tag_or_use_and_writes_nothing(client, org_c, held, token_a):
    tag = _post(client, f"{API}/grants", _grant_body(languages=[{"language": "xx", "use": "dubbed"}]), token_a)
    assert tag.status_code == 422 and tag.json()["details"] == [
        {"field": "languages", "message": "'xx' is not a language tag of the IANA registry (expected e.g. ru, en, zh-Hans, pt-BR)"}
    ]
    use = _post(client, f"{API}/grants", _grant_body(languages=[{"language": "ru", "use": "dub"}]), token_a)
    assert use.status_code == 422 and use.json()["details"][0]["loc"] == ["body", "payload", "languages", 0, "use"]
    assert not Contract.objects.filter(reference="LIC-API").exists()
