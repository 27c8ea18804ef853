"""Pickers instead of codes: the look-ups behind them (in the reader's language, within tenancy)
and the forms they sit on (codes typed by hand still work; the media tree posts groups)."""

import pytest

from kinomost.catalog.services import WorkInput, save_work


@pytest.fixture
def works(org_a, org_b):
    mine = save_work(
        org_a,
        WorkInput(
            ref="STAL-1",
            kind="feature",
            original_title="Сталинград",
            original_language="ru",
            titles={"ru": "Сталинград", "zh-Hans": "斯大林格勒", "en": "Stalingrad"},
        ),
    )[0]
    hidden = save_work(
        org_b, WorkInput(ref="HID-1", kind="feature", original_title="秘密", titles={"zh-Hans": "秘密", "en": "Hidden Thing"})
    )[0]
    return mine, hidden


def _values(response):
    assert response.status_code == 200
    return [r["value"] for r in response.json()["results"]]


def test_works_are_found_by_any_script_and_titled_for_the_reader(client_a, works):
    client_a.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    for typed in ("Сталинград", "stalingrad", "斯大林格勒", "STAL"):
        assert _values(client_a.get("/studio/lookup/works/", {"q": typed})) == ["STAL-1"], typed
    label = client_a.get("/studio/lookup/works/", {"q": "stalingrad"}).json()["results"][0]["label"]
    assert label.startswith("斯大林格勒")


def test_another_organisations_unlisted_work_is_never_offered(client_a, works):
    assert _values(client_a.get("/studio/lookup/works/", {"q": "Hidden"})) == []
    assert _values(client_a.get("/studio/lookup/works/", {"q": "HID-1"})) == []


def test_territories_are_named_in_the_readers_language_and_found_from_any(client_a):
    client_a.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    results = client_a.get("/studio/lookup/territories/", {"q": "китай"}).json()["results"]
    assert {"value": "CN", "label": "Китай · CN"} in results and results[0]["value"] == "GREATER_CHINA"
    assert "CN" in _values(client_a.get("/studio/lookup/territories/", {"q": "China"}))
    assert "CN" in _values(client_a.get("/studio/lookup/territories/", {"q": "中国"}))
    assert "CIS" not in _values(client_a.get("/studio/lookup/territories/", {"q": "CIS", "countries": "1"}))


def test_organisations_are_the_others_by_name(client_a, org_a, org_b):
    assert _values(client_a.get("/studio/lookup/organisations/", {"q": "shanghai"})) == [org_b.slug]
    assert org_a.slug not in _values(client_a.get("/studio/lookup/organisations/", {"q": ""}))
    assert org_a.slug in _values(client_a.get("/studio/lookup/organisations/", {"q": "rus", "self": "1"}))


def test_lookups_need_a_signed_in_member(client, db):
    for kind in ("works", "organisations", "territories"):
        assert client.get(f"/studio/lookup/{kind}/?q=a").status_code == 302


def test_the_holding_form_has_pickers_and_the_media_tree_in_the_readers_language(client_a):
    client_a.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client_a.get("/studio/rights/holdings/new/").content.decode()
    assert 'data-picker="/studio/lookup/works/?own=1"' in page and 'data-picker="/studio/lookup/territories/"' in page
    assert "data-media-tree" in page and "Видео по запросу" in page and "· svod" not in page
    assert "GREATER_CHINA" not in page and "kinomost/picker.js" in page


def test_a_media_group_and_typed_codes_record_a_holding(client_a, works):
    response = client_a.post(
        "/studio/rights/holdings/new/",
        {
            "works": "STAL-1",
            "territories": "CIS; CN",
            "territories_excluded": "",
            "media": ["vod"],
            "languages": "",
            "start": "2027-01-01",
            "end": "2030-01-01",
            "reference": "PICK-1",
            "licensor_name": "Producer",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from kinomost.rights.models import RightAtom

    leaves = set(RightAtom.objects.filter(contract__reference="PICK-1").values_list("media", flat=True))
    assert {"svod", "tvod", "avod"} <= leaves and "free_tv" not in leaves
