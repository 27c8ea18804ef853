"""Storefront details a viewer notices (issue 17 §6): a confirmation before any charge, prices in
the platform's currency, a premium rental never dearer than buying, people search."""

from decimal import Decimal

import pytest
from django.test import Client

from kinomost.catalog.models import Credit, Person
from kinomost.cinema import prices, watch
from kinomost.cinema.viewing_models import Rental, Revenue, Subscription
from kinomost.core.errors import InvalidInput
from kinomost.parties.context import Actor
from kinomost.parties.models import Role

from .viewing import hold, main_profile, make_platform, make_work, pay, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
WEB = "/watch/rus-media/kino/"


@pytest.fixture
def platform(org_a):
    platform = make_platform(org_a, media=("svod", "tvod", "pvod", "est"))
    prices.set_prices(
        Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR),
        platform,
        currency="RUB",
        prices={"svod": "399", "tvod": "199", "pvod": "599", "est": "699"},
    )
    return platform


@pytest.fixture
def film(org_a, platform):
    work = make_work(org_a, "brother", ratings=[("RU", "MKRF", "16+")], titles={"en": "Brother", "ru": "Брат"})
    hold(org_a, [work], media=("svod", "tvod", "pvod", "est"))
    ready_asset(org_a, work, platform)
    return work


def _browser(viewer):
    client = Client()
    client.force_login(viewer.user)
    return client


def test_nothing_is_charged_before_the_viewer_confirms_the_price(platform, film):
    viewer = viewer_of(platform, subscribed=False)
    client = _browser(viewer)
    title = client.get(f"{WEB}titles/{film.pk}/").content.decode()
    assert "Rent for 48 hours: RUB199.00" in title  # the platform's price, in its currency
    step = client.post(f"{WEB}titles/{film.pk}/rent/", {"media": "tvod"})
    assert step.status_code == 200 and "Confirm the payment" in step.content.decode() and "Pay RUB199.00" in step.content.decode()
    assert not Rental.objects.exists() and not Revenue.objects.exists()
    stale = client.post(f"{WEB}titles/{film.pk}/rent/", {"media": "tvod", "price": "99", "currency": "RUB"}, follow=True)
    assert "The price is now RUB199.00" in stale.content.decode() and not Rental.objects.exists()
    pay(client, f"{WEB}titles/{film.pk}/rent/", {"media": "tvod"})
    assert Rental.objects.get().media == "tvod" and Revenue.objects.get().amount == Decimal("199")
    assert client.post(WEB + "account/").status_code == 200 and not Subscription.objects.exists()  # the same step for a subscription
    pay(client, WEB + "account/")
    assert Subscription.objects.get().is_active


def test_a_premium_rental_is_never_dearer_than_buying_unless_the_operator_allows_it(platform, org_a):
    operator = Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR)
    with pytest.raises(InvalidInput) as refused:
        prices.set_prices(operator, platform, currency="RUB", prices={"svod": "399", "tvod": "199", "pvod": "799", "est": "699"})
    assert {d["field"] for d in refused.value.details} == {"pvod"}
    assert prices.price(platform, "pvod").amount == Decimal("599")  # nothing changed
    prices.set_prices(
        operator, platform, currency="RUB", prices={"svod": "399", "tvod": "199", "pvod": "799", "est": "699"}, pvod_above_est=True
    )
    assert prices.price(platform, "pvod").amount == Decimal("799")
    platform.pvod_above_est = False  # prices stored before the rule: shown and charged at the purchase price
    assert prices.price(platform, "pvod").amount == Decimal("699")


def test_people_search_finds_titles_by_cast_and_director_in_any_spelling(platform, film, org_a):
    director = Person.objects.create(name="Aleksei Balabanov", names={"ru": "Алексей Балабанов", "zh-Hans": "阿列克谢·巴拉巴诺夫"})
    actor = Person.objects.create(name="Sergei Bodrov", names={"ru": "Сергей Бодров"})
    Credit.objects.create(work=film, person=director, role="director")
    Credit.objects.create(work=film, person=actor, role="actor", character="Danila")
    hidden = make_work(org_a, "unlicensed", ratings=[("RU", "MKRF", "0+")])
    Credit.objects.create(work=hidden, person=actor, role="actor")
    viewer = viewer_of(platform)
    who = watch.audience(platform, viewer, main_profile(viewer), "ru")
    for query in ("балабанов", "Bodrov", "巴拉巴诺夫"):
        assert [c.work.pk for c in watch.search(who, query)] == [film.pk], query
    page = _browser(viewer).get(WEB + "search/", {"q": "бодров"}).content.decode()
    assert "Brother" in page or "Брат" in page
    names = dict((c.role, n) for c, n in watch.title(who, film.pk).credits)
    assert names["director"] == "Алексей Балабанов"  # credits in the reader's language


def test_the_operator_sets_prices_browsing_and_apps_in_the_studio(platform, film, org_a, user_a):
    from kinomost.cinema.app_models import RegisteredApp
    from kinomost.parties import services as parties

    operator = parties.create_member(email="op@rusmedia.example", organisation=org_a, role=Role.PLATFORM_OPERATOR, password="x" * 16)[0]
    studio = Client()
    studio.force_login(operator)
    url = "/studio/cinema/platforms/kino/"
    assert "599.00" in studio.get(url).content.decode()
    too_dear = studio.post(
        url, {"action": "prices", "currency": "RUB", "svod": "399", "tvod": "199", "pvod": "900", "est": "699"}, follow=True
    )
    assert "costs at most what buying to own costs" in too_dear.content.decode()
    studio.post(
        url, {"action": "prices", "currency": "RUB", "svod": "349", "tvod": "149", "pvod": "549", "est": "699", "browse_signed_out": "1"}
    )
    platform.refresh_from_db()
    assert platform.prices["svod"] == "349.00" and platform.browse_signed_out
    assert Client().get(f"{WEB}titles/{film.pk}/").status_code == 200  # strangers may browse now
    studio.post(url, {"action": "register", "client_id": "kinomost-tv", "name": "Kinomost TV"})
    assert RegisteredApp.objects.get(platform=platform).name == "Kinomost TV"
    studio.post(url, {"action": "disable", "client_id": "kinomost-tv"})
    assert Client().post("/api/v1/viewer/rus-media/kino/device/code", {"client_id": "kinomost-tv"}).json()["error"] == "invalid_client"
    manager = Client()
    manager.force_login(user_a)  # a licensing manager may look, not change
    manager.post(url, {"action": "register", "client_id": "other-app", "name": "Other"})
    assert not RegisteredApp.objects.filter(client_id="other-app").exists()
