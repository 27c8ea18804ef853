"""The data migrations that rewrite language tags stored before tags were canonicalised: every
place a tag is stored (terms, offers, platforms, handed-in files, tracks) ends up with the tag
the code now writes, so `rus` stored yesterday and `ru` saved today are one language."""

import importlib

from django.apps import apps

from kinomost.cinema.models import Asset, AssetSource, Platform, Track
from kinomost.exchange.models import Offer
from kinomost.rights.models import Term
from tests.factories import hold, make_work


def _run(app, name):
    importlib.import_module(f"kinomost.{app}.migrations.{name}").canonicalise(apps, None)


def test_ledger_terms_and_offers_get_canonical_languages(org_a):
    film = make_work(org_a, "brother")
    term = hold(org_a, [film])  # a term as the ledger records it, then its languages as the old code stored them
    Term.objects.filter(pk=term.pk).update(
        languages=[{"language": "rus", "use": "dubbed"}, {"language": "ru", "use": "dubbed"}, {"language": "chi", "use": "subtitled"}]
    )
    offer = Offer.objects.create(
        sender=org_a,
        name="Package",
        terms=[{"territories": ["CN"], "languages": [{"language": "zho", "use": "subtitled"}]}, {"territories": ["RU"]}],
    )
    _run("rights", "0005_canonical_language_tags")
    _run("exchange", "0002_canonical_language_tags")
    term.refresh_from_db()
    offer.refresh_from_db()
    assert term.languages == [{"language": "ru", "use": "dubbed"}, {"language": "zh", "use": "subtitled"}]
    assert offer.terms == [{"territories": ["CN"], "languages": [{"language": "zh", "use": "subtitled"}]}, {"territories": ["RU"]}]


def test_platforms_sources_and_tracks_get_canonical_languages(org_a):
    film = make_work(org_a, "brother")
    platform = Platform.objects.create(
        organisation=org_a, slug="kino", name="Kino", territories=["RU"], media=["svod"], languages=["rus", "ru", "chi", "zh-Hant"]
    )
    asset = Asset.objects.create(organisation=org_a, platform=platform, work=film)
    source = AssetSource.objects.create(asset=asset, kind="audio", language="ger", path="a.m4a", original_name="a.m4a")
    track = Track.objects.create(asset=asset, kind="subtitles", name="zh", language="chi", playlist="s.m3u8")
    _run("cinema", "0004_canonical_language_tags")
    platform.refresh_from_db()
    source.refresh_from_db()
    track.refresh_from_db()
    assert platform.languages == ["ru", "zh", "zh-Hant"]
    assert (source.language, track.language) == ("de", "zh")
