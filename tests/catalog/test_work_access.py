"""Tenancy of the catalogue: an organisation's unlisted works are invisible to every other one."""

import pytest

from kinomost.catalog import services
from kinomost.catalog.models import Work
from kinomost.parties import services as parties
from kinomost.parties.models import Role


@pytest.fixture
def private_work_b(org_b):
    return services.save_work(
        org_b, services.WorkInput(ref="B-1", kind="feature", titles={"zh-Hans": "长江之歌", "en": "Song of the Yangtze"})
    )[0]


@pytest.fixture
def listed_work_b(org_b):
    return services.save_work(
        org_b, services.WorkInput(ref="B-2", kind="feature", titles={"zh-Hans": "明珠", "en": "The Pearl"}, is_listed=True)
    )[0]


def test_other_organisations_private_work_is_404_on_page_and_api(client_a, token_a, private_work_b):
    assert client_a.get(f"/studio/works/{private_work_b.pk}/").status_code == 404
    assert client_a.get(f"/api/v1/works/{private_work_b.pk}").status_code == 404
    r = client_a.get(f"/api/v1/works/{private_work_b.pk}", HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_listed_work_of_another_organisation_is_readable_but_not_deletable(client_a, listed_work_b):
    assert client_a.get(f"/studio/works/{listed_work_b.pk}/").status_code == 200
    assert client_a.get(f"/api/v1/works/{listed_work_b.pk}").json()["titles"]["en"] == "The Pearl"
    assert client_a.delete(f"/api/v1/works/{listed_work_b.pk}").status_code == 404
    assert Work.objects.filter(pk=listed_work_b.pk).exists()


def test_lists_show_own_and_listed_works_only(client_a, user_a, private_work_b, listed_work_b, org_a):
    own = services.save_work(org_a, services.WorkInput(ref="A-1", kind="feature", titles={"ru": "Сталинград"}))[0]
    ids = {w["id"] for w in client_a.get("/api/v1/works").json()}
    assert ids == {own.pk, listed_work_b.pk}
    assert {w["id"] for w in client_a.get("/api/v1/works?owned=true").json()} == {own.pk}
    page = client_a.get("/studio/works/?scope=all").content.decode()
    assert "Сталинград" in page and "The Pearl" in page and "Song of the Yangtze" not in page


def test_read_only_member_cannot_change_the_catalogue(client, org_a):
    user, _ = parties.create_member(
        email="viewer@rusmedia.example", organisation=org_a, role=Role.READ_ONLY, password="correct horse battery staple"
    )
    client.force_login(user)
    r = client.post("/api/v1/works", {"ref": "X", "kind": "feature", "titles": {"ru": "Икс"}}, content_type="application/json")
    assert r.status_code == 403
    assert not Work.objects.filter(ref="X").exists()


def test_api_creates_then_updates_by_ref(client_a, org_a):
    body = {
        "ref": "A-7",
        "kind": "feature",
        "titles": {"ru": "Сталинград", "zh-hans": "斯大林格勒"},
        "year": 2013,
        "eidr": "10.5240/77C5-ED35-8FC2-7D9D-9531-1",
    }
    r = client_a.post("/api/v1/works", body, content_type="application/json")
    assert r.status_code == 201
    assert r.json()["titles"] == {"ru": "Сталинград", "zh-Hans": "斯大林格勒"}
    r = client_a.post("/api/v1/works", {**body, "titles": {"en": "Stalingrad"}, "year": 2014}, content_type="application/json")
    assert r.status_code == 200
    work = r.json()
    assert work["year"] == 2014 and work["titles"]["en"] == "Stalingrad" and work["titles"]["ru"] == "Сталинград"
    assert Work.objects.filter(owner=org_a, ref="A-7").count() == 1


def test_invalid_work_is_refused_with_every_field_named(client_a):
    r = client_a.post(
        "/api/v1/works",
        {"ref": "A-8", "kind": "film", "titles": {"xx": "?"}, "eidr": "10.5240/77C5-ED35-8FC2-7D9D-9531-2"},
        content_type="application/json",
    )
    assert r.status_code == 422
    details = r.json()["details"]
    assert {"kind", "eidr", "title:xx"} <= {d["field"] for d in details}


def test_episode_needs_a_season_of_the_same_owner(org_a, org_b):
    series_b = services.save_work(org_b, services.WorkInput(ref="S", kind="series", titles={"en": "Series"}))[0]
    assert series_b.pk
    with pytest.raises(Exception, match="no work with ref 'S'"):
        services.save_work(org_a, services.WorkInput(ref="S1", kind="season", titles={"en": "Season 1"}, parent_ref="S", number=1))
