"""Signing a TV in with a code (RFC 8628): the device's calls, the viewer's activation page."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kinomost.cinema import device_flow
from kinomost.cinema.app_models import DeviceAuthorization, RegisteredApp
from kinomost.demo.cinema import TV_CLIENT_ID

from .viewing import hold, make_platform, make_work, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
API = "/api/v1/viewer/rus-media/kino/"
WEB = "/watch/rus-media/kino/"
GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def platform(org_a):
    platform = make_platform(org_a)
    RegisteredApp.objects.create(platform=platform, client_id=TV_CLIENT_ID, name="Kinomost TV")
    film = make_work(org_a, "brother", ratings=[("RU", "MKRF", "16+")])
    hold(org_a, [film])
    ready_asset(org_a, film, platform)
    return platform


def _code(client_id=TV_CLIENT_ID):
    return Client().post(API + "device/code", {"client_id": client_id})  # form-encoded, as RFC 8628 §3.1 sends it


def _poll(device_code, client_id=TV_CLIENT_ID, grant_type=GRANT):
    return Client().post(API + "device/token", {"grant_type": grant_type, "device_code": device_code, "client_id": client_id})


def _allow_next_poll(device_code):
    DeviceAuthorization.objects.update(last_polled_at=timezone.now() - timedelta(seconds=60))


def _browser(viewer):
    browser = Client()
    browser.force_login(viewer.user)
    return browser


def test_a_tv_is_signed_in_by_a_code_the_viewer_approves(platform):
    viewer = viewer_of(platform)
    started = _code()
    assert started.status_code == 200
    code = started.json()
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", code["user_code"])
    assert code["verification_uri"] == "http://testserver" + WEB + "activate/"
    assert code["verification_uri_complete"] == code["verification_uri"] + "?code=" + code["user_code"]
    assert code["interval"] == 5 and 590 <= code["expires_in"] <= 600
    pending = _poll(code["device_code"])
    assert pending.status_code == 400 and pending.json()["error"] == "authorization_pending"
    too_fast = _poll(code["device_code"])
    assert too_fast.json()["error"] == "slow_down" and DeviceAuthorization.objects.get().interval == 10  # +5 s from then on
    browser = _browser(viewer)
    typed = code["user_code"].lower().replace("-", " ")  # case- and dash-insensitive
    page = browser.post(WEB + "activate/", {"code": typed})
    assert page.status_code == 200 and "Kinomost TV" in page.content.decode() and "Approve" in page.content.decode()
    done = browser.post(WEB + "activate/", {"code": code["user_code"], "decision": "approve"})
    assert "is signing in as you" in done.content.decode()
    _allow_next_poll(code["device_code"])
    tokens = _poll(code["device_code"])
    assert tokens.status_code == 200 and tokens.json()["access_token"].startswith("kva_")
    home = Client().get(API + "home", HTTP_AUTHORIZATION="Bearer " + tokens.json()["access_token"])
    assert home.status_code == 200 and home.json()["signed_in"] is True
    _allow_next_poll(code["device_code"])
    assert _poll(code["device_code"]).json()["error"] == "invalid_grant"  # single use
    assert "Kinomost TV" in browser.get(WEB + "account/").content.decode()  # listed under signed-in devices


def test_the_qr_code_link_opens_the_approval_after_signing_in(platform):
    viewer = viewer_of(platform)
    code = _code().json()
    stranger = Client().get(code["verification_uri_complete"].replace("http://testserver", ""))
    assert stranger.status_code == 302 and "/login/" in stranger.url and "activate" in stranger.url
    page = _browser(viewer).get(code["verification_uri_complete"].replace("http://testserver", ""))
    assert page.status_code == 200 and code["user_code"] in page.content.decode()


def test_a_denied_or_expired_code_says_so(platform):
    viewer = viewer_of(platform)
    denied = _code().json()
    _browser(viewer).post(WEB + "activate/", {"code": denied["user_code"], "decision": "deny"})
    assert _poll(denied["device_code"]).json()["error"] == "access_denied"
    late = _code().json()
    DeviceAuthorization.objects.filter(user_code=late["user_code"].replace("-", "")).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _poll(late["device_code"]).json()["error"] == "expired_token"
    page = _browser(viewer).post(WEB + "activate/", {"code": late["user_code"], "decision": "approve"})
    assert page.status_code == 404 and "No device is waiting for this code" in page.content.decode()


def test_codes_expired_a_day_are_deleted_and_a_late_poll_before_that_hears_expired(platform):
    old, late, fresh = (_code().json() for _ in range(3))
    now = timezone.now()
    for code, ago in ((old, timedelta(days=1, seconds=1)), (late, timedelta(hours=1))):
        DeviceAuthorization.objects.filter(user_code=code["user_code"].replace("-", "")).update(expires_at=now - ago)
    assert device_flow.purge_expired() == 1
    assert DeviceAuthorization.objects.count() == 2
    assert _poll(old["device_code"]).json()["error"] == "invalid_grant"
    assert _poll(late["device_code"]).json()["error"] == "expired_token"
    assert _poll(fresh["device_code"]).json()["error"] == "authorization_pending"


def test_only_registered_apps_and_the_device_code_grant(platform, org_b):
    assert _code("someone-else").json()["error"] == "invalid_client"
    code = _code().json()
    assert _poll(code["device_code"], grant_type="password").json()["error"] == "unsupported_grant_type"
    assert _poll(code["device_code"], client_id="someone-else").json()["error"] == "invalid_client"
    assert _poll("forged").json()["error"] == "invalid_grant"
    other = make_platform(org_b, slug="tv")
    assert (
        other.pk
        and Client()
        .post(
            "/api/v1/viewer/shanghai-media/tv/device/token",
            {"grant_type": GRANT, "device_code": code["device_code"], "client_id": TV_CLIENT_ID},
        )
        .json()["error"]
        == "invalid_grant"
    )
    json_poll = Client().post(
        API + "device/token",
        {"grant_type": GRANT, "device_code": code["device_code"], "client_id": TV_CLIENT_ID},
        content_type="application/json",
    )
    assert json_poll.json()["error"] == "authorization_pending"  # JSON bodies are read too


def test_wrong_codes_typed_are_rate_limited(platform, settings):
    settings.KINOMOST_DEVICE_CODE_FAILURES_PER_IP = 3
    viewer = viewer_of(platform)
    code = _code().json()
    browser = _browser(viewer)
    answers = [browser.post(WEB + "activate/", {"code": wrong}).status_code for wrong in ("BCDF-GHJK", "nonsense", "ZZZZ-ZZZZ")]
    assert answers == [404, 404, 404]
    locked = browser.post(WEB + "activate/", {"code": code["user_code"], "decision": "approve"})
    assert locked.status_code == 429 and DeviceAuthorization.objects.get().status == "pending"


def test_a_user_code_is_read_as_typed():
    assert device_flow.normalise_user_code(" bcdf-ghjk ") == "BCDFGHJK"
    assert device_flow.normalise_user_code("BCDFGHJKL") is None  # nine letters
    assert device_flow.normalise_user_code("ABCD-EFGH") is None  # vowels are never in a code


def test_a_kids_profile_cannot_approve_a_device(platform):
    from kinomost.cinema import viewers

    viewer = viewer_of(platform)
    kids = viewers.create_profile(viewer, name="Kids", is_kids=True, pin="2468")
    browser = _browser(viewer)
    browser.post(WEB + "profiles/", {"choose": kids.pk})
    code = _code().json()
    refused = browser.post(WEB + "activate/", {"code": code["user_code"], "decision": "approve"})
    assert refused.status_code == 403 and DeviceAuthorization.objects.get().status == "pending"
