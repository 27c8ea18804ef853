"""A viewer signs in, finds a film, plays it (real ffmpeg package, AES-128, hls.js), sees the time
advance, switches the audio language and the subtitles, leaves and resumes where they left."""

import pytest

from kinomost.cinema import beats, services
from kinomost.cinema.services import IngestRequest
from kinomost.cinema.viewing_models import PlaybackSession
from kinomost.cinema.worker import run_worker
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.factories import SUBTITLES_RU, make_clip
from tests.cinema.viewing import PASSWORD, hold, make_platform, make_work, viewer_of
from tests.e2e.studio import assert_clean, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def film_on_platform(org_a, settings, tmp_path):
    settings.CINEMA_HLS_ROOT = tmp_path / "hls"
    settings.CINEMA_PRIVATE_ROOT = tmp_path / "private"
    platform = make_platform(org_a, media=("svod",))
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
    return platform, film


def _player_time(page) -> float:
    return page.evaluate("window.kinomostPlayer.video.currentTime")


def _wait_playing(page, beyond: float):
    page.wait_for_function("() => window.kinomostPlayer && window.kinomostPlayer.video.readyState >= 2")
    if page.evaluate("window.kinomostPlayer.video.paused"):
        page.click("#play-toggle")
    page.wait_for_function(f"() => window.kinomostPlayer.video.currentTime > {beyond}", timeout=20_000)


def test_sign_in_find_play_switch_languages_leave_and_resume(live_server, page, film_on_platform, settings):
    platform, film = film_on_platform
    settings.CINEMA_HEARTBEAT_SECONDS = 1  # the player beats every second: its beats are seen below
    viewer = viewer_of(platform)
    base = f"{live_server.url}/watch/{platform.organisation.slug}/{platform.slug}/"

    page.goto(base)  # strangers are sent to sign in
    page.fill("#viewer-login input[name=username]", viewer.user.email)
    page.fill("#viewer-login input[name=password]", PASSWORD)
    page.click("#viewer-login button[type=submit]")
    page.wait_for_url(base)
    assert "Northern Lights" in page.inner_text("main")

    page.fill("input[name=q]", "северное")  # the catalogue's search, in another script
    page.press("input[name=q]", "Enter")
    page.click(".results .card a")
    page.wait_for_url(f"{base}titles/{film.pk}/")
    languages = page.inner_text(".languages")
    assert "Russian" in languages and "English" in languages
    shot(page, "watch-title")

    page.click("a.play")
    _wait_playing(page, 1.0)
    first = _player_time(page)
    page.wait_for_function(f"() => window.kinomostPlayer.video.currentTime > {first + 0.5}")

    audio = page.locator("#audio option")
    assert audio.count() == 2
    page.select_option("#audio", "1")
    page.wait_for_function("() => window.kinomostPlayer.hls.audioTrack === 1")
    page.select_option("#subtitles", "0")
    page.wait_for_function(
        "() => window.kinomostPlayer.hls.subtitleTrack === 0 && "
        "Array.from(window.kinomostPlayer.video.textTracks).some(t => t.mode === 'showing')"
    )
    now = _player_time(page)
    page.wait_for_function(f"() => window.kinomostPlayer.video.currentTime > {now + 0.3}")  # still playing after the switches
    shot(page, "watch-player")
    assert_clean(page)  # the storefront, the title page and hls.js (blob: media) under the Content-Security-Policy

    page.wait_for_function("() => window.kinomostPlayer.video.currentTime > 2.5")  # a beat or two sent
    beats.drain()
    beaten = PlaybackSession.objects.get()
    assert beaten.first_beat_at is not None and beaten.seconds_watched > 0 and beaten.position > 0  # the player's beats arrived

    page.focus("#player")
    page.keyboard.press(" ")  # space pauses
    page.wait_for_function("() => window.kinomostPlayer.video.paused")
    left_at = _player_time(page)
    page.click("#leave")
    page.wait_for_url(f"{base}titles/{film.pk}/")
    session = PlaybackSession.objects.get()
    assert session.ended_at is not None and abs(session.position - left_at) < 0.5

    page.click("a.play")
    page.wait_for_function("() => window.kinomostPlayer && window.kinomostPlayer.video.readyState >= 1")
    page.wait_for_function(f"() => Math.abs(window.kinomostPlayer.video.currentTime - {left_at}) < 1.0")
    assert PlaybackSession.objects.count() == 2


def test_buy_to_own_then_play(live_server, page, org_a, settings, tmp_path):
    """A film sold only to own (EST): the title page offers to buy it, a purchase through the test
    provider turns the offer into Play, and the player's start plays under EST."""
    from tests.cinema.viewing import ready_asset

    settings.CINEMA_HLS_ROOT = tmp_path / "hls"
    settings.CINEMA_PRIVATE_ROOT = tmp_path / "private"
    platform = make_platform(org_a, media=("svod", "est"))
    film = make_work(org_a, "owned", ratings=[("RU", "MKRF", "12+")], titles={"en": "Owned Film"})
    hold(org_a, [film], media=["est"])
    ready_asset(org_a, film, platform)
    viewer = viewer_of(platform, subscribed=False)
    base = f"{live_server.url}/watch/{platform.organisation.slug}/{platform.slug}/"

    page.goto(f"{base}titles/{film.pk}/")
    page.fill("#viewer-login input[name=username]", viewer.user.email)
    page.fill("#viewer-login input[name=password]", PASSWORD)
    page.click("#viewer-login button[type=submit]")
    page.wait_for_url(f"{base}titles/{film.pk}/")
    assert page.locator("a.play").count() == 0 and page.locator("[data-offer=svod]").count() == 0
    page.click("button[data-offer=est]")
    assert "Pay €14.99" in page.inner_text("main")  # the confirmation step: nothing charged yet
    page.click("button[data-confirm=est]")
    page.wait_for_url(f"{base}titles/{film.pk}/")
    assert "Bought" in page.inner_text(".messages") and "You own this title" in page.inner_text("main")
    shot(page, "watch-bought")
    with page.expect_response(lambda r: r.url.endswith(f"/play/{film.pk}/start/")) as started:
        page.click("a.play")
    assert started.value.status == 200
    assert PlaybackSession.objects.get().media == "est"
