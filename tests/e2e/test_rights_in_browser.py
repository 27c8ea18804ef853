"""A licensing manager reads a work's rights on another day (htmx swaps only the matrix), tries a
grant that is already sold and reads why it was refused."""

import pytest

from tests.e2e.studio import assert_clean, shot, sign_in
from tests.factories import give, hold, make_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_matrix_follows_the_date_and_a_refused_grant_names_the_sale(live_server, page, user_a, org_a, org_b):
    film = make_work(org_a, "brother")
    hold(org_a, [film], ref="ACQ-WORLD", end="2036-01-01")
    give(org_a, org_b, [film], ref="LIC-CN")
    sign_in(page, live_server, user_a)

    page.goto(f"{live_server.url}/studio/works/{film.pk}/")
    page.click("a.button:has-text('Rights')")
    page.wait_for_load_state()
    assert "LIC-CN" in page.locator(".timeline").inner_text()
    bar = page.locator(".timeline rect.bar.grant").bounding_box()  # drawn from SVG attributes, not style=""
    track = page.locator(".timeline svg.track").nth(1).bounding_box()
    assert 0 < bar["width"] < track["width"] and bar["x"] > track["x"]
    shot(page, "work-rights")

    page.fill("#matrix input[name=on]", "2028-01-01")
    page.locator("#matrix button[type=submit]").click()
    page.wait_for_function("() => document.querySelector('#matrix').innerText.includes('World excluding China')")
    assert "Shanghai Media Group" in page.locator("#matrix").inner_text()
    assert page.locator("h2").first.is_visible()  # the page around the matrix stayed
    assert_clean(page)  # htmx swapped the matrix under the Content-Security-Policy
    shot(page, "work-rights-2028")

    page.goto(f"{live_server.url}/studio/rights/grants/new/?works=brother")
    page.fill("input[name=territories]", "CN")
    page.check("input[name=media][value=svod]")
    page.fill("input[name=start]", "2028-01-01")
    page.fill("input[name=end]", "2029-01-01")
    page.check("input[name=exclusive]")
    page.fill("input[name=reference]", "LIC-AGAIN")
    page.select_option("select[name=licensee]", "shanghai-media")
    page.click("form.record-form button[type=submit]")
    page.wait_for_load_state()
    refusal = page.locator("table.conflicts").inner_text()
    assert "already granted" in refusal and "LIC-CN" in refusal
    shot(page, "grant-refused")

    page.goto(f"{live_server.url}/studio/rights/")
    shot(page, "contracts")
    page.goto(f"{live_server.url}/studio/rights/find/?territory=RU&media=svod&start=2027-01-01&end=2030-01-01&exclusive=on")
    assert "Brother" in page.locator("table.list").inner_text()
    assert_clean(page)
    shot(page, "find")
