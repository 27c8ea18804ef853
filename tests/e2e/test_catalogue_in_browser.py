"""A licensing manager signs in, switches the interface to Chinese and finds a work from any script."""

import pytest

from kinomost.catalog import services
from tests.e2e.studio import assert_clean, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stalingrad(org_a):
    return services.save_work(
        org_a,
        services.WorkInput(
            ref="RU-001",
            kind="feature",
            original_language="ru",
            year=2013,
            titles={"ru": "Сталинград", "zh-Hans": "斯大林格勒", "en": "Stalingrad"},
            synopses={"ru": "Осень 1942 года.", "zh-Hans": "1942年秋天。", "en": "Autumn 1942."},
        ),
    )[0]


def test_sign_in_switch_language_and_search_across_scripts(live_server, page, user_a, stalingrad):
    sign_in(page, live_server, user_a)

    page.click("#language-switcher button[value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "目录" in page.locator("nav.main-nav").inner_text()

    for query in ["斯大林", "sidalinggele", "stalingrad", "Сталинград"]:
        page.goto(f"{live_server.url}/studio/search/")
        page.fill("input[name=q]", query)
        page.press("input[name=q]", "Enter")
        page.wait_for_load_state()
        result = page.locator("ol.results li a").first
        assert result.inner_text() == "斯大林格勒", query

    result.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "斯大林格勒"
    assert "1942年秋天" in page.locator(".synopsis").inner_text()

    page.goto(f"{live_server.url}/studio/works/")
    assert "斯大林格勒" in page.locator("main").inner_text()
    assert_clean(page)  # the catalogue, search and the work's page run under the Content-Security-Policy
