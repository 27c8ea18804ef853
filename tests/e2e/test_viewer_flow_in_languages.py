"""The viewer's main flow on the demo's storefront (Longbo Kino, opened by `demo.cinema`), in a
Russian and a Chinese browser (issue 17, Tests): browse signed out, sign in, pick the profile,
open the premiere, confirm the premium rental's price (the confirmation step), play it and see the
time advance; every page in the browser's language, with its dates, names and money, and no raw
code (`svod`, `pvod`, `RU`, `granted` …) in what the viewer reads."""

import re

import pytest

from kinomost.cinema.viewing_models import Rental
from kinomost.cinema.worker import run_worker
from kinomost.demo import cinema as demo_cinema
from kinomost.demo import scenario
from kinomost.parties import services as parties
from tests.cinema.viewing import PASSWORD, make_work
from tests.e2e.studio import assert_clean, shot, watch_console

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo's two films this flow needs: one by subscription and the premiere (PVOD or EST).
FILM, PREMIERE = demo_cinema.FILMS[0], demo_cinema.PREMIERE
TITLES = {
    FILM: {"ru": "Северный ветер", "zh-Hans": "北风", "en": "North Wind"},
    PREMIERE: {"ru": "Последний паром", "zh-Hans": "最后的渡轮", "en": "The Last Ferry"},
}
# What a viewer must not read: codes of media, countries and states as the database keeps them.
RAW_CODES = re.compile(r"\b(svod|tvod|pvod|est|avod|RU|CN|granted|active|premiere)\b")
WORDS = {
    "ru": {
        "sign_in": "Войти",
        "confirm": "Подтвердите оплату",
        "premium": "Премьерный прокат",
        "price": "599,00\u00a0₽",  # CLDR (Babel): the rouble sign in Russian
        "rented": "Взято напрокат",
        "date": re.compile(r"\d{1,2} [а-я]+ \d{4}"),
        "cinema": "Лунбо Кино",
    },
    "zh-Hans": {
        "sign_in": "登录",
        "confirm": "确认付款",
        "premium": "首映租借",
        "price": "RUB599.00",  # CLDR (Babel): the code where zh has no sign for it
        "rented": "已租借",
        "date": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
        "cinema": "龙波影院",
    },
}


@pytest.fixture
def demo_storefront(settings, tmp_path):
    """The demo's organisations (named in three languages), its two films and the storefront the
    demo opens on them — platform, RUB prices, licences through the ledger, a subscribed viewer —
    with both films ingested into real encrypted HLS."""
    settings.CINEMA_HLS_ROOT = tmp_path / "hls"
    settings.CINEMA_PRIVATE_ROOT = tmp_path / "private"
    wanted = {"severny-media", "severny-films", "severny-tv", "longbo-video", "longbo-kino"}
    for slug, name, kind, country, parent in scenario.ORGANISATIONS:
        if slug in wanted:
            parties.create_organisation(
                slug=slug, name=name, names=scenario.ORGANISATION_NAMES[slug], kind=kind, country=country, parent_slug=parent
            )
    from kinomost.parties.selectors import organisation_by_slug

    films = organisation_by_slug("severny-films")
    for ref, titles in TITLES.items():
        make_work(films, ref, ratings=[("RU", "MKRF", "12+")], titles=titles)
    platform, queued = demo_cinema.open_storefront(PASSWORD)
    assert queued == 2 and run_worker(until_empty=True) == 2
    return platform


def _text(page) -> str:
    return page.inner_text("body")


def _no_raw_codes(page, where: str) -> None:
    found = RAW_CODES.findall(page.inner_text("main"))
    assert found == [], f"raw codes on the {where} page: {found}"


@pytest.mark.parametrize("language, locale", [("ru", "ru-RU"), ("zh-Hans", "zh-CN")])
def test_the_viewers_main_flow_in_the_browsers_language(live_server, browser, demo_storefront, language, locale):
    words = WORDS[language]
    context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": f"{locale},{language};q=0.9"})
    page = watch_console(context.new_page())
    page.set_default_timeout(45_000)  # a shared, loaded machine: the first storefront page builds its caches
    base = f"{live_server.url}/watch/longbo-kino/{demo_cinema.PLATFORM_SLUG}/"

    page.goto(base)  # browsing before signing in: the demo's storefront allows it
    assert TITLES[PREMIERE][language] in _text(page) and TITLES[FILM][language] in _text(page)
    assert words["sign_in"] in _text(page)
    _no_raw_codes(page, "signed-out home")
    page.click(f"text={TITLES[PREMIERE][language]}")
    assert words["premium"] in _text(page) and words["price"] in _text(page)  # the offer, priced, before signing in
    _no_raw_codes(page, "signed-out title")
    premiere_url = page.url

    page.goto(f"{base}login/?next=/watch/longbo-kino/{demo_cinema.PLATFORM_SLUG}/profiles/")
    page.fill("#viewer-login input[name=username]", demo_cinema.VIEWER_EMAIL)
    page.fill("#viewer-login input[name=password]", PASSWORD)
    page.click("#viewer-login button[type=submit]")
    page.wait_for_selector("form.profiles button[name=choose]")  # who is watching?
    _no_raw_codes(page, "profiles")
    page.click("form.profiles button[name=choose] >> nth=0")
    page.wait_for_url(base)

    page.goto(premiere_url)
    page.click("button[data-offer=pvod]")
    page.wait_for_selector("button[data-confirm=pvod]")  # the confirmation step: nothing is charged yet
    assert words["confirm"] in _text(page) and words["premium"] in _text(page) and words["price"] in _text(page)
    assert not Rental.objects.exists()
    _no_raw_codes(page, "confirmation")
    shot(page, f"storefront-confirm-{language}")
    page.click("button[data-confirm=pvod]")
    page.wait_for_selector("p.hint.rented")
    assert words["rented"] in _text(page)
    assert Rental.objects.get().media == "pvod"  # charged: the posted price was the one shown

    page.click("a.button.play")
    page.wait_for_function("() => window.kinomostPlayer && window.kinomostPlayer.video.readyState >= 2", timeout=45_000)
    if page.evaluate("window.kinomostPlayer.video.paused"):
        page.click("#play-toggle")
    page.wait_for_function("() => window.kinomostPlayer.video.currentTime > 1", timeout=45_000)
    _no_raw_codes(page, "player")

    page.goto(premiere_url)  # once started, the rental runs until a moment, written in the language
    hint = page.inner_text("p.hint.rented")
    assert words["date"].search(hint), hint
    _no_raw_codes(page, "rented title")
    page.goto(f"{base}account/")
    assert words["cinema"] in _text(page) or TITLES[PREMIERE][language] in _text(page)
    _no_raw_codes(page, "account")
    assert_clean(page)
    context.close()
