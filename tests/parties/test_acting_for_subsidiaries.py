"""A media group's people act for its subsidiaries with the role they hold in the group; a
subsidiary's people never act for (or see) the parent or a sibling."""

import pytest

from kinomost.catalog.services import WorkInput, save_work
from kinomost.parties import services as parties
from kinomost.parties.models import Role
from tests.conftest import PASSWORD


@pytest.fixture
def group(db):
    parent = parties.create_organisation(slug="grp", name="Group Holding", kind="media_group", country="RU")
    films = parties.create_organisation(slug="grp-films", name="Group Films", kind="producer", country="RU", parent_slug="grp")
    tv = parties.create_organisation(slug="grp-tv", name="Group TV", kind="broadcaster", country="RU", parent_slug="grp")
    save_work(films, WorkInput(ref="FILM-1", kind="feature", original_title="Фильм", titles={"ru": "Фильм", "en": "The Film"}))
    save_work(tv, WorkInput(ref="TV-1", kind="programme", original_title="Передача", titles={"ru": "Передача", "en": "The Show"}))
    return parent, films, tv


def _member(client, email, org, role):
    user = parties.create_member(email=email, organisation=org, role=role, password=PASSWORD)[0]
    client.force_login(user)
    return client


def test_the_group_owner_switches_to_a_subsidiary_and_sees_its_catalogue(client, group):
    parent, films, _tv = group
    _member(client, "boss@grp.example", parent, Role.OWNER)
    page = client.get("/studio/works/").content.decode()
    assert "Acting for" in page and "Group Films" in page and "Group TV" in page  # offered in the switcher
    assert "The Film" not in page
    client.post("/organisation/", {"organisation": films.pk, "next": "/"})
    assert client.get("/api/v1/me").json()["slug"] == "grp-films"
    assert client.get("/api/v1/me").json()["role"] == "owner"
    page = client.get("/studio/works/").content.decode()
    assert "The Film" in page and "The Show" not in page


def test_a_read_only_group_member_stays_read_only_in_subsidiaries(client, group):
    parent, films, _tv = group
    _member(client, "reader@grp.example", parent, Role.READ_ONLY)
    client.post("/organisation/", {"organisation": films.pk, "next": "/"})
    assert client.get("/api/v1/me").json() == {**client.get("/api/v1/me").json(), "slug": "grp-films", "role": "read_only"}
    assert client.get("/studio/works/new/").status_code == 403


def test_a_subsidiarys_member_never_acts_for_the_parent_or_a_sibling(client, group):
    parent, films, tv = group
    _member(client, "films@grp.example", films, Role.LICENSING_MANAGER)
    page = client.get("/studio/works/").content.decode()
    assert "The Film" in page and "Group TV" not in page and 'id="org-switcher"' not in page
    for other in (parent, tv):
        client.post("/organisation/", {"organisation": other.pk, "next": "/"})
        assert client.get("/api/v1/me").json()["slug"] == "grp-films"
    assert "The Show" not in client.get("/studio/works/").content.decode()


def test_a_direct_membership_in_a_subsidiary_keeps_its_own_role(client, group):
    parent, films, _tv = group
    user = _member(client, "mixed@grp.example", parent, Role.READ_ONLY)
    parties.create_member(email="mixed@grp.example", organisation=films, role=Role.LICENSING_MANAGER)
    client.post("/organisation/", {"organisation": films.pk, "next": "/"})
    assert client.get("/api/v1/me").json()["role"] == "licensing_manager"
    assert user is not None


def test_an_api_key_acts_only_for_its_own_organisation(client, group):
    parent, _films, _tv = group
    _key, token = parties.create_api_key(organisation=parent, name="ci", role=Role.OWNER)
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["slug"] == "grp"
