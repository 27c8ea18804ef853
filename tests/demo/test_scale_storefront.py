"""`kinomost demo --scale` opens a storefront over the scale library: the platform `scale` of
`scale-cinema` plays every film and episode in RU by subscription, its visibility set is what a
rebuild gives, and viewer@scale.example signs in with the demo password and sees it."""

import pytest
from django.db import transaction

from kinomost.catalog.models import Work
from kinomost.cinema import storefront, visibility
from kinomost.cinema.models import Platform
from kinomost.cinema.visibility_models import VisibleTitle, VisibleWork
from kinomost.demo import scale, scenario


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        scale.generate(films=30, series=20)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def platform(generated, db):
    return Platform.objects.get(organisation__slug=scale.OWNER, slug=scale.PLATFORM)


def _set(platform):
    return (
        sorted(
            VisibleWork.objects.filter(platform=platform).values_list("work_id", "territory", "media", "valid_from", "valid_to", "asset_id")
        ),
        sorted(VisibleTitle.objects.filter(platform=platform).values_list("top_id", "territory", "valid_from", "valid_to")),
    )


def test_every_film_and_episode_is_playable_and_the_set_equals_a_rebuild(platform):
    owner = platform.organisation
    playable = set(Work.objects.filter(owner=owner, kind__in=["feature", "episode"]).values_list("id", flat=True))
    tops = set(Work.objects.filter(owner=owner, kind__in=["feature", "series"]).values_list("id", flat=True))
    viewing = storefront.Viewing(platform, "RU")
    assert set(storefront.playable_works(viewing)) == playable
    assert set(storefront.visible_titles(viewing).values_list("id", flat=True)) == tops
    assert storefront.visible_titles(storefront.Viewing(platform, "KZ")).count() == 0  # it sells in RU only
    generated = _set(platform)
    visibility.rebuild(platform)
    assert _set(platform) == generated
    assert scale.generate_storefront(owner) == len(generated[0])  # a second run adds nothing


def test_the_scale_viewer_signs_in_and_browses(platform, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=scale.VIEWER_EMAIL)
    assert user.check_password(scenario.password()) and user.viewer_accounts.get(platform=platform).subscription.is_active
    client.force_login(user)
    base = f"/watch/{scale.OWNER}/{scale.PLATFORM}/"
    home = client.get(base)
    assert home.status_code == 200 and "Recently added" in home.content.decode()
    series = Work.objects.filter(owner=platform.organisation, kind="series").first()
    page = client.get(f"{base}titles/{series.pk}/")
    assert page.status_code == 200 and "Episode 1" in page.content.decode()
    found = client.get(f"{base}search/", {"q": series.localizations.get(language="en").title})
    assert found.status_code == 200 and f"titles/{series.pk}/" in found.content.decode()
