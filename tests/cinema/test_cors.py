"""CORS for registered apps only (cinema/origins.py): KINOMOST_APP_ORIGINS and each platform's own
app origins get it on the viewer API paths, streams, keys and heartbeats — Django's routes through
django-cors-headers, the paths in front of Django by the same rule; other origins get none."""

import pytest
from django.test import Client

from kinomost.cinema import front, origins, services, storefront
from kinomost.cinema.delivery import HLSDelivery
from kinomost.core.errors import InvalidInput, NotFound, PermissionDenied
from kinomost.core.models import AuditEvent
from kinomost.parties.context import Actor
from kinomost.parties.models import Role

from .test_heartbeats import Django, call
from .viewing import hold, main_profile, make_platform, make_work, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
TV, PARTNER, EVIL = "https://tv.example", "https://partner.example:8443", "https://evil.example"


@pytest.fixture
def platform(org_a, settings):
    settings.APP_ORIGINS = [TV]
    settings.CORS_ALLOWED_ORIGINS = [TV]
    origins.forget()
    platform = make_platform(org_a)
    yield platform
    origins.forget()


@pytest.fixture
def started(org_a, platform):
    from kinomost.cinema import playback

    work = make_work(org_a, "film", ratings=[("RU", "MKRF", "12+")])
    hold(org_a, [work])
    ready_asset(org_a, work, platform)
    viewer = viewer_of(platform)
    profile = main_profile(viewer)
    return playback.start(viewer, profile, storefront.Viewing(platform=platform, territory="RU", max_age=profile.max_age), work.pk)


def _allow(response) -> str | None:
    return response.headers.get("Access-Control-Allow-Origin")


def test_the_operator_registers_app_origins_checked_and_audited(org_a, org_b, platform):
    operator = Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR)
    services.set_app_origins(operator, platform, f"{PARTNER}/ HTTPS://TV2.example")
    platform.refresh_from_db()
    assert platform.app_origins == [PARTNER, "https://tv2.example"]
    for bad in ("tv.example", "https://tv.example/path", "javascript:alert(1)", "https://tv.example?x=1"):
        with pytest.raises(InvalidInput):
            services.set_app_origins(operator, platform, [bad])
    with pytest.raises(PermissionDenied):  # a read-only member may not
        services.set_app_origins(Actor(organisation=org_a, role=Role.READ_ONLY), platform, [PARTNER])
    with pytest.raises(NotFound):  # nor another organisation's operator
        services.set_app_origins(Actor(organisation=org_b, role=Role.PLATFORM_OPERATOR), platform, [PARTNER])
    assert AuditEvent.objects.filter(action="cinema.platform_app_origins").count() == 1


def test_django_routes_answer_cors_to_registered_origins_only(org_a, platform, started):
    services.set_app_origins(Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR), platform, [PARTNER])
    client = Client()
    folder = started.master_url.rsplit("/", 1)[0] + "/"
    for origin in (TV, PARTNER):  # the environment's and the platform's
        assert _allow(client.get(started.master_url, HTTP_ORIGIN=origin)) == origin
        assert _allow(client.get(folder + "key", HTTP_ORIGIN=origin)) == origin
        preflight = client.options(
            f"/playback/{started.session.public_id}/heartbeat",
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
        )
        assert _allow(preflight) == origin and "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
        assert "Access-Control-Allow-Credentials" not in preflight.headers  # never the site's cookies
    assert _allow(client.get(started.master_url, HTTP_ORIGIN=EVIL)) is None
    assert _allow(client.get(folder + "key", HTTP_ORIGIN=EVIL)) is None
    assert _allow(client.get("/login/", HTTP_ORIGIN=TV)) is None  # only the playback and viewer API paths


@pytest.mark.django_db(transaction=True)  # the platforms' origins are read in the thread Django's async bridge uses
def test_the_paths_in_front_of_django_answer_cors_by_the_same_rule(org_a, platform, started):
    services.set_app_origins(Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR), platform, [PARTNER])
    app = front.PlaybackFront(HLSDelivery(Django()))
    folder = started.master_url.rsplit("/", 1)[0] + "/"
    beat_path = f"/playback/{started.session.public_id}/heartbeat"
    for origin in (TV, PARTNER):
        status, headers, _ = call(app, "GET", started.master_url, headers=[("origin", origin)])
        assert status == 200 and headers.get(b"access-control-allow-origin") == origin.encode()
        _, headers, _ = call(app, "GET", folder + "key", headers=[("origin", origin)])
        assert headers[b"access-control-allow-origin"] == origin.encode()
        status, headers, _ = call(app, "OPTIONS", beat_path, headers=[("origin", origin), ("access-control-request-method", "POST")])
        assert status == 204 and headers[b"access-control-allow-origin"] == origin.encode()
        assert b"authorization" in headers[b"access-control-allow-headers"]
        status, headers, _ = call(
            app,
            "POST",
            beat_path,
            b'{"position": 1, "seconds": 1}',
            [("origin", origin), ("authorization", f"Bearer {started.playback_token}")],
        )
        assert status == 200 and headers[b"access-control-allow-origin"] == origin.encode()
    for method, path in (("GET", started.master_url), ("GET", folder + "key"), ("OPTIONS", beat_path)):
        _, headers, _ = call(app, method, path, headers=[("origin", EVIL)])
        assert b"access-control-allow-origin" not in headers and headers[b"vary"] == b"origin"


def test_the_api_and_the_studio_page_set_a_platforms_app_origins(client, org_a, platform):
    from kinomost.parties import services as parties

    owner = parties.create_member(email="boss@rusmedia.example", organisation=org_a, role="owner", password="correct horse battery staple")[
        0
    ]
    client.force_login(owner)
    url = f"/api/v1/cinema/platforms/{platform.slug}/app-origins"
    answer = client.put(url, {"app_origins": [PARTNER]}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["app_origins"] == [PARTNER]
    refused = client.put(url, {"app_origins": ["not an origin"]}, content_type="application/json")
    assert refused.status_code == 422 and "not an origin" in refused.content.decode()
    assert client.put("/api/v1/cinema/platforms/nope/app-origins", {"app_origins": []}, content_type="application/json").status_code == 404
    page = client.post("/studio/cinema/", {"platform": platform.slug, "app_origins": f"{TV} {PARTNER}"}, follow=True)
    assert page.status_code == 200 and f"{TV}, {PARTNER}" in page.content.decode()
    platform.refresh_from_db()
    assert platform.app_origins == [TV, PARTNER]
