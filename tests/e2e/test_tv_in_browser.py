"""The TV app with the real viewer API, by the keyboard only (a remote's arrows, OK and Back):
pair by code approved from a second browser signed in as the viewer, choose profiles (the kids
PIN to leave), browse rows, open a title, and back out; play a real encrypted HLS package,
see the time advance, change the audio and the subtitles, and stop by Back."""

import json
import re

import pytest

from kinomost.cinema import beats, services, viewers
from kinomost.demo.cinema import register_tv_app
from kinomost.cinema.services import IngestRequest
from kinomost.cinema.viewing_models import PlaybackSession
from kinomost.cinema.worker import run_worker
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.cinema.conftest import SUBTITLES_RU, make_clip
from tests.cinema.viewing import PASSWORD, hold, main_profile, make_platform, make_work, ready_asset, viewer_of
from tests.e2e.studio import assert_clean, shot, watch_console

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KIDS_PIN = "2468"


def _tv(browser, language="en-GB"):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale=language)
    page = watch_console(context.new_page())
    page.set_default_timeout(15_000)
    page.requests_seen = []
    page.on(
        "requestfinished",
        lambda r: page.requests_seen.append((r.url.split("/kino/")[-1], r.post_data, r.response().status)) if "/api/" in r.url else None,
    )
    return context, page


def _focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? (e.id || e.dataset.profile || e.dataset.work || e.textContent) : ''; }"
    )


def _press(page, *keys):
    for key in keys:
        page.keyboard.press(key)


def _until_focused(page, selector: str):
    page.wait_for_function("(s) => document.activeElement && document.activeElement.matches(s)", arg=selector)


def _approve_on_phone(browser, live_server, code_url: str, email: str):
    """The viewer opens the QR code's address on a phone, signs in and approves the TV."""
    context = browser.new_context(locale="en-GB")
    phone = context.new_page()
    phone.goto(code_url)
    phone.fill("#viewer-login input[name=username]", email)
    phone.fill("#viewer-login input[name=password]", PASSWORD)
    phone.click("#viewer-login button[type=submit]")
    phone.wait_for_selector("button[value=approve]")
    assert "Kinomost TV" in phone.inner_text("main")
    phone.click("button[value=approve]")
    phone.wait_for_selector("p.ok")
    context.close()


@pytest.fixture
def catalogue(org_a):
    """A platform whose TV app is registered, a viewer with a main and a kids profile, a film
    for grown-ups (16+) and a cartoon (0+), both with hand-written ready packages."""
    platform = make_platform(org_a, media=("svod",))
    register_tv_app(platform)
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "16+")], titles={"en": "Northern Lights", "ru": "Северное сияние"})
    cartoon = make_work(org_a, "cartoon", ratings=[("RU", "MKRF", "0+")], titles={"en": "Little Bear", "ru": "Медвежонок"})
    hold(org_a, [film, cartoon], media=["svod"])
    ready_asset(org_a, film, platform)
    ready_asset(org_a, cartoon, platform)
    viewer = viewer_of(platform)
    viewers.create_profile(viewer, name="Misha", is_kids=True, max_age=6, pin=KIDS_PIN)
    return platform, viewer, film, cartoon


def test_pair_by_code_choose_profiles_browse_and_back_out_by_remote(live_server, browser, catalogue):
    platform, viewer, film, cartoon = catalogue
    context, tv = _tv(browser)
    tv.goto(f"{live_server.url}/tv/{platform.organisation.slug}/{platform.slug}/")
    tv.wait_for_selector("#user-code")
    code = tv.inner_text("#user-code")
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", code)
    qr_text = tv.get_attribute("svg.qr", "data-qr-text")
    assert qr_text.startswith(f"{live_server.url}/watch/{platform.organisation.slug}/{platform.slug}/activate/") and code in qr_text
    assert tv.inner_text("#pair-uri") == qr_text.split("?")[0]
    shot(tv, "tv-pairing")

    _approve_on_phone(browser, live_server, qr_text, viewer.user.email)
    tv.wait_for_selector("[data-profile]", timeout=30_000)  # the next poll (every 5 s) brings the tokens
    main, kids = main_profile(viewer), viewer.profiles.get(is_kids=True)
    assert _focused(tv) == str(main.pk)  # the device's profile has the focus
    shot(tv, "tv-profiles")

    _press(tv, "ArrowRight", "Enter")  # Misha, the kids profile: entering it needs no PIN
    tv.wait_for_selector(".card")
    assert tv.inner_text("#tv-profile").startswith("Misha")
    titles = tv.eval_on_selector_all(".card", "cards => cards.map(c => c.textContent)")
    assert "Little Bear" in titles and "Northern Lights" not in titles  # 16+ is not for a 6-year-old
    assert _focused(tv) == str(cartoon.pk)

    _press(tv, "ArrowUp")  # from the first row up to the menu
    _until_focused(tv, "#menu-search")
    _press(tv, "ArrowRight", "Enter")  # Profile
    tv.wait_for_selector("[data-profile]")
    _until_focused(tv, f"[data-profile='{kids.pk}']")
    _press(tv, "ArrowLeft", "Enter")  # leaving the kids profile: the PIN pad
    tv.wait_for_selector("#pin-field")
    _press(tv, "9", "9", "9", "9")  # digits straight from a remote's number keys
    _press(tv, "ArrowDown", "ArrowDown")  # from "1" to "Clear" under the second row …
    _until_focused(tv, "#pin-clear")
    _press(tv, "ArrowRight", "Enter")  # … and "OK" beside it
    tv.wait_for_function("() => document.getElementById('pin-note').textContent.length > 0")
    assert "Wrong PIN" in tv.inner_text("#pin-note")
    _press(tv, *KIDS_PIN)
    _press(tv, "Enter")  # OK still has the focus
    tv.wait_for_function("() => document.querySelectorAll('.card').length >= 2")
    assert not tv.inner_text("#tv-profile").startswith("Misha")

    first_row = tv.eval_on_selector_all(".row:first-child .card", "cards => cards.map(c => c.dataset.work)")
    assert _focused(tv) == first_row[0]
    _press(tv, *["ArrowRight"] * first_row.index(str(film.pk)))  # along the first row to Northern Lights
    assert _focused(tv) == str(film.pk)
    _press(tv, "Enter")
    tv.wait_for_selector(".title h1")
    assert tv.inner_text(".title h1") == "Northern Lights" and "16+" in tv.inner_text(".facts")
    _until_focused(tv, "#play")
    shot(tv, "tv-title")
    _press(tv, "Escape")  # Back: home, the same poster focused
    tv.wait_for_selector(".card")
    assert _focused(tv) == str(film.pk)
    _press(tv, "Backspace")  # Back on home stays home (the TV's own Back would close the app)
    assert tv.evaluate("window.kinomostTv.stack()") == ["home"]
    assert_clean(tv, expected_errors=("/device/token)", "/profiles/"))  # RFC 8628's pending answers and the wrong PIN are 4xx
    context.close()


def test_the_interface_speaks_the_browsers_language_and_names_languages_in_it(live_server, browser, catalogue):
    platform, viewer, film, _cartoon = catalogue
    context, tv = _tv(browser, language="ru-RU")
    tv.goto(f"{live_server.url}/tv/{platform.organisation.slug}/{platform.slug}/")
    tv.wait_for_selector("#user-code")
    assert "Войдите на телевизоре" in tv.inner_text("h1")
    _sign_in_by_api(tv, live_server, platform, viewer)
    tv.wait_for_selector("[data-profile]")
    assert tv.inner_text("h1") == "Кто смотрит?"
    _press(tv, "Enter")
    tv.wait_for_selector(".card")
    assert "Северное сияние" in tv.inner_text(".rows")
    context.close()

    context, tv = _tv(browser, language="en-GB")
    tv.goto(f"{live_server.url}/tv/{platform.organisation.slug}/{platform.slug}/?lang=zh-Hans")
    tv.wait_for_selector("#user-code")
    assert tv.inner_text("h1") == "在电视上登录"
    context.close()


def _sign_in_by_api(tv, live_server, platform, viewer):
    """Tokens for the TV as the API's password sign-in gives them (pairing is the test above's)."""
    answer = tv.request.post(
        f"{live_server.url}/api/v1/viewer/{platform.organisation.slug}/{platform.slug}/auth/token",
        data=json.dumps({"email": viewer.user.email, "password": PASSWORD, "client_id": "kinomost-tv"}),
        headers={"Content-Type": "application/json"},
    )
    assert answer.ok, answer.text()
    tokens = answer.json()
    key = tv.evaluate("() => JSON.parse(document.getElementById('tv-config').textContent).storageKey")
    tv.evaluate(
        "([k, t]) => localStorage.setItem(k, JSON.stringify({access: t.access_token, refresh: t.refresh_token, "
        "expiresAt: Date.now() + t.expires_in * 1000}))",
        [key, tokens],
    )
    tv.reload()


@pytest.fixture
def film_with_languages(org_a, settings, tmp_path):
    """A film ingested by the real pipeline: two audio languages, Russian subtitles, AES-128."""
    settings.CINEMA_HLS_ROOT = tmp_path / "hls"
    settings.CINEMA_PRIVATE_ROOT = tmp_path / "private"
    platform = make_platform(org_a, media=("svod",))
    register_tv_app(platform)
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "12+")], titles={"en": "Northern Lights", "ru": "Северное сияние"})
    hold(org_a, [film], media=["svod"])
    subs = tmp_path / "film.ru.srt"
    subs.write_bytes(SUBTITLES_RU.encode("cp1251"))
    operator = Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR)
    services.start_ingest(
        operator,
        IngestRequest(work=film, master=make_clip(tmp_path / "film.mp4"), subtitles=[("ru", subs)], ladder=[180, 144], platform=platform),
    )
    assert run_worker(until_empty=True) == 1
    return platform, film, viewer_of(platform)


def test_play_change_audio_and_subtitles_then_back_out_by_remote(live_server, browser, film_with_languages, settings):
    platform, film, viewer = film_with_languages
    settings.CINEMA_HEARTBEAT_SECONDS = 1  # the TV beats every second: its beats are seen below
    context, tv = _tv(browser)
    tv.goto(f"{live_server.url}/tv/{platform.organisation.slug}/{platform.slug}/")
    tv.wait_for_selector("#user-code")
    _sign_in_by_api(tv, live_server, platform, viewer)
    tv.wait_for_selector(".card")  # one profile: straight home
    _press(tv, "Enter")
    _until_focused(tv, "#play")
    languages = tv.inner_text(".languages")  # named in the reader's language by the API
    assert "Russian" in languages and "English" in languages and "Subtitles: Russian" in languages
    posted = []
    tv.on("request", lambda request: posted.append(request.url) if request.method == "POST" else None)
    _press(tv, "Enter")
    tv.wait_for_function("() => window.kinomostTv.player && window.kinomostTv.player.video.currentTime > 1", timeout=30_000)
    first = tv.evaluate("window.kinomostTv.player.video.currentTime")
    tv.wait_for_function(f"() => window.kinomostTv.player.video.currentTime > {first + 0.5}")
    tv.wait_for_function("() => window.kinomostTv.player.video.currentTime > 2.5")  # a beat or two sent
    beats.drain()
    beaten = PlaybackSession.objects.get()
    assert beaten.first_beat_at is not None and beaten.position > 0  # the TV's beats arrived
    # by the start's heartbeat_url and playback token (the path in front of Django), not the API's
    assert any(f"/playback/{beaten.public_id}/heartbeat?position=" in url for url in posted), posted
    assert not any(url.endswith(f"/sessions/{beaten.public_id}/heartbeat") for url in posted), posted

    _press(tv, "ArrowUp")  # any key shows the controls, focus on play/pause
    _until_focused(tv, "#player-toggle")
    _press(tv, "ArrowRight", "Enter")  # Audio
    tv.wait_for_selector("#player-menu .menu-item")
    assert tv.locator("#player-menu .menu-item").count() == 2
    _press(tv, "ArrowRight", "Enter")  # the second language
    tv.wait_for_function("() => window.kinomostTv.player.hls.audioTrack === 1")
    assert tv.is_hidden("#player-menu")  # the choice closes the menu
    _until_focused(tv, "#player-audio")
    _press(tv, "ArrowRight", "Enter")  # Subtitles: Off, Russian
    tv.wait_for_selector("#player-menu .menu-item")
    assert tv.locator("#player-menu .menu-item").count() == 2
    _press(tv, "ArrowRight", "Enter")
    tv.wait_for_function(
        "() => window.kinomostTv.player.hls.subtitleTrack === 0 && "
        "Array.from(window.kinomostTv.player.video.textTracks).some(t => t.mode === 'showing')"
    )
    now = tv.evaluate("window.kinomostTv.player.video.currentTime")
    tv.wait_for_function(f"() => window.kinomostTv.player.video.currentTime > {now + 0.3}")  # still playing after the switches
    shot(tv, "tv-player")

    tv.keyboard.press("Escape")  # Back: the title again, the session stopped where it was
    tv.wait_for_selector(".title h1")  # at once: the stop goes on in the background
    session = PlaybackSession.objects.get()
    for _ in range(100):
        session.refresh_from_db()
        if session.ended_at is not None:
            break
        tv.wait_for_timeout(100)
    assert session.ended_at is not None and session.position > 1
    _press(tv, "Escape")
    tv.wait_for_selector(".card")
    assert_clean(tv)
    context.close()
