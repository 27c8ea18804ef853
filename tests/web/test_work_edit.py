from kinomost.catalog import services
from kinomost.catalog.models import Work
from kinomost.parties import services as parties
from kinomost.parties.models import Role

FORM = {
    "ref": "RU-100",
    "kind": "feature",
    "original_language": "ru",
    "year": "2013",
    "countries": "RU",
    "genres": ["war", "drama"],
    "title:ru": "Сталинград",
    "title:zh-Hans": "斯大林格勒",
    "title:en": "Stalingrad",
    "synopsis:en": "Autumn 1942.",
}


def test_licensing_manager_creates_a_work_in_three_languages(client_a, org_a):
    r = client_a.post("/studio/works/new/", FORM)
    work = Work.objects.get(owner=org_a, ref="RU-100")
    assert r.status_code == 302 and r["Location"] == f"/studio/works/{work.pk}/"
    assert {loc.language: loc.title for loc in work.localizations.all()} == {
        "ru": "Сталинград",
        "zh-Hans": "斯大林格勒",
        "en": "Stalingrad",
    }
    assert sorted(g.slug for g in work.genres.all()) == ["drama", "war"] and work.countries == ["RU"]


def test_edit_form_shows_every_problem_next_to_its_field(client_a, org_a):
    r = client_a.post("/studio/works/new/", {**FORM, "eidr": "10.5240/77C5-ED35-8FC2-7D9D-9531-2", "countries": "XX"})
    page = r.content.decode()
    assert r.status_code == 200
    assert "expected 1" in page and "&#x27;XX&#x27; is neither an ISO 3166-1 country code nor a former country" in page
    assert not Work.objects.filter(ref="RU-100").exists()


def test_editing_changes_the_work_and_keeps_other_languages(client_a, org_a):
    work = services.save_work(
        org_a, services.WorkInput(ref="RU-1", kind="feature", titles={"ru": "Тихий Дон", "en": "Quiet Flows the Don"})
    )[0]
    form = client_a.get(f"/studio/works/{work.pk}/edit/").content.decode()
    assert "Тихий Дон" in form
    client_a.post(
        f"/studio/works/{work.pk}/edit/",
        {"ref": "RU-1", "kind": "feature", "title:ru": "Тихий Дон", "title:zh-Hans": "静静的顿河", "year": "1958"},
    )
    work.refresh_from_db()
    assert work.year == 1958
    assert {loc.language for loc in work.localizations.all()} == {"ru", "zh-Hans", "en"}


def test_another_organisation_cannot_open_the_edit_form(client_b, org_a):
    work = services.save_work(org_a, services.WorkInput(ref="RU-2", kind="feature", titles={"ru": "Бег"}, is_listed=True))[0]
    assert client_b.get(f"/studio/works/{work.pk}/edit/").status_code == 404
    assert client_b.post(f"/studio/works/{work.pk}/edit/", {"ref": "RU-2", "kind": "feature", "title:ru": "Взлом"}).status_code == 404
    assert work.localizations.get().title == "Бег"


def test_read_only_member_cannot_create(client, org_a):
    user, _ = parties.create_member(
        email="ro@rusmedia.example", organisation=org_a, role=Role.READ_ONLY, password="correct horse battery staple"
    )
    client.force_login(user)
    assert client.post("/studio/works/new/", FORM).status_code == 403
    assert "/studio/works/new/" not in client.get("/studio/works/").content.decode()
