"""Buying to own (EST) and premium rentals (PVOD): paid through the payment provider, entitling only
while the rights make the title visible, refused cleanly when the charge is declined, and never
usable from another platform."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from kinomost.cinema import payments, playback, storefront, viewers
from kinomost.cinema.viewing_models import PlaybackSession, Purchase, Rental, Revenue
from kinomost.core.models import AuditEvent
from kinomost.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput

from .viewing import hold, main_profile, make_platform, make_work, pay, ready_asset, viewer_of

pytestmark = pytest.mark.django_db
BASE = "/watch/rus-media/kino/"
CHARGES = []


class RecordingProvider(payments.TestProvider):
    """The test provider, remembering what it was asked to charge (what the viewer pays)."""

    def charge(self, *, account, amount, currency, description):
        result = super().charge(account=account, amount=amount, currency=currency, description=description)
        CHARGES.append((account, Decimal(amount), currency, result.approved))
        return result


@pytest.fixture(autouse=True)
def recording_provider(settings):
    settings.CINEMA_PAYMENT_PROVIDER = "tests.cinema.test_purchases.RecordingProvider"
    CHARGES.clear()
    return CHARGES


@pytest.fixture
def platform(org_a):
    return make_platform(org_a, media=("svod", "tvod", "pvod", "est", "avod"))


@pytest.fixture
def owned_film(org_a, platform):
    """A film the platform may sell to own (EST) and rent (TVOD) in Russia, not by subscription."""
    work = make_work(org_a, "owned", ratings=[("RU", "MKRF", "12+")], titles={"en": "Owned Film", "ru": "Свой фильм"})
    work.est_term = hold(org_a, [work], media=["est"])
    hold(org_a, [work], media=["tvod"])
    ready_asset(org_a, work, platform)
    return work


@pytest.fixture
def premiere(org_a, platform):
    """A new release sold only as a premium rental (PVOD)."""
    work = make_work(org_a, "premiere", ratings=[("RU", "MKRF", "0+")], titles={"en": "Premiere"})
    work.pvod_term = hold(org_a, [work], media=["pvod"])
    ready_asset(org_a, work, platform)
    return work


@pytest.fixture
def buyer(platform):
    return viewer_of(platform, email="buyer@example.com", subscribed=False)


def _viewing(platform, viewer):
    return storefront.Viewing(platform=platform, territory=viewer.country, max_age=main_profile(viewer).max_age)


def _start(platform, viewer, work):
    return playback.start(viewer, main_profile(viewer), _viewing(platform, viewer), work.pk)


def _browser(viewer):
    client = Client()
    client.force_login(viewer.user)
    return client


def test_buying_to_own_plays_and_is_listed_on_the_account(platform, owned_film, buyer):
    client = _browser(buyer)
    page = client.get(f"{BASE}titles/{owned_film.pk}/").content.decode()
    assert 'data-offer="est"' in page and 'data-offer="tvod"' in page and 'data-offer="svod"' not in page  # what it sells here
    assert "Buy to own: €14.99" in page and "if the licence ends, buying does not keep them playable" in page
    assert client.get(f"{BASE}play/{owned_film.pk}/").status_code == 302  # the player refuses as start would

    response = pay(client, f"{BASE}titles/{owned_film.pk}/buy/")
    assert response.status_code == 302 and response.url == f"{BASE}titles/{owned_film.pk}/"
    purchase = Purchase.objects.get(viewer=buyer, work=owned_film)
    assert (purchase.amount, purchase.currency, purchase.provider) == (Decimal("14.99"), "EUR", "test")
    assert CHARGES == [("buyer@example.com", Decimal("14.99"), "EUR", True)]
    assert AuditEvent.objects.filter(action="cinema.bought").count() == 1

    page = client.get(f"{BASE}titles/{owned_film.pk}/").content.decode()
    assert f"play/{owned_film.pk}/" in page and "You own this title" in page and "data-offer=" not in page  # nothing left to sell
    assert client.get(f"{BASE}play/{owned_film.pk}/").status_code == 200
    started = client.post(f"{BASE}play/{owned_film.pk}/start/", HTTP_ACCEPT="application/json")
    assert started.status_code == 200 and started.json()["master_url"].startswith("/hls/")
    assert PlaybackSession.objects.get().media == "est"
    account = client.get(BASE + "account/").content.decode()
    assert "Owned Film" in account and "bought on" in account and "€14.99" in account
    with pytest.raises(Conflict, match="already own"):
        viewers.buy(buyer, _viewing(platform, buyer), owned_film.pk)
    assert Purchase.objects.count() == 1 and len(CHARGES) == 1  # a second purchase is refused before any charge


def test_est_without_a_purchase_is_refused(platform, owned_film, buyer):
    with pytest.raises(PermissionDenied, match="Subscribe, rent or buy"):
        _start(platform, buyer, owned_film)
    someone_else = viewer_of(platform, email="other@example.com", subscribed=False)
    viewers.buy(someone_else, _viewing(platform, someone_else), owned_film.pk)
    with pytest.raises(PermissionDenied):  # another viewer's purchase does not entitle this one
        _start(platform, buyer, owned_film)
    assert not PlaybackSession.objects.exists()


def test_a_purchase_does_not_outlive_the_platforms_est_right(platform, owned_film, buyer, org_a):
    viewers.buy(buyer, _viewing(platform, buyer), owned_film.pk)
    started = _start(platform, buyer, owned_film)
    ledger.terminate(org_a, owned_film.est_term.contract, timezone.localdate())  # the EST licence ends today

    # The title is still visible (TVOD is still licensed) but the purchase no longer entitles.
    found = storefront.playable(_viewing(platform, buyer), owned_film.pk)
    assert found is not None and found.media == {"tvod"}
    assert playback.entitlement(buyer, found).media is None
    assert playback.end_lapsed() == 1  # the running play ends at the next recheck (every CINEMA_RECHECK_SECONDS)
    with pytest.raises(Conflict):
        playback.heartbeat(buyer, started.session.public_id, position=1, seconds=1)
    with pytest.raises(PermissionDenied):
        _start(platform, buyer, owned_film)
    page = _browser(buyer).get(f"{BASE}titles/{owned_film.pk}/").content.decode()
    assert f"play/{owned_film.pk}/" not in page and 'data-offer="tvod"' in page and 'data-offer="est"' not in page
    assert Purchase.objects.filter(viewer=buyer).exists()  # the purchase stays on record, listed on the account


def test_a_premium_rental_has_its_own_price_and_window_from_the_first_play(platform, premiere, buyer, org_a):
    client = _browser(buyer)
    page = client.get(f"{BASE}titles/{premiere.pk}/").content.decode()
    assert 'data-offer="pvod"' in page and "Premium rental for 48 hours: €12.99" in page and 'data-offer="tvod"' not in page
    with pytest.raises(InvalidInput):  # only the premium rental is sold for it
        viewers.rent(buyer, _viewing(platform, buyer), premiere.pk, "tvod")
    pay(client, f"{BASE}titles/{premiere.pk}/rent/", {"media": "pvod"})
    rental = Rental.objects.get(viewer=buyer, work=premiere)
    assert (rental.media, rental.hours, rental.first_played_at) == ("pvod", viewers.PVOD_HOURS, None)
    assert CHARGES == [("buyer@example.com", Decimal("12.99"), "EUR", True)]

    first = _start(platform, buyer, premiere)
    assert first.session.media == "pvod"
    rental.refresh_from_db()
    assert rental.expires_at - rental.first_played_at == timedelta(hours=viewers.PVOD_HOURS)
    playback.stop(buyer, first.session.public_id)
    _start(platform, buyer, premiere)  # a second play inside the window keeps the clock
    assert Rental.objects.get(pk=rental.pk).first_played_at == rental.first_played_at

    Rental.objects.filter(pk=rental.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    PlaybackSession.objects.update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        _start(platform, buyer, premiere)
    assert 'data-offer="pvod"' in client.get(f"{BASE}titles/{premiere.pk}/").content.decode()  # it may be rented again


def test_a_premium_rental_stops_when_the_pvod_right_ends(platform, premiere, buyer, org_a):
    viewers.rent(buyer, _viewing(platform, buyer), premiere.pk, "pvod")
    ledger.terminate(org_a, premiere.pvod_term.contract, timezone.localdate())
    with pytest.raises(NotFound):  # nothing else licenses it: the title is gone from the storefront
        _start(platform, buyer, premiere)


@pytest.mark.parametrize("kind", ["est", "pvod"])
def test_a_declined_charge_says_so_and_records_nothing(platform, owned_film, premiere, buyer, monkeypatch, kind):
    # the test provider declines amounts ending in .13
    platform.prices = {**platform.prices, "est": "9.13", "pvod": "12.13"}
    platform.save(update_fields=["prices"])
    work = owned_film if kind == "est" else premiere
    client = _browser(buyer)
    url = f"{BASE}titles/{work.pk}/" + ("buy/" if kind == "est" else "rent/")
    response = pay(client, url, {"media": "pvod"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{BASE}titles/{work.pk}/"
    assert "The payment was declined: declined by the test provider" in page
    assert [approved for *_rest, approved in CHARGES] == [False]
    assert not Purchase.objects.exists() and not Rental.objects.exists() and not Revenue.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["cinema.bought", "cinema.rented"]).exists()
    assert client.post(f"{BASE}play/{work.pk}/start/", HTTP_ACCEPT="application/json").status_code == 403


def test_another_platforms_viewer_cannot_use_the_purchase(platform, owned_film, buyer, org_a, org_b):
    """The same person on another organisation's platform that sells the same film to own: the
    purchase belongs to the account on the platform it was bought on."""
    ledger.record_holding(
        org_a,
        TermInput(works=[owned_film], territories="RU", media=["est"], start="2026-01-01", sublicensable=True),
        contract=ContractInput(reference=f"SUB-{uuid.uuid4().hex[:6]}"),
    )
    ledger.grant(
        org_a,
        org_b,
        TermInput(works=[owned_film], territories="RU", media=["est"], start="2026-01-01"),
        contract=ContractInput(reference=f"GRANT-{uuid.uuid4().hex[:6]}"),
    )
    other = make_platform(org_b, slug="other", media=("est",))
    ready_asset(org_b, owned_film, other)
    viewers.buy(buyer, _viewing(platform, buyer), owned_film.pk)
    there = viewers.join(other, buyer.user)
    assert storefront.playable(_viewing(other, there), owned_film.pk) is not None  # visible there, for sale
    with pytest.raises(PermissionDenied):
        _start(other, there, owned_film)
    page = _browser(there).get(f"/watch/shanghai-media/other/titles/{owned_film.pk}/").content.decode()
    assert 'data-offer="est"' in page and "You own this title" not in page
    # and a viewer of another platform cannot buy through this one's URL a title their platform does not show
    stranger = viewer_of(make_platform(org_b, slug="empty", media=("est",)), email="stranger@example.com", subscribed=False)
    with pytest.raises(NotFound):
        viewers.buy(stranger, _viewing(stranger.platform, stranger), owned_film.pk)
    assert _browser(stranger).post(f"{BASE}titles/{owned_film.pk}/buy/").status_code == 200  # an offer to open an account here
    assert Purchase.objects.filter(viewer__in=[there, stranger]).count() == 0


def test_a_bought_series_plays_its_episodes(platform, org_a, buyer):
    series = make_work(org_a, "saga", kind="series", ratings=[("RU", "MKRF", "12+")])
    make_work(org_a, "saga/s1", kind="season", parent_ref="saga", number=1)
    episodes = [make_work(org_a, f"saga/s1e{n}", kind="episode", parent_ref="saga/s1", number=n) for n in (1, 2)]
    hold(org_a, [series], media=["est"])
    for episode in episodes:
        ready_asset(org_a, episode, platform)
    client = _browser(buyer)
    assert 'data-offer="est"' in client.get(f"{BASE}titles/{series.pk}/").content.decode()
    pay(client, f"{BASE}titles/{series.pk}/buy/")
    assert Purchase.objects.get(viewer=buyer).work == series
    assert [_start(platform, buyer, e).session.media for e in episodes] == ["est", "est"]


def test_a_free_title_is_watched_free_with_nothing_to_buy(platform, org_a, buyer):
    free = make_work(org_a, "free", ratings=[("RU", "MKRF", "0+")], titles={"en": "Free Film"})
    hold(org_a, [free], media=["avod", "est"])
    ready_asset(org_a, free, platform)
    client = _browser(buyer)
    page = client.get(f"{BASE}titles/{free.pk}/").content.decode()
    assert "Watch free" in page and "data-offer=" not in page
    assert _start(platform, buyer, free).session.media == "avod"
    with pytest.raises(Conflict, match="already watch"):  # nothing to pay for what plays free
        viewers.buy(buyer, _viewing(platform, buyer), free.pk)
    assert not CHARGES and not Purchase.objects.exists()


def test_the_demo_storefront_sells_its_premiere_and_films_to_own(db):
    """`kinomost demo-cinema`: the subscribed demo viewer plays the SVOD films and is offered to buy
    them; the premiere is offered as a premium rental or to buy, not by subscription."""
    from kinomost.demo import cinema as demo
    from kinomost.parties import services as parties

    orgs = {
        slug: parties.create_organisation(slug=slug, name=slug, kind=kind, country="RU")
        for slug, kind in (("severny-films", "producer"), ("severny-tv", "broadcaster"), ("longbo-kino", "platform"))
    }
    film = make_work(orgs["severny-films"], "SEV-F-0001", ratings=[("RU", "MKRF", "12+")])
    premiere = make_work(orgs["severny-films"], demo.PREMIERE, ratings=[("RU", "MKRF", "12+")])
    platform, queued = demo.open_storefront("demo password 1")
    assert queued == 2
    for work in (film, premiere):  # what the worker would make of the queued masters
        ready_asset(orgs["longbo-kino"], work, platform)
    viewer = platform.viewers.get(user__email=demo.VIEWER_EMAIL)
    client = _browser(viewer)
    base = f"/watch/longbo-kino/{platform.slug}/titles/"
    film_page = client.get(f"{base}{film.pk}/").content.decode()
    assert f"play/{film.pk}/" in film_page and 'data-offer="est"' in film_page and 'data-offer="svod"' not in film_page
    premiere_page = client.get(f"{base}{premiere.pk}/").content.decode()
    assert f"play/{premiere.pk}/" not in premiere_page
    assert 'data-offer="pvod"' in premiere_page and 'data-offer="est"' in premiere_page and 'data-offer="svod"' not in premiere_page
    pay(client, f"{base}{premiere.pk}/buy/")
    assert _start(platform, viewer, premiere).session.media == "est"
