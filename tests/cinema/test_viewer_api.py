"""The viewer API as an app calls it: bearer tokens, rows, titles, playing, paying, devices —
and the refusals the web storefront gives, given the same way by both (cinema.watch)."""

import io
import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kinomost.cinema import app_auth, beats, playback, viewers
from kinomost.cinema.app_models import AppSession, AppToken
from kinomost.cinema.viewing_models import PlaybackSession, Purchase, Rental, Subscription
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput

from .viewing import PASSWORD, hold, make_platform, make_work, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
API = "/api/v1/viewer/rus-media/kino/"
WEB = "/watch/rus-media/kino/"


@pytest.fixture
def platform(org_a):
    return make_platform(org_a, media=("svod", "tvod", "pvod", "est"))


@pytest.fixture
def film(org_a, platform):
    work = make_work(
        org_a, "brother", ratings=[("RU", "MKRF", "16+")], genres=["drama"], titles={"en": "Brother", "ru": "Брат", "zh-Hans": "兄弟"}
    )
    hold(org_a, [work])
    ready_asset(org_a, work, platform)
    return work


class App:
    """An app's HTTP client: JSON bodies and its bearer token."""

    def __init__(self, token: str = ""):
        self.client, self.token = Client(), token

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, **params):
        return self.client.get(API + path, params, **self._headers())

    def post(self, path, body=None):
        return self.client.post(API + path, data=json.dumps(body or {}), content_type="application/json", **self._headers())

    def delete(self, path):
        return self.client.delete(API + path, **self._headers())


def signed_in(email="viewer@example.com") -> App:
    answer = App().post("auth/token", {"email": email, "password": PASSWORD, "device_name": "Living room"})
    assert answer.status_code == 200, answer.content
    return App(answer.json()["access_token"])


def test_sign_in_browse_play_beat_stop_and_resume(platform, film):
    viewer_of(platform)
    assert App().post("auth/token", {"email": "viewer@example.com", "password": "wrong"}).status_code == 401
    tokens = App().post("auth/token", {"email": "Viewer@Example.com ", "password": PASSWORD}).json()
    assert tokens["access_token"].startswith("kva_") and tokens["refresh_token"].startswith("kvr_") and tokens["expires_in"] == 900
    app = App(tokens["access_token"])
    rows = app.get("home").json()["rows"]
    assert {"Recently added", "Drama"} <= {r["label"] for r in rows}
    assert rows[0]["titles"][0]["work_id"] == film.pk
    assert [r["work_id"] for r in app.get("search", q="брат").json()["results"]] == [film.pk]
    shown = app.get(f"titles/{film.pk}").json()
    assert shown["title"] == "Brother" and shown["rating"]["value"] == "16+" and shown["entitled_by"] == "svod"
    assert [a["language"] for a in shown["audio"]] == [] and shown["play_work_id"] == film.pk
    started = app.post(f"titles/{film.pk}/play").json()
    assert started["resume_position"] == 0 and "/hls/" in started["master_url"] and started["master_url"].startswith("http")
    beat = app.post(f"sessions/{started['session_id']}/heartbeat", {"position": 3, "seconds": 3})
    assert beat.status_code == 200 and "/hls/" in beat.json()["base_url"]
    assert app.post(f"sessions/{started['session_id']}/stop", {"position": 4}).json() == {"position": 4.0}
    assert app.post(f"titles/{film.pk}/play").json()["resume_position"] == 4.0
    assert [c["work_id"] for c in app.get("continue-watching").json()] == [film.pk]


def test_an_app_beats_in_front_of_django_with_the_starts_playback_token(platform, film):
    """The play answer gives the session's playback token and heartbeat URL: the app's beats take
    the cheap path (no access token, no body), which drives that session and no other."""
    viewer_of(platform)
    viewer_of(platform, email="other@example.com")
    mine, theirs = signed_in().post(f"titles/{film.pk}/play").json(), signed_in("other@example.com").post(f"titles/{film.pk}/play").json()
    path = urlsplit(mine["heartbeat_url"]).path
    assert mine["heartbeat_url"].startswith("http") and path == f"/playback/{mine['session_id']}/heartbeat"
    beat = Client().post(path + "?position=7&seconds=5", HTTP_AUTHORIZATION=f"Bearer {mine['playback_token']}")
    assert beat.status_code == 200 and beat.json()["expires"] == mine["expires"]
    assert Client().post(path + "?position=7&seconds=5", HTTP_AUTHORIZATION=f"Bearer {theirs['playback_token']}").status_code == 403
    assert beats.drain() == 1
    assert PlaybackSession.objects.get(public_id=mine["session_id"]).position == 7


def test_tokens_belong_to_one_platform_and_never_sign_into_another(platform, film, org_b):
    viewer_of(platform)
    app = signed_in()
    other = make_platform(org_b, slug="tv")
    assert (
        other.pk
        and App(app.token).client.get("/api/v1/viewer/shanghai-media/tv/home", HTTP_AUTHORIZATION=f"Bearer {app.token}").status_code == 401
    )
    assert App("kva_forged").get("home").status_code == 401
    assert App().get("home").status_code == 401  # this platform does not let anyone browse


def test_a_refresh_token_rotates_and_a_reused_one_signs_the_device_out(platform, film):
    viewer_of(platform)
    first = App().post("auth/token", {"email": "viewer@example.com", "password": PASSWORD}).json()
    second = App().post("auth/refresh", {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert App(first["access_token"]).get("home").status_code == 401  # the rotation ended the old access token
    assert App(second["access_token"]).get("home").status_code == 200
    stolen = App().post("auth/refresh", {"refresh_token": first["refresh_token"]})  # a copy of the used one
    assert stolen.status_code == 401 and stolen.json()["error"] == "unauthorized"
    assert App(second["access_token"]).get("home").status_code == 401  # the whole family is revoked
    assert App().post("auth/refresh", {"refresh_token": second["refresh_token"]}).status_code == 401
    assert AppSession.objects.get().revoked_at is not None


def test_a_device_keeps_its_pair_and_last_used_token_and_an_older_copy_is_refused(platform, film):
    viewer_of(platform)
    pair = App().post("auth/token", {"email": "viewer@example.com", "password": PASSWORD}).json()
    used = []
    for _ in range(4):  # four rotations: without trimming, four used refresh tokens stay behind
        used.append(pair["refresh_token"])
        pair = App().post("auth/refresh", {"refresh_token": pair["refresh_token"]}).json()
    session = AppSession.objects.get()
    assert session.tokens.count() == 3  # the new pair and the refresh token used last
    old_copy = App().post("auth/refresh", {"refresh_token": used[0]})
    assert old_copy.status_code == 401 and App(pair["access_token"]).get("home").status_code == 200  # refused; the device goes on
    racing_copy = App().post("auth/refresh", {"refresh_token": used[-1]})  # what a thief racing the device holds
    assert racing_copy.status_code == 401 and App(pair["access_token"]).get("home").status_code == 401
    assert AppSession.objects.get().revoked_at is not None


def test_the_folder_deletes_expired_tokens_and_signs_out_a_device_whose_refresh_ran_out(platform, film):
    viewer_of(platform)
    idle, active = (App().post("auth/token", {"email": "viewer@example.com", "password": PASSWORD}).json() for _ in range(2))
    idle_session = AppSession.objects.get(tokens__digest=app_auth.digest(idle["access_token"]))
    past = timezone.now() - timedelta(seconds=1)
    idle_session.tokens.update(expires_at=past)  # its refresh token ran out unused
    AppToken.objects.filter(digest=app_auth.digest(active["access_token"])).update(expires_at=past)
    out = io.StringIO()
    call_command("playback-fold", "--once", stdout=out)
    assert "3 expired app token(s)" in out.getvalue()
    assert not AppToken.objects.filter(expires_at__lte=timezone.now()).exists()
    idle_session.refresh_from_db()
    assert idle_session.revoked_at is not None
    assert App().post("auth/refresh", {"refresh_token": idle["refresh_token"]}).status_code == 401
    renewed = App().post("auth/refresh", {"refresh_token": active["refresh_token"]})  # the active device's refresh still works
    assert renewed.status_code == 200
    listed = App(renewed.json()["access_token"]).get("devices").json()
    assert len(listed) == 1 and listed[0]["current"]  # the idle device is no longer listed


def test_an_expired_access_token_is_refused(platform, film, settings):
    viewer_of(platform)
    settings.CINEMA_APP_ACCESS_SECONDS = -1
    assert (
        App(App().post("auth/token", {"email": "viewer@example.com", "password": PASSWORD}).json()["access_token"]).get("home").status_code
        == 401
    )


def test_signed_in_devices_are_listed_and_revoked_on_the_api_and_the_account_page(platform, film):
    viewer = viewer_of(platform)
    tv, phone = signed_in(), signed_in()
    listed = tv.get("devices").json()
    assert len(listed) == 2 and sum(d["current"] for d in listed) == 1 and {d["name"] for d in listed} == {"Living room"}
    phone_id = next(d["id"] for d in listed if not d["current"])
    assert tv.delete(f"devices/{phone_id}").status_code == 204
    assert phone.get("home").status_code == 401 and tv.get("home").status_code == 200
    browser = Client()
    browser.force_login(viewer.user)
    page = browser.get(WEB + "account/").content.decode()
    assert "Signed-in devices" in page and "Living room" in page
    tv_id = AppSession.objects.get(revoked_at__isnull=True).public_id
    assert browser.post(WEB + "account/devices/", {"revoke": str(tv_id)}).status_code == 302
    assert tv.get("home").status_code == 401
    # nobody revokes another viewer's device
    other = viewer_of(platform, email="other@example.com")
    other_app = signed_in("other@example.com")
    other_id = AppSession.objects.get(viewer=other, revoked_at__isnull=True).public_id
    assert signed_in().delete(f"devices/{other_id}").status_code == 404 and other_app.get("home").status_code == 200


def test_a_kids_profile_needs_a_pin_and_leaves_only_with_it(platform, film):
    viewer = viewer_of(platform)
    app = signed_in()
    assert app.post("profiles", {"name": "Kids", "is_kids": True}).status_code == 422  # a kids profile needs a PIN
    kids = app.post("profiles", {"name": "Kids", "is_kids": True, "pin": "2468"}).json()
    assert kids["max_age"] == 12
    assert app.post(f"profiles/{kids['id']}/select").status_code == 200
    assert film.pk not in {c["work_id"] for r in app.get("home").json()["rows"] for c in r["titles"]}
    adult = viewer.profiles.get(is_kids=False)
    assert app.post("profiles", {"name": "Sneaky", "is_kids": False}).status_code == 403  # not from a kids profile
    assert app.post(f"profiles/{adult.pk}/select", {"pin": "1111"}).status_code == 403
    assert app.post(f"profiles/{adult.pk}/select").status_code == 403
    assert app.post(f"profiles/{adult.pk}/select", {"pin": "2468"}).json()["current"] is True
    assert film.pk in {c["work_id"] for r in app.get("home").json()["rows"] for c in r["titles"]}


def test_wrong_pins_are_bounded(platform, film, settings):
    settings.KINOMOST_PIN_FAILURES = 3
    viewer = viewer_of(platform)
    app = signed_in()
    kids = app.post("profiles", {"name": "Kids", "is_kids": True, "pin": "2468"}).json()
    app.post(f"profiles/{kids['id']}/select")
    adult = viewer.profiles.get(is_kids=False)
    assert [app.post(f"profiles/{adult.pk}/select", {"pin": p}).status_code for p in ("0000", "0001", "0002")] == [403] * 3
    assert app.post(f"profiles/{adult.pk}/select", {"pin": "2468"}).status_code == 429  # even the right one, for a while


def test_the_kids_pin_is_asked_on_the_web_too(platform, film):
    viewer = viewer_of(platform)
    browser = Client()
    browser.force_login(viewer.user)
    browser.post(WEB + "profiles/", {"name": "Kids", "is_kids": "1", "pin": "2468"})
    kids, adult = viewer.profiles.get(is_kids=True), viewer.profiles.get(is_kids=False)
    browser.post(WEB + "profiles/", {"choose": kids.pk})
    assert "Brother" not in browser.get(WEB).content.decode()
    browser.post(WEB + "profiles/", {"choose": adult.pk, "pin": "0000"})
    assert "Brother" not in browser.get(WEB).content.decode()
    browser.post(WEB + "profiles/", {"choose": adult.pk, "pin": "2468"})
    assert "Brother" in browser.get(WEB).content.decode()


# --- the same refusals on the web and through the API --------------------------------------------


def _web_start(viewer, work_id):
    browser = Client()
    browser.force_login(viewer.user)
    answer = browser.post(f"{WEB}play/{work_id}/start/", data="{}", content_type="application/json", HTTP_ACCEPT="application/json")
    page = browser.get(f"{WEB}titles/{work_id}/")
    return answer.status_code, page.status_code


def _api_start(email, work_id):
    app = signed_in(email)
    return app.post(f"titles/{work_id}/play").status_code, app.get(f"titles/{work_id}").status_code


def _both(viewer, work_id):
    web, api = _web_start(viewer, work_id), _api_start(viewer.user.email, work_id)
    assert web == api, (web, api)
    return api


def test_refused_outside_the_territory_on_both(platform, film):
    viewer = viewer_of(platform, email="de@example.com", country="DE")
    assert _both(viewer, film.pk) == (404, 404)


def test_refused_to_a_kids_profile_on_both(platform, film):
    viewer = viewer_of(platform)
    kids = viewers.create_profile(viewer, name="Kids", is_kids=True, pin="2468")
    browser = Client()
    browser.force_login(viewer.user)
    browser.post(WEB + "profiles/", {"choose": kids.pk})
    web = browser.post(
        f"{WEB}play/{film.pk}/start/", data="{}", content_type="application/json", HTTP_ACCEPT="application/json"
    ).status_code
    app = signed_in()
    app.post(f"profiles/{kids.pk}/select")
    assert web == app.post(f"titles/{film.pk}/play").status_code == 404
    assert browser.get(f"{WEB}titles/{film.pk}/").status_code == app.get(f"titles/{film.pk}").status_code == 404


def test_refused_with_a_lapsed_subscription_on_both(platform, film):
    viewer = viewer_of(platform)
    Subscription.objects.filter(viewer=viewer).update(active_until=timezone.now() - timedelta(minutes=1))
    assert _both(viewer, film.pk) == (403, 200)  # the title shows, with its offers; playing is refused
    offers = signed_in().get(f"titles/{film.pk}").json()["offers"]
    assert {o["media"] for o in offers} == {"svod", "tvod"}


def test_refused_after_the_grant_ended_on_both(platform, org_a, org_b):
    licensed = make_work(org_b, "import", ratings=[("RU", "MKRF", "12+")])
    ledger.record_holding(
        org_b,
        TermInput(works=[licensed], territories="RU", media=["svod"], start="2026-01-01", sublicensable=True),
        contract=ContractInput(reference="B-ACQ"),
    )
    ledger.grant(
        org_b,
        org_a,
        TermInput(works=[licensed], territories="RU", media=["svod"], start="2026-01-01", end=timezone.localdate()),
        contract=ContractInput(reference="B-TO-A"),
    )
    ready_asset(org_a, licensed, platform)
    assert _both(viewer_of(platform), licensed.pk) == (404, 404)


def test_refused_over_the_stream_limit_on_both(platform, film, settings):
    settings.CINEMA_MAX_STREAMS = 1
    viewer = viewer_of(platform)
    app = signed_in()
    assert app.post(f"titles/{film.pk}/play").status_code == 200
    refused = app.post(f"titles/{film.pk}/play")
    assert refused.status_code == 409 and refused.json()["error"] == "conflict"
    assert _web_start(viewer, film.pk)[0] == 409
    PlaybackSession.objects.update(ended_at=timezone.now())
    assert _web_start(viewer, film.pk)[0] == 200 and app.post(f"titles/{film.pk}/play").status_code == 409


def test_a_heartbeat_after_the_subscription_lapsed_stops_playback(platform, film):
    viewer = viewer_of(platform)
    app = signed_in()
    started = app.post(f"titles/{film.pk}/play").json()
    Subscription.objects.filter(viewer=viewer).update(active_until=timezone.now() - timedelta(minutes=1))
    # Every beat folder asks this every CINEMA_RECHECK_SECONDS (cinema.playback.end_lapsed): the bound on a lapse.
    assert playback.end_lapsed() == 1
    assert PlaybackSession.objects.get().ended_at is not None
    assert app.post(f"sessions/{started['session_id']}/heartbeat", {"position": 1, "seconds": 1}).status_code == 409


def test_another_viewers_session_cannot_be_driven(platform, film):
    viewer_of(platform)
    viewer_of(platform, email="other@example.com")
    started = signed_in().post(f"titles/{film.pk}/play").json()
    other = signed_in("other@example.com")
    assert other.post(f"sessions/{started['session_id']}/heartbeat", {"position": 1, "seconds": 1}).status_code == 404
    assert other.post(f"sessions/{started['session_id']}/stop").status_code == 404


# --- paying --------------------------------------------------------------------------------------


def test_renting_and_buying_charge_only_the_confirmed_price(platform, film):
    viewer = viewer_of(platform, subscribed=False)
    app = signed_in()
    offers = {o["media"]: o for o in app.get(f"titles/{film.pk}").json()["offers"]}
    tvod = offers["tvod"]
    assert tvod["currency"] == "EUR" and tvod["hours"] == 48
    stale = app.post(f"titles/{film.pk}/rent", {"media": "tvod", "price": "0.99", "currency": "EUR"})
    assert stale.status_code == 409 and stale.json()["details"][0]["price"] == tvod["price"]
    assert not Rental.objects.exists()
    rented = app.post(f"titles/{film.pk}/rent", {"media": "tvod", "price": tvod["price"], "currency": "EUR"})
    assert rented.status_code == 201 and rented.json()["title"] == "Brother"
    assert app.get(f"titles/{film.pk}").json()["entitled_by"] == "tvod"
    assert app.post(f"titles/{film.pk}/play").status_code == 200
    account = app.get("account").json()
    assert [r["work_id"] for r in account["rentals"]] == [film.pk] and account["subscription"]["active"] is False
    assert app.post("subscription", {"price": account["subscription"]["price"], "currency": "EUR"}).json()["active"] is True
    assert Subscription.objects.get(viewer=viewer).is_active


def test_buying_what_a_kids_profile_cannot_see_is_refused(platform, film, org_a):
    hold(org_a, [film], media=["est"])
    viewer = viewer_of(platform, subscribed=False)
    kids = viewers.create_profile(viewer, name="Kids", is_kids=True, pin="2468")
    app = signed_in()
    app.post(f"profiles/{kids.pk}/select")
    assert app.post(f"titles/{film.pk}/buy", {"price": "9.99", "currency": "EUR"}).status_code == 404
    assert not Purchase.objects.exists()


# --- browsing before signing in ------------------------------------------------------------------


def test_browsing_before_signing_in_where_the_platform_allows_it(platform, film):
    platform.browse_signed_out = True
    platform.save()
    anyone = App()
    assert film.pk in {c["work_id"] for r in anyone.get("home").json()["rows"] for c in r["titles"]}
    shown = anyone.get(f"titles/{film.pk}").json()
    assert shown["signed_in"] is False and shown["entitled"] is False and {o["media"] for o in shown["offers"]} >= {"svod", "tvod"}
    assert anyone.post(f"titles/{film.pk}/play").status_code == 401  # playing needs an account
    assert App("kva_forged").get("home").status_code == 401  # a bad token is refused, not read as browsing
    page = Client().get(f"{WEB}titles/{film.pk}/")
    assert page.status_code == 200 and "Brother" in page.content.decode() and "Sign in to watch" in page.content.decode()
    assert Client().get(f"{WEB}play/{film.pk}/").status_code == 302  # the player sends strangers to sign in


# --- heartbeats: the API's (bearer token, ids only: app_auth.device_at) and the page's, alike -----


def _beats(viewer, app: App, session_id, body=None) -> tuple[int, int]:
    """The same heartbeat through the web storefront's route (signed in) and the viewer API's."""
    browser = Client()
    browser.force_login(viewer.user)
    data = json.dumps({"position": 1, "seconds": 1} if body is None else body)
    web = browser.post(f"{WEB}sessions/{session_id}/heartbeat/", data=data, content_type="application/json", HTTP_ACCEPT="application/json")
    api = app.client.post(f"{API}sessions/{session_id}/heartbeat", data=data, content_type="application/json", **app._headers())
    return web.status_code, api.status_code


def test_heartbeats_are_answered_and_refused_alike_on_both(platform, film):
    viewer, other = viewer_of(platform), viewer_of(platform, email="other@example.com")
    app = signed_in()
    session = app.post(f"titles/{film.pk}/play").json()["session_id"]
    assert _beats(viewer, app, session) == (200, 200)
    assert app.post(f"sessions/{session}/heartbeat", {"position": 5, "seconds": 2}).json()["expires"] > 0
    assert _beats(viewer, app, session, {"position": -1, "seconds": 1}) == (422, 422)
    assert _beats(other, signed_in("other@example.com"), session) == (404, 404)  # another viewer's session
    assert _beats(viewer, app, "00000000-0000-4000-8000-000000000000") == (404, 404)
    assert app.post(f"sessions/{session}/stop", {"position": 6}).status_code == 200
    assert _beats(viewer, app, session) == (409, 409)  # an ended session
    ended = app.post(f"sessions/{session}/heartbeat", {"position": 1, "seconds": 1}).json()
    assert ended["error"] == "conflict" and ended["message"]


def test_a_lapsed_subscription_ends_the_beats_on_both(platform, film):
    viewer = viewer_of(platform)
    app = signed_in()
    session = app.post(f"titles/{film.pk}/play").json()["session_id"]
    Subscription.objects.filter(viewer=viewer).update(active_until=timezone.now() - timedelta(minutes=1))
    assert playback.end_lapsed() == 1
    assert _beats(viewer, app, session) == (409, 409)


def test_a_kids_profile_chosen_while_playing_is_answered_alike_on_both(platform, film):
    """The kids profile is refused at play (test_refused_to_a_kids_profile_on_both); a beat of a
    session started before the switch is answered the same by both (a beat does not ask the
    storefront again: playback.heartbeat)."""
    viewer = viewer_of(platform)
    app = signed_in()
    session = app.post(f"titles/{film.pk}/play").json()["session_id"]
    kids = viewers.create_profile(viewer, name="Kids", is_kids=True, pin="2468")
    assert app.post(f"profiles/{kids.pk}/select").status_code == 200
    browser = Client()
    browser.force_login(viewer.user)
    browser.post(WEB + "profiles/", {"choose": kids.pk})
    body = json.dumps({"position": 1, "seconds": 1})
    web = browser.post(f"{WEB}sessions/{session}/heartbeat/", data=body, content_type="application/json", HTTP_ACCEPT="application/json")
    assert web.status_code == app.post(f"sessions/{session}/heartbeat", {"position": 1, "seconds": 1}).status_code


def test_a_signed_out_expired_or_foreign_token_beats_no_more(platform, film, org_b, settings):
    viewer_of(platform)
    tv, phone = signed_in(), signed_in()
    session = tv.post(f"titles/{film.pk}/play").json()["session_id"]
    beat = f"sessions/{session}/heartbeat"
    assert tv.post(beat).status_code == 200 and phone.post(beat).status_code == 200  # any device of the viewer
    make_platform(org_b, slug="tv")
    foreign = tv.client.post(
        f"/api/v1/viewer/shanghai-media/tv/{beat}", data="{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {tv.token}"
    )
    assert foreign.status_code == 401
    assert App("kva_forged").post(beat).status_code == 401 and App().post(beat).status_code == 401
    phone_id = next(d["id"] for d in tv.get("devices").json() if not d["current"])
    assert tv.delete(f"devices/{phone_id}").status_code == 204
    refused = phone.post(beat)
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    assert tv.post("auth/signout").status_code == 204 and tv.post(beat).status_code == 401
    settings.CINEMA_APP_ACCESS_SECONDS = -1
    assert signed_in().post(beat).status_code == 401


def test_a_beat_writes_the_devices_last_use_at_most_once_a_minute(platform, film):
    viewer_of(platform)
    app = signed_in()
    session = app.post(f"titles/{film.pk}/play").json()["session_id"]
    long_ago = timezone.now() - timedelta(minutes=5)
    AppSession.objects.update(last_used_at=long_ago)
    assert app.post(f"sessions/{session}/heartbeat").status_code == 200
    used = AppSession.objects.get().last_used_at
    assert used > long_ago
    assert app.post(f"sessions/{session}/heartbeat").status_code == 200
    assert AppSession.objects.get().last_used_at == used
