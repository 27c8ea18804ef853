import pytest

from kinomost.parties import services as parties
from kinomost.parties.models import ApiKey, Role
from tests.factories import PASSWORD


@pytest.fixture
def owner_client(client, org_a):
    user, _ = parties.create_member(email="boss@rusmedia.example", organisation=org_a, role=Role.OWNER, password=PASSWORD)
    client.force_login(user)
    return client


def test_owner_creates_a_key_sees_the_token_once_and_it_works(owner_client, org_a, client):
    owner_client.post("/studio/organisation/api-keys/", {"name": "catalogue sync", "role": Role.LICENSING_MANAGER})
    page = owner_client.get("/studio/organisation/").content.decode()
    token = page.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("km_")
    assert token not in owner_client.get("/studio/organisation/").content.decode()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["role"] == Role.LICENSING_MANAGER


def test_owner_revokes_a_key(owner_client, org_a):
    key, token = parties.create_api_key(organisation=org_a, name="old")
    owner_client.post(f"/studio/organisation/api-keys/{key.prefix}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_only_owners_manage_keys(client_a, org_a):
    assert client_a.post("/studio/organisation/api-keys/", {"name": "x"}).status_code == 403
    assert not ApiKey.objects.filter(organisation=org_a).exists()
    assert "Create API key" not in client_a.get("/studio/organisation/").content.decode()


def test_page_lists_members_and_the_group(client_a, org_a, user_a):
    child = parties.create_organisation(slug="rus-media-films", name="Rus Media Films", kind="producer", parent_slug=org_a.slug)
    assert child.parent == org_a
    page = client_a.get("/studio/organisation/").content.decode()
    assert user_a.email in page and "Rus Media Films" in page
