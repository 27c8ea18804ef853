"""The storefront is computed from the ledger, the approvals, the assets and the profile."""

from datetime import date

import pytest
from django.utils import timezone

from kinomost.cinema import storefront
from kinomost.exchange import approvals
from kinomost.exchange.models import ApprovalStatus
from kinomost.parties.context import Actor
from kinomost.rights import ledger
from kinomost.rights.licensed import is_licensed, licensed_media

from .viewing import hold, make_platform, make_work, ready_asset

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(org_a):
    return make_platform(org_a)


def _sees(platform, territory="RU", max_age=None):
    return set(storefront.visible_titles(storefront.Viewing(platform, territory, max_age)).values_list("ref", flat=True))


def test_a_title_shows_only_with_rights_there_today_and_a_ready_asset(platform, org_a, org_b):
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "12+")])
    no_asset = make_work(org_a, "no-asset", ratings=[("RU", "MKRF", "12+")])
    no_rights = make_work(org_a, "no-rights", ratings=[("RU", "MKRF", "12+")])
    wrong_media = make_work(org_a, "wrong-media", ratings=[("RU", "MKRF", "12+")])
    future = make_work(org_a, "future", ratings=[("RU", "MKRF", "12+")])
    hold(org_a, [film, no_asset])
    hold(org_a, [wrong_media], media=["theatrical"])
    hold(org_a, [future], start="2099-01-01")
    for work in (film, no_rights, wrong_media, future):
        ready_asset(org_a, work, platform)
    others = make_work(org_a, "others-asset", ratings=[("RU", "MKRF", "12+")])
    hold(org_a, [others])
    ready_asset(org_b, others)  # another organisation's package is not this platform's
    assert _sees(platform) == {"film"}
    assert _sees(platform, "KZ") == set()  # the platform sells in KZ, but the rights are RU only
    assert _sees(platform, "DE") == set()  # the platform does not sell in DE at all


def test_rights_on_a_series_cover_its_episodes(platform, org_a):
    make_work(org_a, "show", kind="series", ratings=[("RU", "MKRF", "12+")])
    make_work(org_a, "show-s1", kind="season", parent_ref="show", number=1)
    e1 = make_work(org_a, "show-s1e1", kind="episode", parent_ref="show-s1", number=1)
    e2 = make_work(org_a, "show-s1e2", kind="episode", parent_ref="show-s1", number=2)
    series = e1.parent.parent
    assert licensed_media(org_a, "RU", ["svod"], timezone.localdate()) == {}
    hold(org_a, [series], media=["svod"])
    assert set(licensed_media(org_a, "RU", ["svod", "tvod"], timezone.localdate())) == {series.pk, e1.parent_id, e1.pk, e2.pk}
    assert licensed_media(org_a, "RU", ["svod"], timezone.localdate(), works=[e1.pk, e2]) == {e1.pk: {"svod"}, e2.pk: {"svod"}}
    for work in (series, e1.parent, e1, e2):  # the one-work selector of the ledger agrees
        assert is_licensed(org_a, work, "RU", "svod", timezone.localdate())
    assert licensed_media(org_a, "RU", ["svod"], timezone.localdate(), works=[make_work(org_a, "other")]) == {}
    ready_asset(org_a, e1, platform)
    assert _sees(platform) == {"show"}
    viewing = storefront.Viewing(platform, "RU")
    assert set(storefront.playable_under(viewing, series.pk)) == {e1.pk}  # only episodes with a package
    assert storefront.playable(viewing, e1.pk).media == {"svod"}
    assert _sees(platform, max_age=6) == set()  # the episode takes the series' 12+


def test_a_terminated_holding_disappears_at_once(platform, org_a):
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "0+")])
    term = hold(org_a, [film])
    ready_asset(org_a, film, platform)
    assert _sees(platform) == {"film"}
    ledger.terminate(org_a, term.contract, timezone.localdate())
    assert _sees(platform) == set()


def test_a_holdback_binding_the_platforms_organisation_hides_the_title_for_its_window(platform, org_a, org_b):
    """A holdback is the organisation's promise not to exploit these cells in a window (for a
    series, its episodes too): no viewer plays it then, and it is back when the window ends."""
    from datetime import timedelta

    from kinomost.rights.licensed import licence_of, licensed_windows

    today = timezone.localdate()
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "0+")])
    make_work(org_a, "show", kind="series", ratings=[("RU", "MKRF", "0+")])
    make_work(org_a, "show-s1", kind="season", parent_ref="show", number=1)
    episode = make_work(org_a, "show-s1e1", kind="episode", parent_ref="show-s1", number=1)
    hold(org_a, [film, episode.parent.parent], media=["svod"])
    for work in (film, episode):
        ready_asset(org_a, work, platform)
    assert _sees(platform) == {"film", "show"}

    window = ledger.TermInput(
        works=[episode.parent.parent],
        territories="RU",
        media=["svod"],
        start=str(today - timedelta(days=1)),
        end=str(today + timedelta(days=30)),
    )
    ledger.record_holdback(org_a, window, contract=ledger.ContractInput(reference="HB-SHOW"), beneficiary=org_b)
    assert _sees(platform) == {"film"}  # the series and its episode are held back today
    assert not is_licensed(org_a, episode, "RU", "svod", today) and licence_of(org_a, episode, "RU", "svod", today) is None
    assert licensed_media(org_a, "RU", ["svod"], today, works=[film, episode]) == {film.pk: {"svod"}}
    assert episode.pk not in licensed_media(org_a, "RU", ["svod"], today)
    windows = licensed_windows(org_a, ["RU"], ["svod"], [episode])[episode.pk][("RU", "svod")]
    assert [(p.start, p.end) for p in windows] == [(date(2026, 1, 1), today - timedelta(days=1)), (today + timedelta(days=30), None)]
    assert is_licensed(org_a, episode, "RU", "svod", today + timedelta(days=30))  # back when the holdback ends

    later = ledger.TermInput(works=[film], territories="RU", media=["svod"], start=str(today + timedelta(days=5)), end=None)
    ledger.record_holdback(org_a, later, contract=ledger.ContractInput(reference="HB-FILM"), beneficiary=org_b)
    assert _sees(platform) == {"film"}  # a holdback from a later day does not hide it today
    assert not is_licensed(org_a, film, "RU", "svod", today + timedelta(days=5))


def test_a_required_approval_must_exist(platform, org_a):
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "0+")])
    hold(org_a, [film])
    ready_asset(org_a, film, platform)
    approvals.define_rule(territory="RU", media="vod", kind="ru_distribution_certificate")
    assert _sees(platform) == set()
    owner = Actor(organisation=org_a, role="owner")
    approval = approvals.record_approval(owner, work_id=film.pk, territory="RU", kind="ru_distribution_certificate", number="1")
    assert _sees(platform) == set()  # pending is not granted
    approvals.change_status(owner, approval.pk, ApprovalStatus.GRANTED)
    assert _sees(platform) == {"film"}


def test_age_limits_hide_unrated_and_older_works_from_limited_profiles(platform, org_a):
    for ref, ratings in (
        ("kids", [("RU", "MKRF", "6+")]),
        ("teen", [("RU", "MKRF", "16+")]),
        ("unrated", None),
        ("us-only", [("US", "MPAA", "R")]),
    ):
        work = make_work(org_a, ref, ratings=ratings)
        hold(org_a, [work])
        ready_asset(org_a, work, platform)
    assert _sees(platform) == {"kids", "teen", "unrated", "us-only"}
    assert _sees(platform, max_age=12) == {"kids"}  # R (17) is the strictest rating known for "us-only"
    assert _sees(platform, max_age=16) == {"kids", "teen"}


def test_geoip_places_a_request_from_elsewhere_in_that_territory(settings, monkeypatch):
    assert storefront.viewing_territory("RU", "203.0.113.7") == "RU"  # no database configured
    settings.CINEMA_GEOIP2_COUNTRY_DB = "/nonexistent/GeoLite2-Country.mmdb"
    monkeypatch.setattr(storefront, "_geoip_country", lambda ip: {"203.0.113.7": "DE"}.get(ip))
    assert storefront.viewing_territory("RU", "203.0.113.7") == "DE"
    assert storefront.viewing_territory("RU", "198.51.100.1") == "RU"  # unknown address: the account's


@pytest.mark.parametrize("walk", [4000, 1])  # 1: every genre row is too short among the newest title and is read from its own list
def test_home_rows_list_the_newest_visible_titles_per_genre(platform, org_a, monkeypatch, walk):
    from kinomost.cinema.viewers import sign_up

    monkeypatch.setattr(storefront, "WALK", walk)
    for ref, genres in (("old-drama", ["drama"]), ("comedy", ["comedy"]), ("new-drama", ["drama", "comedy"]), ("hidden", ["drama"])):
        work = make_work(org_a, ref, genres=genres, ratings=[("RU", "MKRF", "0+")])
        if ref != "hidden":
            hold(org_a, [work])
        ready_asset(org_a, work, platform)
    profile = sign_up(platform, email="v@example.com", password="correct horse battery staple", country="RU").profiles.get()
    rows = {
        label: [card.work.ref for card in cards] for label, cards in storefront.home_rows(storefront.Viewing(platform, "RU"), profile, "en")
    }
    assert rows == {
        "Recently added": ["new-drama", "comedy", "old-drama"],
        "Comedy": ["new-drama", "comedy"],
        "Drama": ["new-drama", "old-drama"],
    }


def test_home_rows_are_kept_until_the_set_changes_and_a_takedown_shows_at_once(platform, org_a, monkeypatch):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from kinomost.catalog.services import WorkInput, save_work

    viewing = storefront.Viewing(platform, "RU")

    def shown():
        return {card.work.ref: card.title for _label, cards in storefront.home_rows(viewing, None, "en") for card in cards}

    film = make_work(org_a, "film", genres=["drama"], ratings=[("RU", "MKRF", "0+")])
    film_term = hold(org_a, [film])
    ready_asset(org_a, film, platform)
    assert shown() == {"film": "Film"}
    with CaptureQueriesContext(connection) as kept:
        assert shown() == {"film": "Film"}
    assert len(kept) == 1  # the platform's visibility version, nothing else: the rows were kept
    second = make_work(org_a, "second", ratings=[("RU", "MKRF", "12+")])
    second_term = hold(org_a, [second])
    assert set(shown()) == {"film"}  # no package yet: the set is unchanged
    ready_asset(org_a, second, platform)
    assert set(shown()) == {"film", "second"}  # a new package shows at the next request
    ledger.terminate(org_a, film_term.contract, timezone.localdate())
    assert set(shown()) == {"second"}  # a takedown too, in every process: the version is in the database
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.terminate(org_a, second_term.contract, timezone.localdate())
        assert shown() == {}  # inside the terminating transaction it is already gone
        raise RuntimeError("rolled back")
    assert set(shown()) == {"second"}  # and back with the rollback
    kids = storefront.home_rows(storefront.Viewing(platform, "RU", max_age=6), None, "en")
    assert [card for _label, cards in kids for card in cards] == []  # rows are kept per age limit, never shared
    save_work(org_a, WorkInput(ref="second", kind="feature", titles={"en": "Second, renamed"}))
    assert shown()["second"] == "Second"  # a rename changes no right: shown after SHELF_SECONDS
    monkeypatch.setattr(storefront.time, "monotonic", lambda: 10**9)
    assert shown()["second"] == "Second, renamed"
