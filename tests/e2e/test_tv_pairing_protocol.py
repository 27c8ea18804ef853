"""The TV app's side of RFC 8628 and of bearer tokens, against a scripted service (Playwright
answers the viewer API's requests), so that every answer the standard allows is tried: the
code and QR code shown, polls at `interval`, 5 s more after `slow_down`, a new code after
`expired_token`, a message and a retry after `access_denied`, tokens kept and refreshed once
when the access token is refused. The real service is in test_tv_in_browser.py."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.cinema.viewing import make_platform
from tests.e2e.studio import assert_clean

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

CODE = {
    "device_code": "dev-1",
    "user_code": "BCDF-GHJK",
    "verification_uri": "http://tv.test/watch/o/p/activate/",
    "verification_uri_complete": "http://tv.test/watch/o/p/activate/?code=BCDF-GHJK",
    "expires_in": 600,
    "interval": 2,
}
TOKENS = {"access_token": "kva_1", "token_type": "Bearer", "expires_in": 900, "refresh_token": "kvr_1"}
PROFILES = {
    "profiles": [
        {"id": 1, "name": "Anna", "is_kids": False, "max_age": None, "current": True},
        {"id": 2, "name": "Misha", "is_kids": True, "max_age": 6, "current": False},
    ]
}


class Service:
    """Answers the API's paths from queues of (status, body); records every request."""

    def __init__(self):
        self.queues: dict[str, list] = {}
        self.seen: list[tuple[str, dict, dict]] = []

    def answer(self, path: str, *answers):
        self.queues.setdefault(path, []).extend(answers)

    def __call__(self, route):
        request = route.request
        path = request.url.split("/api/v1/viewer/", 1)[1].split("/", 2)[2].split("?")[0]
        body = json.loads(request.post_data) if request.post_data else {}
        self.seen.append((path, body, request.headers))
        queue = self.queues.get(path) or [(404, {"error": "not_found", "message": "no such thing", "details": []})]
        status, answer = queue.pop(0) if len(queue) > 1 else queue[0]
        route.fulfill(status=status, content_type="application/json", body=json.dumps(answer))

    def count(self, path: str) -> int:
        return sum(1 for p, _b, _h in self.seen if p == path)


def _pending():
    return (400, {"error": "authorization_pending", "message": "waiting", "details": [], "error_description": "waiting"})


@pytest.fixture
def tv(live_server, browser, org_a):
    platform = make_platform(org_a)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    page = context.new_page()
    from tests.e2e.studio import watch_console

    watch_console(page)
    page.set_default_timeout(20_000)  # a machine shared by parallel test processes can be slow
    service = Service()
    page.route("**/api/v1/viewer/**", service)
    page.clock.install(time=START)
    page.clock.pause_at(START + timedelta(seconds=5))  # from here time moves only when a test says, before the page even starts
    page.url_of_app = f"{live_server.url}/tv/{org_a.slug}/{platform.slug}/"
    yield page, service
    context.close()


def _advance(page, service, ms: int, path: str, expect: int):
    """Move the page's clock on and wait (in real time) until `path` has been asked `expect` times.
    First half a second of real time, so the page has handled the last answer and set its next
    timer: moved on before that, the paused clock would leave the timer behind (seen on a loaded
    machine: the second poll never came)."""
    time.sleep(0.5)
    page.clock.run_for(ms)
    deadline = time.monotonic() + 15
    while service.count(path) < expect and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert service.count(path) == expect, (path, service.count(path), expect)


def _until(page, condition: str):
    """Wait in real time for a condition on the page (wait_for_function's timers are the page's, paused here)."""
    deadline = time.monotonic() + 15
    while not page.evaluate(condition) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert page.evaluate(condition), (condition, page.inner_text("#screen"))


def test_code_and_qr_shown_polls_at_the_interval_slowing_down_when_told(tv):
    page, service = tv
    service.answer("device/code", (200, CODE))
    service.answer(
        "device/token",
        _pending(),
        (400, {"error": "slow_down", "message": "slow", "details": [], "error_description": "slow"}),
        _pending(),
        (200, TOKENS),
    )
    service.answer("profiles", (200, PROFILES))
    page.goto(page.url_of_app)
    page.wait_for_selector("#user-code")
    assert page.inner_text("#user-code") == "BCDF-GHJK"
    assert page.inner_text("#pair-uri") == CODE["verification_uri"]
    qr = page.locator("svg.qr")
    assert qr.get_attribute("data-qr-text") == CODE["verification_uri_complete"]
    assert len(qr.locator("path").get_attribute("d")) > 1000  # a real symbol: hundreds of dark modules
    assert service.seen[0][1] == {"client_id": "kinomost-tv"}

    _advance(page, service, 1500, "device/token", 0)  # not before `interval` (2 s)
    _advance(page, service, 600, "device/token", 1)  # pending
    _advance(page, service, 2000, "device/token", 2)  # → slow_down: the interval becomes 7 s
    _advance(page, service, 6500, "device/token", 2)
    _advance(page, service, 600, "device/token", 3)  # pending
    _advance(page, service, 7000, "device/token", 4)  # approved
    grant = [b for p, b, _h in service.seen if p == "device/token"][0]
    assert grant == {"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": "dev-1", "client_id": "kinomost-tv"}

    page.wait_for_selector("[data-profile='2']")  # two profiles: the TV asks who is watching
    profiles_call = [h for p, _b, h in service.seen if p == "profiles"][0]
    assert profiles_call["authorization"] == "Bearer kva_1"
    assert (
        json.loads(page.evaluate("localStorage.getItem(JSON.parse(document.getElementById('tv-config').textContent).storageKey)"))[
            "refresh"
        ]
        == "kvr_1"
    )
    assert page.evaluate("document.activeElement.dataset.profile") == "1"  # the device's current profile has the focus
    assert service.count("device/code") == 1  # one code for the whole wait
    assert_clean(page, expected_errors=("/device/token)",))  # RFC 8628 answers "pending" with 400, which Chromium logs


def test_an_expired_code_is_replaced_and_a_denied_one_can_be_retried_by_the_remote(tv):
    page, service = tv
    second = dict(CODE, device_code="dev-2", user_code="LMNP-QRST", verification_uri_complete=CODE["verification_uri"] + "?code=LMNP-QRST")
    third = dict(CODE, device_code="dev-3", user_code="VWXZ-BCDF")
    service.answer("device/code", (200, CODE), (200, second), (200, third))
    service.answer(
        "device/token",
        (400, {"error": "expired_token", "message": "expired", "details": [], "error_description": "x"}),
        (400, {"error": "access_denied", "message": "denied", "details": [], "error_description": "x"}),
        _pending(),
    )
    page.goto(page.url_of_app)
    page.wait_for_selector("#user-code")
    _advance(page, service, 2100, "device/token", 1)
    _until(page, "() => document.getElementById('user-code') && document.getElementById('user-code').textContent === 'LMNP-QRST'")
    assert "expired" in page.inner_text("#pair-note")
    assert page.locator("svg.qr").get_attribute("data-qr-text").endswith("LMNP-QRST")

    _advance(page, service, 2100, "device/token", 2)
    _until(page, "() => document.getElementById('pair-note').textContent.indexOf('refused') >= 0")
    assert page.evaluate("document.activeElement.id") == "pair-retry"
    page.keyboard.press("Enter")
    _until(page, "() => document.getElementById('user-code') && document.getElementById('user-code').textContent === 'VWXZ-BCDF'")
    assert service.count("device/code") == 3


def test_a_refused_access_token_is_refreshed_once_and_a_refused_refresh_pairs_again(tv):
    page, service = tv
    page.goto(page.url_of_app + "?lang=en")
    key = page.evaluate("JSON.parse(document.getElementById('tv-config').textContent).storageKey")
    page.evaluate(
        "([k, t]) => localStorage.setItem(k, JSON.stringify(t))", [key, {"access": "kva_old", "refresh": "kvr_old", "expiresAt": 10**13}]
    )
    service.answer("profiles", (401, {"error": "unauthorized", "message": "expired", "details": []}), (200, PROFILES))
    service.answer("auth/refresh", (200, dict(TOKENS, access_token="kva_new", refresh_token="kvr_new")))
    service.seen.clear()  # the first load, signed out, asked for a code
    page.reload()
    page.wait_for_selector("[data-profile='2']")
    calls = [(p, b, h.get("authorization")) for p, b, h in service.seen]
    assert calls[0] == ("profiles", {}, "Bearer kva_old")
    assert calls[1][0] == "auth/refresh" and calls[1][1]["refresh_token"] == "kvr_old"
    assert calls[2] == ("profiles", {}, "Bearer kva_new")

    service.queues["profiles"] = [(401, {"error": "unauthorized", "message": "revoked", "details": []})]
    service.queues["auth/refresh"] = [(401, {"error": "unauthorized", "message": "revoked", "details": []})]
    service.answer("device/code", (200, CODE))
    service.answer("device/token", _pending())
    page.reload()
    page.wait_for_selector("#user-code")  # signed out on this TV: pairing again
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
