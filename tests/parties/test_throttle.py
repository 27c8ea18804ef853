"""Sign-in throttling (docs/security-accounts.md): wrong passwords lock the username + IP pair,
one IP is bounded across usernames, invalid API keys from one IP are answered 429 — each locked
answer clear, translated and with Retry-After."""

import pytest
from django.test import Client

from kinomost.cinema.viewing_models import Viewer  # noqa: F401  (the storefront's app is installed)
from tests.cinema.viewing import make_platform, viewer_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _wrong(client, url, username, times):
    return [client.post(url, {"username": username, "password": "wrong"}).status_code for _ in range(times)]


def test_studio_sign_in_locks_the_pair_after_five_failures_even_for_the_right_password(user_a):
    client = Client()
    assert _wrong(client, "/login/", user_a.email, 4) == [200] * 4
    locked = client.post("/login/", {"username": user_a.email, "password": "wrong"})
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 15 * 60
    assert "Sign-in is locked for 15 minutes" in locked.content.decode()
    right = client.post("/login/", {"username": user_a.email, "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # another person from the same address is not locked by someone else's failures
    assert Client().post("/login/", {"username": "li@smg.example", "password": "wrong"}).status_code == 200


def test_the_locked_page_is_translated(user_a):
    client = Client()
    client.cookies["django_language"] = "ru"
    _wrong(client, "/login/", user_a.email, 5)
    page = client.post("/login/", {"username": user_a.email, "password": PASSWORD}).content.decode()
    assert "Слишком много неудачных попыток входа" in page


def test_the_lock_ends_after_its_minutes(user_a, settings):
    settings.AXES_COOLOFF_TIME = 0.0001  # hours: a lock of a third of a second
    client = Client()
    _wrong(client, "/login/", user_a.email, 5)
    import time

    time.sleep(0.5)
    assert client.post("/login/", {"username": user_a.email, "password": PASSWORD}).status_code == 302


def test_one_address_is_bounded_across_usernames(user_a, settings):
    settings.KINOMOST_LOGIN_FAILURES_PER_IP = 6
    client = Client()
    assert set(
        _wrong(client, "/login/", "nobody-{}@example.com", 1)
        + [client.post("/login/", {"username": f"n{i}@example.com", "password": "x"}).status_code for i in range(5)]
    ) == {200}
    refused = client.post("/login/", {"username": user_a.email, "password": PASSWORD})  # even the right password
    assert refused.status_code == 429 and "Sign-in is locked" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 15 * 60


def test_storefront_sign_in_is_throttled_on_its_own_page(org_a):
    platform = make_platform(org_a)
    viewer_of(platform)
    client = Client()
    base = "/watch/rus-media/kino/login/"
    assert _wrong(client, base, "viewer@example.com", 5) == [200] * 4 + [429]
    page = client.post(base, {"username": "viewer@example.com", "password": PASSWORD})
    assert page.status_code == 429 and "Sign-in is locked for 15 minutes" in page.content.decode()
    assert platform.name in page.content.decode()  # the storefront's own page, not a bare error


def test_invalid_api_keys_from_one_address_are_answered_429_with_retry_after(token_a, settings):
    settings.KINOMOST_API_KEY_FAILURES_PER_IP = 3
    client = Client()
    codes = [client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer km_guess{i}_x").status_code for i in range(3)]
    assert codes == [401, 401, 401]
    refused = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token_a}")  # even a valid key, from there
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    body = refused.json()
    assert body["error"] == "too_many_attempts" and body["details"] == [] and "Try again in" in body["message"]
    other = Client(REMOTE_ADDR="198.51.100.4").get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert other.status_code == 200  # another address is not affected
