"""Two licensing teams in two browsers: Rus Media builds and sends an offer, Shanghai Media reads
it and counter-proposes, Rus Media accepts, Shanghai Media countersigns, Rus Media confirms what
signing writes and signs, and both see the grants in the ledger."""

import pytest

from tests.e2e.studio import assert_clean, shot, sign_in, watch_console
from tests.factories import hold, make_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_offer_counter_sign_and_grants(live_server, browser, user_a, user_b, org_a, org_b):
    films = [make_work(org_a, f"film-{i}") for i in range(1, 4)]
    hold(org_a, films, territories=["CN", "RU"])
    seller_context, buyer_context = browser.new_context(locale="en-GB"), browser.new_context(locale="en-GB")
    seller, buyer = watch_console(seller_context.new_page()), watch_console(buyer_context.new_page())
    for p in (seller, buyer):
        p.set_default_timeout(15_000)
    try:
        sign_in(seller, live_server, user_a)
        sign_in(buyer, live_server, user_b)

        seller.click("nav.main-nav a:has-text('Exchange')")
        seller.click("a.button:has-text('Build an offer')")
        seller.fill("input[name=name]", "Spring package")
        seller.fill("textarea[name=works]", "film-1\nfilm-2\nfilm-3")
        seller.fill("input[name=territories]", "CN")
        seller.check("#id_media_svod")  # the media tree (ticked by default; the one medium offered)
        assert not seller.is_checked("#id_media_tvod")
        seller.fill("input[name=start]", "2027-01-01")
        seller.fill("input[name=end]", "2030-01-01")
        seller.fill("input[name=fee_per_work]", "1000")
        seller.fill("textarea[name=message]", "Our best three")
        seller.click("#offer-form button[type=submit]")
        seller.fill("input[name=recipients]", "shanghai-media")
        seller.click("#send-form button[type=submit]")
        seller.wait_for_selector("#deal-state:has-text('Proposed')")
        deal_url = seller.url
        shot(seller, "exchange-proposed")

        buyer.goto(f"{live_server.url}/studio/exchange/inbox/")
        assert "Offer received: Spring package" in buyer.locator("#inbox").inner_text()
        assert buyer.locator("#nav-inbox .badge").inner_text() == "1"
        buyer.click("#inbox a:has-text('Spring package')")
        assert "Our best three" in buyer.locator("#thread").inner_text()
        buyer.click("a.button:has-text('Counter-propose')")
        buyer.fill("textarea[name=works]", "film-1\nfilm-2")
        buyer.fill("input[name=fee_per_work]", "800")
        buyer.fill("textarea[name=note]", "Two films at 800")
        buyer.click("#counter-form button[type=submit]")
        buyer.wait_for_selector("#deal-state:has-text('Countered')")
        shot(buyer, "exchange-countered")

        seller.goto(deal_url)
        assert "Two films at 800" in seller.locator("#version-2").inner_text()
        seller.click("#accept-form button")
        seller.wait_for_selector("#deal-state:has-text('Agreed')")
        assert seller.locator("#step-sign").count() == 0  # the licensee countersigns first

        buyer.goto(deal_url)
        buyer.click("#step-countersign")
        assert "2 non-exclusive grants: China × SVOD (subscription)" in buyer.locator("#grant-lines").inner_text()
        buyer.click("#confirm-form button[type=submit]")
        buyer.wait_for_selector("#deal-state:has-text('Countersigned')")

        seller.goto(deal_url)
        seller.click("#step-sign")
        assert (
            "2 non-exclusive grants: China × SVOD (subscription) × 2027-01-01 → 2030-01-01" in seller.locator("#grant-lines").inner_text()
        )
        seller.click("#confirm-form button[type=submit]")
        seller.wait_for_selector("#grants")
        assert "Signed" in seller.locator("#deal-state").inner_text()
        shot(seller, "exchange-signed")

        seller.goto(f"{live_server.url}/studio/exchange/balance/?scope=organisation&a=rus-media&b=shanghai-media&by=quarter")
        seller.wait_for_function("() => window.Chart && Chart.getChart('balance-works') !== undefined")  # drawn in the browser
        assert "2" in seller.locator("#balance tr.total").inner_text()
        for chart in ("#balance-works", "#balance-hours"):
            box = seller.locator(chart).bounding_box()
            assert box["width"] > 0 and box["height"] > 0
        assert seller.evaluate("Chart.getChart('balance-hours').options.plugins.title.text") == "Hours"
        assert_clean(seller)  # the balance page's chart is drawn from a static file and a JSON data block
        shot(seller, "exchange-balance")

        buyer.reload()
        grants = buyer.locator("#grants").inner_text()
        assert "KM-DEAL-" in grants and "CN" in grants
        buyer.click("#grants a")
        assert "Film-1" in buyer.content() or "film-1" in buyer.content()
        assert_clean(buyer)
    finally:
        seller_context.close()
        buyer_context.close()
