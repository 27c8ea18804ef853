import pytest


@pytest.mark.django_db
def test_api_key_identifies_its_organisation(client, token_a, org_a):
    r = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert r.status_code == 200
    assert r.json()["slug"] == org_a.slug
    r = client.get("/api/v1/me", HTTP_X_API_KEY=token_a)
    assert r.json()["slug"] == org_a.slug


@pytest.mark.django_db
@pytest.mark.parametrize("header", [{}, {"HTTP_AUTHORIZATION": "Bearer km_nope_nope"}, {"HTTP_X_API_KEY": "garbage"}])
def test_without_valid_credentials_the_api_answers_401_as_json(client, org_a, header):
    r = client.get("/api/v1/me", **header)
    assert r.status_code == 401
    assert r.json()["error"] == "unauthorized"


@pytest.mark.django_db
def test_revoked_key_no_longer_works(client, org_a):
    from kinomost.parties import services

    key, token = services.create_api_key(organisation=org_a, name="temp")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    services.revoke_api_key(organisation=org_a, prefix=key.prefix)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


@pytest.mark.django_db
def test_session_member_acts_for_their_organisation(client_a, org_a):
    r = client_a.get("/api/v1/me")
    assert r.status_code == 200 and r.json()["slug"] == org_a.slug


@pytest.mark.django_db
def test_openapi_document_is_served(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/works" in r.json()["paths"]
    assert client.get("/api/docs").status_code == 302


@pytest.mark.django_db
def test_a_write_with_an_api_key_is_audited_with_the_key_and_its_organisation(client, org_a, user_a):
    """An API key has no person: the trail names the key (and a session write still names the person)."""
    from kinomost.core.models import AuditEvent
    from kinomost.parties import services
    from kinomost.parties.models import Role

    key, token = services.create_api_key(organisation=org_a, name="ci", role=Role.LICENSING_MANAGER)
    work = {"ref": "stalingrad", "kind": "feature", "titles": {"ru": "Сталинград"}, "original_language": "ru"}
    r = client.post("/api/v1/works", data=work, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201, r.content
    event = AuditEvent.objects.get(action="work.created")
    assert (event.api_key_id, event.organisation_id, event.actor_id) == (key.pk, org_a.pk, None)

    client.force_login(user_a)
    r = client.post("/api/v1/works", data={**work, "year": 1993}, content_type="application/json")
    assert r.status_code == 200, r.content
    event = AuditEvent.objects.get(action="work.updated")
    assert (event.api_key_id, event.organisation_id, event.actor_id) == (None, org_a.pk, user_a.pk)


@pytest.mark.django_db
def test_a_platform_opened_with_an_api_key_is_audited_with_the_key(client, org_a):
    from kinomost.core.models import AuditEvent
    from kinomost.parties import services
    from kinomost.parties.models import Role

    key, token = services.create_api_key(organisation=org_a, name="ops", role=Role.PLATFORM_OPERATOR)
    body = {"slug": "kino", "name": "Kino", "territories": ["RU"], "media": ["svod"], "languages": ["ru"]}
    r = client.post("/api/v1/cinema/platforms", data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201, r.content
    event = AuditEvent.objects.get(action="cinema.platform_created")
    assert (event.api_key_id, event.organisation_id, event.actor_id) == (key.pk, org_a.pk, None)


@pytest.mark.django_db
def test_a_refused_api_key_is_answered_401_never_a_csrf_403(org_a, user_a, token_a):
    """A machine's request is judged by its key alone, even from a client holding a session."""
    from django.test import Client

    work = {"ref": "csrf-1", "kind": "feature", "titles": {"ru": "Х"}}
    strict = Client(enforce_csrf_checks=True)
    for headers in ({"HTTP_AUTHORIZATION": "Bearer km_bad_bad"}, {"HTTP_X_API_KEY": "km_bad_bad"}):
        r = strict.post("/api/v1/works", work, content_type="application/json", **headers)
        assert r.status_code == 401 and r.json()["error"] == "unauthorized", r.content
    strict.force_login(user_a)
    assert strict.post("/api/v1/works", work, content_type="application/json", HTTP_AUTHORIZATION="Bearer km_bad_bad").status_code == 401
    assert strict.post("/api/v1/works", work, content_type="application/json").status_code == 403  # a session still needs its CSRF token
    assert strict.post("/api/v1/works", work, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_a}").status_code == 201
