"""The demo scenario: loads once, retells the market, every login works."""

import pytest
from django.core.management import call_command

from kinomost.catalog.models import AgeRating, Work, WorkLocalization
from kinomost.core.ratings import SYSTEMS
from kinomost.demo import scenario
from kinomost.parties.models import Organisation


@pytest.fixture
def demo(db):
    call_command("demo")


def test_second_run_changes_nothing(demo, capsys):
    counts = (Organisation.objects.count(), Work.objects.count(), WorkLocalization.objects.count())
    call_command("demo")
    assert (Organisation.objects.count(), Work.objects.count(), WorkLocalization.objects.count()) == counts
    assert "nothing changed" in capsys.readouterr().out


def test_every_login_signs_in_with_the_printed_password(demo, client):
    for email, slug, _role, _name in scenario.LOGINS:
        assert client.post("/login/", {"username": email, "password": scenario.password()}).status_code == 302, email
        assert client.get("/api/v1/me").json()["slug"] == slug
        client.post("/logout/")
    client.post("/login/", {"username": scenario.ADMIN_EMAIL, "password": scenario.password()})
    assert client.get("/admin/").status_code == 200


def test_the_first_package_is_300_russian_features_in_three_languages(demo):
    package = Work.objects.filter(owner__slug="severny-films", kind="feature")
    assert package.count() == 300
    assert package.filter(is_listed=True).count() == 300
    for work in package.prefetch_related("localizations")[:50]:
        assert {"ru", "zh-Hans", "en"} <= {loc.language for loc in work.localizations.all()}
        assert all(loc.synopsis for loc in work.localizations.all() if loc.language in ("ru", "zh-Hans", "en"))


def test_series_have_seasons_and_episodes(demo):
    for series in Work.objects.filter(kind="series"):
        seasons = list(series.children.all())
        assert seasons and all(s.kind == "season" for s in seasons)
        assert all(s.children.filter(kind="episode").count() >= 4 for s in seasons)


def test_ratings_are_valid_mkrf_and_headliners_have_posters(demo):
    values = set(SYSTEMS["MKRF"][1])
    assert AgeRating.objects.exclude(system="MKRF").count() == 0
    assert set(AgeRating.objects.values_list("value", flat=True)) <= values
    stalingrad = Work.objects.get(ref="SEV-F-0001")
    assert stalingrad.poster.name.endswith(".svg") and stalingrad.eidr.startswith("10.5240/")


def test_both_sides_see_each_others_marketplace(demo, client):
    client.post("/login/", {"username": "lina@pearl.example", "password": scenario.password()})
    refs = {w["ref"] for w in client.get("/api/v1/search", {"q": "斯大林格勒"}).json()["results"]}
    assert "SEV-F-0001" in refs
    private = Work.objects.filter(owner__slug="severny-tv", kind="programme").first()
    assert client.get(f"/api/v1/works/{private.pk}").status_code == 404
