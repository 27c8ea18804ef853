"""The offer form's media field in the browser (issue 17 §2): the media tree in the reader's
language, a group's box ticking its leaves and a leaf unticked unticking its group; typed codes go
with the ticks, and the offer is saved with what was picked."""

import pytest

from kinomost.catalog.models import WorkLocalization
from kinomost.core import media as media_taxonomy
from kinomost.exchange.models import Offer
from tests.e2e.studio import assert_clean, sign_in, watch_console
from tests.rights.conftest import hold, make_work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pick_media_from_the_tree_and_type_a_code_in_russian(live_server, browser, user_a, org_a):
    film = make_work(org_a, "film-1")
    WorkLocalization.objects.create(work=film, language="ru", title="Тихий Дон")
    hold(org_a, [film], territories=["CN"])
    context = browser.new_context(locale="ru-RU")
    page = watch_console(context.new_page())
    page.set_default_timeout(30_000)
    try:
        sign_in(page, live_server, user_a)
        context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
        page.goto(f"{live_server.url}/studio/exchange/offers/new/")
        tree = page.locator("[data-media-tree]")
        assert "Видео по запросу" in tree.inner_text() and "SVOD (подписка)" in tree.inner_text()
        assert page.is_checked("#id_media_svod")  # the default term

        page.check("#id_media_vod")  # the group ticks every leaf under it
        assert all(page.is_checked(f"#id_media_{leaf}") for leaf in media_taxonomy.TREE["vod"])
        page.uncheck("#id_media_avod")  # one leaf less: the group no longer stands for them all
        assert not page.is_checked("#id_media_vod")
        page.fill("#id_media_codes", "free_tv")

        page.fill("input[name=name]", "Пакет VOD")
        page.fill("textarea[name=works]", "film-1")
        page.click("#offer-form button[type=submit]")
        page.wait_for_url("**/studio/exchange/offers/*/")
        offer = Offer.objects.get(name="Пакет VOD")
        expected = [leaf for leaf in media_taxonomy.TREE["vod"] if leaf != "avod"] + ["free_tv"]
        assert sorted(offer.terms[0]["media"]) == sorted(expected)
        assert_clean(page)
    finally:
        context.close()
