"""The storefront's pages and the player's calls, as a viewer's browser makes them."""

import json
import re

import pytest
from django.test import Client

from kinomost.cinema.viewing_models import PlaybackSession, Rental, Subscription, Viewer

from .viewing import PASSWORD, hold, make_platform, make_work, pay, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
BASE = "/watch/rus-media/kino/"


@pytest.fixture
def platform(org_a):
    return make_platform(org_a)


@pytest.fixture
def film(org_a, platform):
    work = make_work(
        org_a, "brother", ratings=[("RU", "MKRF", "16+")], genres=["drama"], titles={"en": "Brother", "ru": "Брат", "zh-Hans": "兄弟"}
    )
    hold(org_a, [work])
    ready_asset(org_a, work, platform)
    return work


def _post_json(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", HTTP_ACCEPT="application/json")


def test_sign_up_then_home_rows_search_and_title(platform, film):
    client = Client()
    assert client.get(BASE).status_code == 302  # strangers are sent to sign in
    response = client.post(BASE + "signup/", {"email": "new@example.com", "country": "RU"})
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    response = client.post(_emailed_link(), {"password": PASSWORD})
    assert response.status_code == 302 and Viewer.objects.get(user__email="new@example.com").country == "RU"
    home = client.get(BASE).content.decode()
    assert "Brother" in home and "Recently added" in home and "Drama" in home
    assert "Brother" in client.get(BASE + "search/?q=брат").content.decode()  # cross-script search
    assert "Brother" in client.get(BASE + "search/?q=brat").content.decode()
    title = client.get(f"{BASE}titles/{film.pk}/").content.decode()
    assert "16+" in title and "Subscribe to watch" in title and f"play/{film.pk}/" not in title
    pay(client, BASE + "account/", {"next": f"{BASE}titles/{film.pk}/"})  # the test provider charges
    assert Subscription.objects.get().is_active
    assert f"play/{film.pk}/" in client.get(f"{BASE}titles/{film.pk}/").content.decode()


def _emailed_link() -> str:
    from django.core import mail

    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(\S+?/)(?:\s|\(|$)", mail.outbox[0].body)
    mail.outbox.clear()
    return link.group(1) if link else ""


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(platform):
    """The form cannot tell anyone who is registered: same status, same page; only the address's
    owner learns, by email, that they already have an account."""
    from django.core import mail

    viewer_of(platform, email="known@example.com")
    answers = {}
    for email in ("known@example.com", "fresh@example.com"):
        response = Client().post(BASE + "signup/", {"email": email, "country": "RU"})
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())  # random per request
        answers[email] = (response.status_code, page.replace(email, "EMAIL"))
    assert answers["known@example.com"] == answers["fresh@example.com"]
    known, fresh = mail.outbox
    assert "You already have an account" in known.body and BASE + "login/" in known.body
    assert BASE + "signup/" in fresh.body
    assert not Viewer.objects.filter(user__email="fresh@example.com").exists()  # nothing until the link is followed


def test_a_forged_or_foreign_sign_up_link_creates_nothing(platform, org_b):
    from .viewing import make_platform as other

    Client().post(BASE + "signup/", {"email": "new@example.com", "country": "RU"})
    link = _emailed_link()
    forged = Client().post(link[:-3] + "xx/", {"password": PASSWORD})
    assert forged.status_code == 422 and "not valid or has expired" in forged.content.decode()
    other(org_b, slug="tv")
    foreign = Client().post(link.replace("/rus-media/kino/", "/shanghai-media/tv/"), {"password": PASSWORD})
    assert foreign.status_code == 422
    assert not Viewer.objects.exists()


def test_login_page_and_a_wrong_password(platform):
    viewer_of(platform)
    client = Client()
    assert client.post(BASE + "login/", {"username": "viewer@example.com", "password": "wrong"}).status_code == 200
    assert client.post(BASE + "login/", {"username": "viewer@example.com", "password": PASSWORD}).url == BASE


def test_the_player_starts_beats_and_stops_through_json(platform, film):
    viewer = viewer_of(platform)
    client = Client()
    client.force_login(viewer.user)
    assert client.get(f"{BASE}play/{film.pk}/").status_code == 200
    started = _post_json(client, f"{BASE}play/{film.pk}/start/").json()
    assert started["master_url"].startswith("/hls/") and started["resume_at"] == 0
    assert client.get(started["master_url"]).status_code == 200
    # heartbeats and stop need the session's playback token, not the cookie (nor a CSRF token)
    player = Client(enforce_csrf_checks=True)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {started['playback_token']}"}
    beat = player.post(started["heartbeat_url"], {"position": 3, "seconds": 3}, content_type="application/json", **bearer)
    assert beat.status_code == 200 and beat.json() == {"ok": True, "expires": started["expires"]}
    assert player.post(started["heartbeat_url"], {"position": 3, "seconds": 3}, content_type="application/json").status_code == 403
    stopped = player.post(started["stop_url"], {"position": 4}, content_type="application/json", **bearer)
    assert stopped.json()["position"] == 4.0
    assert _post_json(client, f"{BASE}play/{film.pk}/start/").json()["resume_at"] == 4.0
    assert "Continue watching" in client.get(BASE).content.decode()


def test_cards_link_to_their_title_escape_it_and_show_progress_a_browser_can_read(platform, film, org_a):
    from django.urls import reverse

    odd = make_work(org_a, "odd", ratings=[("RU", "MKRF", "0+")], titles={"en": "Tom & Jerry <3", "ru": "Том & Джерри <3"})
    hold(org_a, [odd])
    ready_asset(org_a, odd, platform)
    viewer = viewer_of(platform)
    client = Client()
    client.force_login(viewer.user)
    started = _post_json(client, f"{BASE}play/{film.pk}/start/").json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {started['playback_token']}"}
    Client().post(started["stop_url"], {"position": 2.5}, content_type="application/json", **bearer)
    for language in ("ru", "zh-hans", "en"):
        home = client.get(BASE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for work in (film, odd):
            assert f'<a href="{reverse("cinema:title", args=["rus-media", "kino", work.pk])}">' in home, language
        assert "<3" not in home and "&amp; " in home and "&lt;3" in home, language  # the title is text, not markup
        bar = re.search(r'<progress max="([^"]+)" value="([^"]+)">', home)
        assert bar and (float(bar[1]), float(bar[2])) == (6.0, 2.5), language  # "6,0" in Russian: a bar no browser draws
    results = client.get(BASE + "search/?q=brother").content.decode()
    assert f'<a href="{reverse("cinema:title", args=["rus-media", "kino", film.pk])}">' in results


def test_a_form_encoded_beat_or_stop_on_the_storefront_is_answered_not_crashed(platform, film):
    """The form middleware reads a form post's body first (after which Django refuses
    `request.body`): the storefront's beat and stop read its fields as the JSON they stand for,
    through the reader the stream routes use (`core.http.json_body`)."""
    viewer = viewer_of(platform)
    client = Client()
    client.force_login(viewer.user)
    session = _post_json(client, f"{BASE}play/{film.pk}/start/").json()["session"]
    beat = client.post(f"{BASE}sessions/{session}/heartbeat/", {"position": "3", "seconds": "3"}, HTTP_ACCEPT="application/json")
    assert beat.status_code == 200 and "base_url" in beat.json()
    stopped = client.post(f"{BASE}sessions/{session}/stop/", {"position": "4"}, HTTP_ACCEPT="application/json")
    assert stopped.status_code == 200 and stopped.json() == {"position": 4.0}
    assert PlaybackSession.objects.get(public_id=session).position == 4.0


def test_refusals_reach_the_player_as_json_and_pages_as_messages(platform, film):
    viewer = viewer_of(platform, subscribed=False)
    client = Client()
    client.force_login(viewer.user)
    refused = _post_json(client, f"{BASE}play/{film.pk}/start/")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert client.get(f"{BASE}titles/999999/").status_code == 404


def test_a_kids_profile_hides_adult_titles(platform, film):
    viewer = viewer_of(platform)
    client = Client()
    client.force_login(viewer.user)
    client.post(BASE + "profiles/", {"name": "Kids", "is_kids": "1", "pin": "2468"})
    kids = viewer.profiles.get(name="Kids")
    assert kids.max_age == 12
    client.post(BASE + "profiles/", {"choose": kids.pk})
    assert "Brother" not in client.get(BASE).content.decode()
    assert client.get(f"{BASE}titles/{film.pk}/").status_code == 404
    assert _post_json(client, f"{BASE}play/{film.pk}/start/").status_code == 404


def test_renting_through_the_title_page(platform, org_a):
    premiere = make_work(org_a, "premiere", ratings=[("RU", "MKRF", "0+")])
    hold(org_a, [premiere], media=["tvod"])
    ready_asset(org_a, premiere, platform)
    viewer = viewer_of(platform, subscribed=False)
    client = Client()
    client.force_login(viewer.user)
    assert "Rent for 48 hours" in client.get(f"{BASE}titles/{premiere.pk}/").content.decode()
    pay(client, f"{BASE}titles/{premiere.pk}/rent/")
    assert Rental.objects.filter(viewer=viewer, work=premiere).exists()
    assert _post_json(client, f"{BASE}play/{premiere.pk}/start/").status_code == 200
    assert PlaybackSession.objects.get().media == "tvod"


def test_a_member_of_an_organisation_may_open_a_viewer_account_elsewhere(platform, film, user_b, org_b):
    other = make_platform(org_b, slug="other")
    viewer_of(other, email=user_b.email.replace("@", "+v@"))
    client = Client()
    client.force_login(user_b)
    page = client.get(BASE)
    assert page.status_code == 200 and "Brother" not in page.content.decode()  # an offer to sign up, nothing else


def test_the_account_page_never_redirects_off_site(platform):
    viewer = viewer_of(platform, subscribed=False)
    client = Client()
    client.force_login(viewer.user)
    assert pay(client, BASE + "account/", {"next": "https://evil.example/phish"}).url == BASE + "account/"
    assert pay(client, BASE + "account/", {"next": "//evil.example/phish"}).url == BASE + "account/"
    assert pay(client, BASE + "account/", {"next": BASE + "search/"}).url == BASE + "search/"


def test_the_viewers_country_follows_forwarded_for_only_from_a_trusted_proxy(platform, settings, monkeypatch):
    from kinomost.cinema import storefront
    from kinomost.core.http import parse_trusted_proxies

    settings.CINEMA_GEOIP2_COUNTRY_DB = "/nonexistent/GeoLite2-Country.mmdb"
    monkeypatch.setattr(storefront, "_geoip_country", lambda ip: {"203.0.113.7": "DE", "127.0.0.1": None}.get(ip))
    client = Client()
    client.force_login(viewer_of(platform).user)
    chosen = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}  # the test client connects from 127.0.0.1
    assert "watching from Russia" in client.get(BASE + "account/", **chosen).content.decode()
    settings.KINOMOST_TRUSTED_PROXIES = parse_trusted_proxies("127.0.0.1")
    assert "watching from Germany" in client.get(BASE + "account/", **chosen).content.decode()
