"""Every charge of the online cinema is a revenue row (amount, currency, territory, medium,
platform, time), at the platform's own prices in its own currency; a playback session and a
rental name the licence they play or sell under — for an episode, its series' grant."""

from decimal import Decimal

import pytest

from kinomost.cinema import playback, prices, storefront, viewers
from kinomost.cinema.viewing_models import Revenue
from kinomost.core.errors import InvalidInput, PermissionDenied
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput

from .viewing import hold, main_profile, make_platform, make_work, ready_asset, viewer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(org_a):
    return make_platform(org_a, media=("svod", "tvod", "est"))


@pytest.fixture
def operator(org_a):
    return Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR)


def _viewing(platform, viewer):
    return storefront.Viewing(platform=platform, territory=viewer.country)


def test_the_operator_sets_prices_in_the_platforms_currency_and_charges_follow(platform, operator, org_a):
    prices.set_prices(operator, platform, currency="rub", prices={"svod": "399", "tvod": "199", "pvod": "449", "est": "499.5"})
    film = make_work(org_a, "film")
    acquisition = hold(org_a, [film], media=["svod", "tvod", "est"])
    ready_asset(org_a, film, platform)
    viewer = viewer_of(platform, subscribed=False)

    viewers.rent(viewer, _viewing(platform, viewer), film.pk)
    viewers.buy(viewer, _viewing(platform, viewer), film.pk)
    viewers.subscribe(viewer)

    rows = list(
        Revenue.objects.order_by("id").values_list(
            "kind", "media", "amount", "currency", "territory", "platform_id", "work_id", "contract_id"
        )
    )
    assert rows == [
        ("rental", "tvod", Decimal("199"), "RUB", "RU", platform.pk, film.pk, acquisition.contract_id),
        ("purchase", "est", Decimal("499.50"), "RUB", "RU", platform.pk, film.pk, acquisition.contract_id),
        ("subscription", "svod", Decimal("399"), "RUB", "RU", platform.pk, None, None),
    ]
    assert all(r.at is not None and r.reference.startswith("test-") for r in Revenue.objects.all())


def test_prices_are_checked_and_only_the_operator_sets_them(platform, operator, org_a):
    with pytest.raises(InvalidInput) as err:
        prices.set_prices(operator, platform, currency="RUB", prices={"svod": "-1", "tvod": "abc", "pvod": "0", "est": "1"})
    assert {d["field"] for d in err.value.details} == {"svod", "tvod", "pvod"}
    with pytest.raises(InvalidInput):
        prices.set_prices(operator, platform, currency="RUBLES", prices=dict(prices.OPENING_PRICES))
    with pytest.raises(PermissionDenied):
        prices.set_prices(Actor(organisation=org_a, role=Role.READ_ONLY), platform, currency="RUB", prices=dict(prices.OPENING_PRICES))
    platform.refresh_from_db()
    assert platform.currency == "EUR" and prices.price(platform, "svod").amount == Decimal("4.99")


def test_an_episode_plays_under_its_series_grant_and_the_session_names_it(org_a, org_b):
    series = make_work(org_a, "series", kind="series")
    season = make_work(org_a, "series-s1", kind="season", parent_ref="series", number=1)
    episode = make_work(org_a, "series-s1e1", kind="episode", parent_ref="series-s1", number=1)
    hold(org_a, [series], territories="RU", media=["svod"])
    ledger.record_holding(
        org_a,
        TermInput(works=[series], territories="RU", media=["svod"], start="2026-01-01", sublicensable=True),
        contract=ContractInput(reference="ACQ-SUB"),
    )
    granted = ledger.grant(
        org_a,
        org_b,
        TermInput(works=[series], territories="RU", media=["svod"], start="2026-01-01"),
        contract=ContractInput(reference="LIC-SERIES"),
    )
    platform = make_platform(org_b, slug="kino-b", media=("svod",))
    ready_asset(org_b, episode, platform)
    viewer = viewer_of(platform, email="v@example.com")
    started = playback.start(viewer, main_profile(viewer), _viewing(platform, viewer), episode.pk)
    assert (started.session.contract_id, started.session.term_id) == (granted.contract_id, granted.pk)
    assert season.pk  # the season sits between: the grant is inherited two levels down
