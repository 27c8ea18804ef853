"""The storefront's confirmation step in Russian and Chinese: the price the "Pay" button posts back
is the machine's number (599.00), whatever the page writes for the reader (599,00 in Russian) —
a localised hidden value made every Russian payment fail as "the price has changed"."""

import pytest
from django.test import Client

from kinomost.cinema import prices
from kinomost.cinema.viewing_models import Rental
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.cinema.viewing import hold, make_platform, make_work, pay, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
WEB = "/watch/rus-media/kino/"


@pytest.mark.parametrize("language, shown", [("ru", "599,00\u00a0₽"), ("zh-hans", "RUB599.00"), ("en", "RUB599.00")])
def test_a_premium_rental_is_confirmed_and_charged_in_every_language(org_a, language, shown):
    platform = make_platform(org_a, media=("svod", "tvod", "pvod", "est"))
    prices.set_prices(
        Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR),
        platform,
        currency="RUB",
        prices={"svod": "399", "tvod": "199", "pvod": "599", "est": "699"},
    )
    film = make_work(org_a, "brother", ratings=[("RU", "MKRF", "16+")], titles={"en": "Brother", "ru": "Брат"})
    hold(org_a, [film], media=("svod", "tvod", "pvod", "est"))
    ready_asset(org_a, film, platform)
    client = Client()
    client.force_login(viewer_of(platform, subscribed=False).user)
    client.cookies["django_language"] = language
    step = client.post(f"{WEB}titles/{film.pk}/rent/", {"media": "pvod"}).content.decode()
    assert shown in step and 'name="price" value="599.00"' in step
    pay(client, f"{WEB}titles/{film.pk}/rent/", {"media": "pvod"})
    assert Rental.objects.get().media == "pvod"  # charged: the posted price was the one shown
