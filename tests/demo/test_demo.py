"""The demo scenario: loads once, retells the market, every printed login works.

Loading takes seconds, so the module loads it once inside a transaction that is rolled back at
the end; each test runs in a savepoint inside it (pytest-django's `db`), so tests stay isolated.
"""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from kinomost.catalog.models import AgeRating, Credit, Person, Work, WorkLocalization
from kinomost.core.identifiers import normalise_eidr
from kinomost.core.ratings import SYSTEMS
from kinomost.demo import scenario
from kinomost.parties.models import Membership, Organisation, User
from tests.rights.avails_schema import demo_exports, needs_schemas, validate_avails_xml


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        with transaction.atomic():
            call_command("demo")
            # The foreign keys the load deferred are checked now, once, as its COMMIT would: left
            # queued, every test's closing check (a savepoint, rolled back) re-checked them all on
            # PostgreSQL, ~0.9 s a test.
            connection.check_constraints()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return None


def _row_counts():
    return [m.objects.count() for m in (Organisation, User, Membership, Work, WorkLocalization, Person, Credit, AgeRating)]


def test_second_run_creates_no_rows(demo, capsys):
    before = _row_counts()
    call_command("demo")
    assert _row_counts() == before
    out = capsys.readouterr().out
    assert "nothing changed" in out and scenario.URL in out and scenario.password() in out


def test_every_organisation_has_a_member_who_signs_in_with_the_printed_password(demo, client):
    assert {slug for _email, slug, _role, _name in scenario.LOGINS} == set(scenario.demo_slugs())
    for email, slug, _role, _name in scenario.LOGINS:
        response = client.post("/login/", {"username": email, "password": scenario.password()})
        assert response.status_code == 302, email
        assert client.get("/api/v1/me").json()["slug"] == slug
        client.post("/logout/")
    client.post("/login/", {"username": scenario.ADMIN_EMAIL, "password": scenario.password()})
    assert client.get("/admin/").status_code == 200


def test_organisations_form_the_market(demo):
    orgs = {o.slug: o for o in Organisation.objects.select_related("parent")}
    assert orgs["severny-tv"].parent.slug == orgs["severny-films"].parent.slug == "severny-media"
    assert orgs["longbo-kino"].parent.slug == "longbo-video" and orgs["longbo-kino"].kind == "platform"
    assert {o.country for o in orgs.values()} == {"RU", "CN"}


def test_every_demo_organisation_and_quota_rule_is_named_in_three_languages(demo, client):
    from kinomost.exchange.models import QuotaRule

    for org in Organisation.objects.filter(slug__in=scenario.demo_slugs()):
        assert set(org.names) == {"ru", "zh-Hans", "en"} and all(org.names.values()), org.slug
    for rule in QuotaRule.objects.all():
        assert set(rule.names) == {"ru", "zh-Hans", "en"}, rule.name
    client.post("/login/", {"username": "lina@pearl.example", "password": scenario.password()})
    client.cookies["django_language"] = "ru"
    page = client.get("/studio/exchange/").content.decode()
    assert "Шанхайская медиагруппа «Жемчужина»" in page and "上海明珠传媒集团" not in page  # the switcher and the top bar
    assert "Северный Медиа Холдинг" in page and "Severny Media Group" not in page  # the deals' other party


def test_the_first_package_is_300_listed_russian_features(demo):
    package = Work.objects.filter(owner__slug="severny-films", kind="feature")
    assert package.count() == scenario.PACKAGE_SIZE == 300
    assert not package.filter(is_listed=False).exists()
    assert not package.exclude(original_language="ru").exists()
    assert Work.objects.filter(parent__isnull=True).count() >= 300
    assert Work.objects.filter(is_listed=False).exists(), "some works stay private"


def test_every_top_level_work_has_titles_and_synopses_in_three_languages(demo):
    works = Work.objects.filter(parent__isnull=True).prefetch_related("localizations")
    for work in works:
        locs = {loc.language: loc for loc in work.localizations.all()}
        assert {"ru", "zh-Hans", "en"} <= set(locs), work.ref
        assert all(locs[lang].synopsis for lang in ("ru", "zh-Hans", "en")), work.ref
    assert WorkLocalization.objects.filter(language="zh-Hant").count() > 20


def test_generated_titles_are_unique_and_headliners_are_searchable(demo, client):
    titles = list(WorkLocalization.objects.filter(language="en", work__kind="feature").values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    client.post("/login/", {"username": "lina@pearl.example", "password": scenario.password()})
    for query in ("斯大林格勒", "Сталинград", "stalingrad"):
        refs = {w["ref"] for w in client.get("/api/v1/search", {"q": query}).json()["results"]}
        assert "SEV-F-0001" in refs, query


def test_series_have_seasons_and_episodes(demo):
    series = Work.objects.filter(kind="series")
    assert series.count() >= 6
    for one in series:
        seasons = list(one.children.all())
        assert 1 <= len(seasons) <= 3 and all(s.kind == "season" for s in seasons)
        assert all(4 <= s.children.filter(kind="episode").count() <= 10 for s in seasons)


def test_ratings_are_valid_and_every_playable_work_has_mkrf(demo):
    for rating in AgeRating.objects.all():
        territory, values = SYSTEMS[rating.system]
        assert rating.value in values and rating.territory == territory and rating.minimum_age == values[rating.value]
    unrated = Work.objects.exclude(ratings__system="MKRF")
    assert not unrated.exists(), list(unrated.values_list("ref", flat=True)[:5])
    assert AgeRating.objects.filter(system="MPAA").exists() and AgeRating.objects.filter(system="HK-FCO").exists()


def test_people_credits_identifiers_and_posters(demo):
    assert all({"ru", "zh-Hans", "en"} <= set(p.names) for p in Person.objects.all())
    assert Credit.objects.filter(role="composer").exists() and Credit.objects.filter(role="director").exists()
    eidrs = list(Work.objects.exclude(eidr="").values_list("eidr", flat=True))
    assert len(eidrs) > 50 and all(normalise_eidr(e) == e for e in eidrs)
    stalingrad = Work.objects.get(owner__slug="severny-films", ref="SEV-F-0001")
    assert stalingrad.poster.name == "posters/sev-f-0001.svg"
    assert "Сталинград" in stalingrad.poster.read().decode()


def test_both_sides_see_each_others_marketplace_but_not_private_works(demo, client):
    client.post("/login/", {"username": "ops@longbo-kino.example", "password": scenario.password()})
    refs = {w["ref"] for w in client.get("/api/v1/search", {"q": "Сталинград"}).json()["results"]}
    assert "SEV-F-0001" in refs
    private = Work.objects.filter(owner__slug="severny-tv", kind="programme").first()
    assert client.get(f"/api/v1/works/{private.pk}").status_code == 404
    client.post("/logout/")
    client.post("/login/", {"username": "films@severny.example", "password": scenario.password()})
    listed_chinese = Work.objects.filter(owner__slug="pearl-media", is_listed=True).first()
    assert client.get(f"/api/v1/works/{listed_chinese.pk}").status_code == 200


@needs_schemas
def test_every_demo_avails_export_is_valid_against_the_official_schema(demo):
    exports = demo_exports()
    assert len(exports) >= 2  # both sides of the market grant to each other
    for label, data in exports.items():
        assert validate_avails_xml(data) == [], label
