"""`kinomost demo-cinema` opens a storefront whose titles become playable once the worker ran."""

import pytest
from django.core.management import CommandError, call_command

from kinomost.cinema import playback, storefront
from kinomost.demo import cinema as demo
from kinomost.cinema.models import Asset, Platform
from kinomost.cinema.viewing_models import Viewer
from kinomost.cinema.worker import run_worker
from kinomost.parties import services as parties

from .viewing import make_work

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scenario_orgs(db):
    """The three organisations of the demo scenario it needs, with one film and one episode."""
    orgs = {
        slug: parties.create_organisation(slug=slug, name=slug, kind=kind, country="RU")
        for slug, kind in (("severny-films", "producer"), ("severny-tv", "broadcaster"), ("longbo-kino", "platform"))
    }
    make_work(orgs["severny-films"], "SEV-F-0001", ratings=[("RU", "MKRF", "12+")])
    make_work(orgs["severny-tv"], "SEV-TV-S01", kind="series", ratings=[("RU", "MKRF", "16+")])
    make_work(orgs["severny-tv"], "SEV-TV-S01/S1", kind="season", parent_ref="SEV-TV-S01", number=1)
    make_work(orgs["severny-tv"], "SEV-TV-S01/S1E1", kind="episode", parent_ref="SEV-TV-S01/S1", number=1)
    return orgs


def test_the_demo_storefront_plays_after_ingest(scenario_orgs, capsys):
    call_command("demo-cinema")
    assert "viewer@longbo-kino.example" in capsys.readouterr().out
    platform = Platform.objects.get(slug=demo.PLATFORM_SLUG)
    viewing = storefront.Viewing(platform, "RU")
    assert not storefront.visible_titles(viewing).exists()  # nothing is ready before the worker ran
    assert run_worker(until_empty=True) == 2
    assert set(storefront.visible_titles(viewing).values_list("ref", flat=True)) == {"SEV-F-0001", "SEV-TV-S01"}
    viewer = Viewer.objects.get(user__email=demo.VIEWER_EMAIL)
    film = platform.assets.get(work__ref="SEV-F-0001").work
    assert playback.start(viewer, viewer.profiles.first(), viewing, film.pk).master_url.startswith("/hls/")
    call_command("demo-cinema")  # again: nothing new
    assert Asset.objects.count() == 2 and Platform.objects.count() == 1


def test_without_the_scenario_it_says_what_to_run(db):
    with pytest.raises(CommandError, match="kinomost demo"):
        call_command("demo-cinema")
