"""Playback sessions, stream tokens and keys: what a viewer may play, and everything refused."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kinomost.cinema import beats, playback, storefront, tokens, viewers
from kinomost.cinema.viewing_models import PlaybackSession, Rental, Subscription
from kinomost.core.errors import Conflict, NotFound, PermissionDenied
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput

from .viewing import (
    KEY,
    hold,
    main_profile,
    make_platform,
    make_work,
    ready_asset,
    viewer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(org_a):
    return make_platform(org_a)


@pytest.fixture
def film(org_a, platform):
    work = make_work(org_a, "brother", ratings=[("RU", "MKRF", "16+")])
    hold(org_a, [work])
    ready_asset(org_a, work, platform)
    return work


@pytest.fixture
def viewer(platform):
    return viewer_of(platform)


def _viewing(platform, viewer, profile=None):
    profile = profile or main_profile(viewer)
    return storefront.Viewing(platform=platform, territory=viewer.country, max_age=profile.max_age)


def _start(platform, viewer, work, profile=None):
    profile = profile or main_profile(viewer)
    return playback.start(viewer, profile, _viewing(platform, viewer, profile), work.pk)


def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_subscriber_plays_the_stream_and_gets_the_key_inside_the_session(platform, film, viewer):
    started = _start(platform, viewer, film)
    asset = film.cinema_assets.get()
    base = f"/hls/s/{started.session.public_id}/"
    assert started.master_url.startswith(base) and started.master_url.endswith(f"/{asset.public_id}/master.m3u8")
    player = Client()  # no cookie: the master URL alone is enough
    master = player.get(started.master_url)
    assert master.status_code == 200 and master["Content-Type"] == "application/vnd.apple.mpegurl"
    # relative URIs in the playlists resolve under the session's signed folder, so they carry the token
    folder = started.master_url.rsplit("/", 1)[0] + "/"
    rung = player.get(folder + "stream/180p/index.m3u8")
    assert rung.status_code == 200
    key_url = f"{folder}key"
    assert f'URI="{key_url}"' in rung.content.decode() and "/cinema/keys/" not in rung.content.decode()
    segment = player.get(folder + "stream/180p/seg_00000.ts")
    assert segment.status_code == 200 and b"".join(segment.streaming_content) == b"\x01" * 376
    key = player.get(key_url)
    assert key.status_code == 200 and key.content == KEY and "no-store" in key["Cache-Control"]
    # the site's own player may still ask with its cookie
    cookie_key = _browser(viewer.user).get(f"/cinema/keys/{asset.public_id}/")
    assert cookie_key.status_code == 200 and cookie_key.content == KEY


def test_session_urls_last_the_session_not_the_token_lifetime(platform, film, viewer, settings):
    settings.CINEMA_TOKEN_SECONDS = 2
    started = _start(platform, viewer, film)
    assert started.expires - time.time() > 11 * 3600  # CINEMA_SESSION_HOURS (12), not CINEMA_TOKEN_SECONDS
    subscription = Subscription.objects.get(viewer=viewer)
    Subscription.objects.filter(pk=subscription.pk).update(active_until=timezone.now() + timedelta(hours=1))
    PlaybackSession.objects.update(ended_at=timezone.now())
    sooner = _start(platform, viewer, film)
    assert 3500 < sooner.expires - time.time() <= 3600  # never past the paid period


def test_files_without_a_valid_session_token_are_refused(platform, film, viewer, org_a):
    started = _start(platform, viewer, film)
    client = Client()
    asset = film.cinema_assets.get()
    session, token, expires = started.master_url.split("/")[3:6]
    assert client.get(f"/hls/s/{session}/{'A' * 22}/{expires}/{asset.public_id}/master.m3u8").status_code == 403  # forged
    assert client.get(f"/hls/s/{session}/{token}/{int(expires) + 1}/{asset.public_id}/master.m3u8").status_code == 403  # end changed
    assert client.get(f"/media/hls/{asset.public_id}/master.m3u8").status_code == 404  # never unprotected
    other = ready_asset(org_a, make_work(org_a, "other"), platform)
    assert client.get(f"/hls/s/{session}/{token}/{expires}/{other.public_id}/master.m3u8").status_code == 403  # another asset
    someone_else = viewer_of(platform, email="other@example.com")
    theirs = _start(platform, someone_else, film)
    assert client.get(f"/hls/s/{theirs.session.public_id}/{token}/{expires}/{asset.public_id}/master.m3u8").status_code == 403
    past = int(time.time()) - 1
    expired = tokens.session_base(session, asset.public_id, past) + "master.m3u8"
    assert client.get(expired).status_code == 403  # past the session's hard end
    assert client.get(started.master_url.replace("master.m3u8", "../../etc/passwd")).status_code in (403, 404)
    # the studio's asset URLs (no session) keep their short-lived form
    assert client.get(tokens.stream_url(asset.public_id, "master.m3u8", past)).status_code == 403
    assert client.get(tokens.stream_url(asset.public_id, "master.m3u8", tokens.expiry())).status_code == 200


def test_stop_and_revocation_refuse_the_next_segment_and_key(platform, film, viewer):
    started = _start(platform, viewer, film)
    folder = started.master_url.rsplit("/", 1)[0] + "/"
    client = Client()
    assert client.get(folder + "stream/180p/seg_00000.ts").status_code == 200
    playback.stop(viewer, started.session.public_id, position=3)
    assert client.get(folder + "stream/180p/seg_00000.ts").status_code == 403
    assert client.get(folder + "key").status_code == 403
    assert client.get(started.master_url).status_code == 403
    second = _start(platform, viewer, film)
    assert playback.revoke(PlaybackSession.objects.filter(pk=second.session.pk), "takedown") == 1
    assert client.get(second.master_url.rsplit("/", 1)[0] + "/key").status_code == 403


def test_the_key_is_refused_without_a_live_session_for_that_asset(platform, film, viewer, org_a):
    asset = film.cinema_assets.get()
    assert Client().get(f"/cinema/keys/{asset.public_id}/").status_code == 403  # anonymous
    client = _browser(viewer.user)
    assert client.get(f"/cinema/keys/{asset.public_id}/").status_code == 403  # signed in, no session
    other_film = make_work(org_a, "other")
    hold(org_a, [other_film])
    ready_asset(org_a, other_film, platform)
    _start(platform, viewer, other_film)
    assert client.get(f"/cinema/keys/{asset.public_id}/").status_code == 403  # a session for another asset
    started = _start(platform, viewer, film)
    someone_else = viewer_of(platform, email="other@example.com")
    assert _browser(someone_else.user).get(f"/cinema/keys/{asset.public_id}/").status_code == 403  # another viewer
    assert client.get(f"/cinema/keys/{asset.public_id}/").status_code == 200
    playback.stop(viewer, started.session.public_id, position=3)
    assert client.get(f"/cinema/keys/{asset.public_id}/").status_code == 403  # the session ended


def test_a_viewer_outside_the_territory_is_refused(platform, film):
    german = viewer_of(platform, email="de@example.com", country="DE")
    with pytest.raises(NotFound):
        _start(platform, german, film)


def test_a_kids_profile_cannot_play_an_adult_work(platform, film, viewer, org_a):
    kids = viewers.create_profile(viewer, name="Kids", is_kids=True, pin="2468")
    assert kids.max_age == 12
    with pytest.raises(NotFound):
        _start(platform, viewer, film, kids)  # 16+
    adult_only = make_work(org_a, "night", ratings=[("RU", "MKRF", "18+")])
    hold(org_a, [adult_only])
    ready_asset(org_a, adult_only, platform)
    teen = viewers.create_profile(viewer, name="Teen", is_kids=True, max_age=16, pin="2468")
    assert _start(platform, viewer, film, teen).session.pk
    with pytest.raises(NotFound):
        _start(platform, viewer, adult_only, teen)
    assert _start(platform, viewer, adult_only).session.pk  # the adult profile may


def test_a_lapsed_subscription_is_refused(platform, film, viewer):
    Subscription.objects.filter(viewer=viewer).update(active_until=timezone.now() - timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        _start(platform, viewer, film)
    viewers.subscribe(viewer)  # the test provider charges and the subscription runs again
    assert _start(platform, viewer, film).session.pk


def test_a_grant_that_ended_yesterday_is_refused(platform, org_a, org_b, viewer):
    licensed = make_work(org_b, "import", ratings=[("RU", "MKRF", "12+")])
    yesterday_end = timezone.localdate()  # exclusive end: the last day was yesterday
    term = TermInput(works=[licensed], territories="RU", media=["svod"], start="2026-01-01", end=yesterday_end)
    ledger.record_holding(
        org_b,
        TermInput(works=[licensed], territories="RU", media=["svod"], start="2026-01-01", sublicensable=True),
        contract=ContractInput(reference="B-ACQ"),
    )
    ledger.grant(org_b, org_a, term, contract=ContractInput(reference="B-TO-A"))
    ready_asset(org_a, licensed, platform)
    with pytest.raises(NotFound):
        _start(platform, viewer, licensed)
    ledger.grant(
        org_b,
        org_a,
        TermInput(works=[licensed], territories="RU", media=["svod"], start=yesterday_end, end="2030-01-01"),
        contract=ContractInput(reference="B-TO-A-2"),
    )
    assert _start(platform, viewer, licensed).session.pk  # a new grant shows at once


def test_the_stream_limit_counts_live_sessions_of_the_account(platform, film, viewer, settings):
    settings.CINEMA_MAX_STREAMS = 2
    first = _start(platform, viewer, film)
    _start(platform, viewer, film)
    with pytest.raises(Conflict):
        _start(platform, viewer, film)
    playback.stop(viewer, first.session.public_id)
    assert _start(platform, viewer, film).session.pk  # a stopped stream frees its place
    PlaybackSession.objects.filter(viewer=viewer).update(last_heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert _start(platform, viewer, film).session.pk  # silent sessions stop counting


def test_heartbeats_store_position_and_seconds_on_the_session_and_playback_resumes(platform, film, viewer):
    started = _start(platform, viewer, film)
    assert started.resume_at == 0
    PlaybackSession.objects.filter(pk=started.session.pk).update(last_heartbeat_at=timezone.now() - timedelta(seconds=30))
    beat = playback.heartbeat(viewer, started.session.public_id, position=4.5, seconds=600)
    assert beat.base_url == started.master_url.rsplit("/", 1)[0] + "/" and beat.expires == started.expires
    assert beats.drain() == 1
    session = PlaybackSession.objects.get(pk=started.session.pk)
    assert session.position == 4.5 and session.first_beat_at is not None
    assert 30 <= session.seconds_watched <= 36  # never more than the wall-clock time since the last beat
    playback.stop(viewer, started.session.public_id, position=4.5)
    again = _start(platform, viewer, film)
    assert again.resume_at == 4.5
    kids = viewers.create_profile(viewer, name="Other", is_kids=False)
    assert _start(platform, viewer, film, kids).resume_at == 0  # positions are per profile


def test_a_right_that_ends_ends_the_session_at_the_next_recheck(platform, film, viewer, org_a):
    started = _start(platform, viewer, film)
    folder = started.master_url.rsplit("/", 1)[0] + "/"
    ledger.terminate(org_a, film.right_atoms.first().contract, timezone.localdate())
    assert playback.end_lapsed() == 1
    assert PlaybackSession.objects.get(pk=started.session.pk).ended_at is not None
    with pytest.raises(Conflict):
        playback.heartbeat(viewer, started.session.public_id, position=1, seconds=1)
    assert Client().get(folder + "stream/180p/seg_00000.ts").status_code == 403


def test_a_lapsed_subscription_ends_the_session_at_the_next_recheck(platform, film, viewer):
    started = _start(platform, viewer, film)
    assert playback.end_lapsed() == 0  # nothing lapsed: nothing ends
    Subscription.objects.filter(viewer=viewer).update(active_until=timezone.now() - timedelta(seconds=1))  # refunded, say
    assert playback.end_lapsed() == 1
    assert Client().get(started.master_url).status_code == 403


def test_a_rental_runs_48_hours_from_the_first_play(platform, org_a):
    rented = make_work(org_a, "premiere", ratings=[("RU", "MKRF", "0+")])
    hold(org_a, [rented], media=["tvod"])
    ready_asset(org_a, rented, platform)
    viewer = viewer_of(platform, email="renter@example.com", subscribed=False)
    with pytest.raises(PermissionDenied):
        _start(platform, viewer, rented)
    rental = viewers.rent(viewer, _viewing(platform, viewer), rented.pk)
    assert rental.first_played_at is None
    _start(platform, viewer, rented)
    rental.refresh_from_db()
    assert rental.expires_at - rental.first_played_at == timedelta(hours=48)
    Rental.objects.filter(pk=rental.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    PlaybackSession.objects.update(ended_at=timezone.now())
    with pytest.raises(PermissionDenied):
        _start(platform, viewer, rented)


def test_another_viewers_session_cannot_be_driven(platform, film, viewer):
    started = _start(platform, viewer, film)
    intruder = viewer_of(platform, email="intruder@example.com")
    with pytest.raises(NotFound):
        playback.heartbeat(intruder, started.session.public_id, position=1, seconds=1)
    with pytest.raises(NotFound):
        playback.stop(intruder, started.session.public_id)
