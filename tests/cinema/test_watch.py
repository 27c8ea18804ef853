"""The composition both the web storefront and the viewer API render (cinema.watch)."""

import pytest

from kinomost.catalog.models import AgeRating
from kinomost.cinema import watch
from kinomost.cinema.models import Track
from kinomost.core.errors import NotFound

from .viewing import hold, main_profile, make_platform, make_work, ready_asset, viewer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(org_a):
    return make_platform(org_a)


def _who(platform, viewer, language="en"):
    return watch.audience(platform, viewer, main_profile(viewer), language)


def test_the_rating_shown_is_the_one_the_age_check_reads(platform, org_a):
    """A film rated 16+ in Russia and 12 in Germany: a Russian viewer sees 16+; a film without a
    Russian rating shows its strictest, which is what a limited profile is held to."""
    russian = make_work(org_a, "brother", ratings=[("DE", "FSK", "12"), ("RU", "MKRF", "16+")])
    foreign = make_work(org_a, "abroad", ratings=[("GB", "BBFC", "12A"), ("DE", "FSK", "18")])
    hold(org_a, [russian, foreign])
    for work in (russian, foreign):
        ready_asset(org_a, work, platform)
    who = _who(platform, viewer_of(platform))
    shown = watch.title(who, russian.pk)
    assert (shown.rating.value, shown.minimum_age) == ("16+", 16)
    strictest = watch.title(who, foreign.pk)
    assert (
        strictest.rating.minimum_age
        == strictest.minimum_age
        == AgeRating.objects.filter(work=foreign).order_by("-minimum_age")[0].minimum_age
    )


def test_audio_languages_list_the_readers_language_first(platform, org_a):
    film = make_work(org_a, "film", ratings=[("RU", "MKRF", "0+")])
    hold(org_a, [film])
    asset = ready_asset(org_a, film, platform)
    for lang in ("en", "zh-Hans", "ru"):
        Track.objects.create(asset=asset, kind="audio", name=f"audio-{lang}", language=lang, playlist=f"a-{lang}.m3u8")
    viewer = viewer_of(platform)
    assert [tag for tag, _ in watch.title(_who(platform, viewer, "zh-Hans"), film.pk).audio][0] == "zh-Hans"
    assert [tag for tag, _ in watch.title(_who(platform, viewer, "ru"), film.pk).audio] == ["ru", "en", "zh-Hans"]
    assert watch.title(_who(platform, viewer, "ru"), film.pk).audio[0][1] == "русский"


def test_an_episode_or_an_unlicensed_work_is_not_a_title(platform, org_a):
    series = make_work(org_a, "series", kind="series", ratings=[("RU", "MKRF", "12+")])
    season = make_work(org_a, "series-s1", kind="season", parent_ref="series", number=1)
    episode = make_work(org_a, "series-s1e1", kind="episode", parent_ref="series-s1", number=1)
    unlicensed = make_work(org_a, "other", ratings=[("RU", "MKRF", "0+")])
    hold(org_a, [series])
    ready_asset(org_a, episode, platform)
    ready_asset(org_a, unlicensed, platform)
    who = _who(platform, viewer_of(platform))
    shown = watch.title(who, series.pk)
    assert shown.play_work_id == episode.pk and shown.seasons[0].number == season.number == 1
    assert [e.work.pk for e in shown.seasons[0].episodes] == [episode.pk]
    for work in (episode, unlicensed):
        with pytest.raises(NotFound):
            watch.title(who, work.pk)
