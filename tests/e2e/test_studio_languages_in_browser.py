"""The studio in Russian and Chinese, in Chromium: date inputs keep their ISO values (the browser
shows them in the reader's format), codes appear as names, pickers list names in the reader's
language, the media tree ticks a group's leaves, times carry their zone, and the navigation
fits a 390-px phone."""

import re

import pytest

from kinomost.exchange.models import Notification, NotificationKind
from tests.e2e.studio import assert_clean, shot, sign_in, watch_console
from tests.rights.conftest import give, hold, make_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "ru": {
        "lang": "ru",
        "groups": ["Большой Китай", "Содружество Независимых Государств"],
        "media": "Видео по запросу",
        "china": "Китай",
        "zone": "(Москва, GMT+03:00)",
        "switch": "Русский",
    },
    "zh-Hans": {
        "lang": "zh-hans",
        "groups": ["大中华区", "独立国家联合体"],
        "media": "视频点播",
        "china": "中国",
        "zone": "(莫斯科, GMT+03:00)",
        "switch": "简体中文",
    },
}
RAW_CODES = re.compile(r"GREATER_CHINA|\bCIS\b|theatrical,|\bsvod\b|\bgranted\b|rus-media|shanghai-media")


def _reader(browser, language):
    context = browser.new_context(locale=language)
    page = watch_console(context.new_page())
    page.set_default_timeout(15_000)
    return context, page


def _choose_language(page, live_server, words):
    page.goto(f"{live_server.url}/")
    page.click(f"#language-switcher button:has-text('{words['switch']}')")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == words["lang"]


@pytest.mark.parametrize("language", ["ru", "zh-Hans"])
def test_studio_pages_speak_the_readers_language(live_server, browser, user_a, org_a, org_b, language):
    words = WORDS[language]
    film = make_work(org_a, "brother")
    hold(org_a, [film], territories=["GREATER_CHINA", "CIS"], media=["theatrical", "tv", "vod"], ref="ACQ-GROUPS")
    give(org_a, org_b, [film], territories="CN", media="svod", ref="LIC-CN")
    Notification.objects.create(organisation=org_a, kind=NotificationKind.MESSAGE, data={"deal_name": "Spring package"})
    context, page = _reader(browser, language)
    try:
        sign_in(page, live_server, user_a)
        _choose_language(page, live_server, words)

        page.goto(f"{live_server.url}/studio/rights/")
        table = page.locator("table.list").inner_text()
        for group in words["groups"]:
            assert group in table
        assert words["media"] in table and words["china"] in table
        assert not RAW_CODES.search(table), RAW_CODES.search(table)

        page.goto(f"{live_server.url}/studio/exchange/offers/new/")
        start = page.input_value("input[name=start]")
        assert re.fullmatch(r"\d{4}-01-01", start), f"the offer's start is empty in {language}: {start!r}"

        page.goto(f"{live_server.url}/studio/rights/")
        page.click("a:has-text('ACQ-GROUPS')")
        page.wait_for_load_state()
        terminate_on = page.input_value("input[name=on]")  # the terminate form's default: today
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", terminate_on), f"the terminate date is empty in {language}: {terminate_on!r}"

        page.goto(f"{live_server.url}/studio/exchange/inbox/")
        assert words["zone"] in page.locator("#inbox").inner_text()
        assert_clean(page)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ru", "zh-Hans"])
def test_pickers_list_names_and_the_media_tree_ticks_a_group(live_server, browser, user_a, org_a, org_b, language):
    words = WORDS[language]
    make_work(org_a, "brother")
    context, page = _reader(browser, language)
    try:
        sign_in(page, live_server, user_a)
        _choose_language(page, live_server, words)
        page.goto(f"{live_server.url}/studio/rights/holdings/new/")
        page.locator("input[name=territories]").press_sequentially(words["china"][:2], delay=30)
        option = page.locator(".picker-list li", has_text=f"{words['china']} · CN").first
        option.wait_for()
        option.click()
        assert "CN" in page.input_value("input[name=territories]")

        page.check("input[name=media][value=vod]")
        assert page.is_checked("input[name=media][value=svod]") and page.is_checked("input[name=media][value=tvod]")
        page.uncheck("input[name=media][value=tvod]")
        assert not page.is_checked("input[name=media][value=vod]")
        assert not RAW_CODES.search(page.locator("form.record-form").inner_text())
        assert_clean(page)
    finally:
        context.close()


def test_the_studio_navigation_fits_a_phone(live_server, browser, user_a):
    context = browser.new_context(locale="ru", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = watch_console(context.new_page())
    try:
        sign_in(page, live_server, user_a)
        _choose_language(page, live_server, WORDS["ru"])
        for path in ("/", "/studio/rights/", "/studio/exchange/"):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            for link in page.locator("nav.main-nav a").all():
                box = link.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (path, link.inner_text())
        page.locator("nav.main-nav a").nth(2).click()  # «Права»
        page.wait_for_url(f"{live_server.url}/studio/rights/")
        shot(page, "phone-rights")
    finally:
        context.close()
