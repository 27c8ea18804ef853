"""Pages: sign-in, the language switcher on every page, the organisation switcher, error pages."""

import pytest

from kinomost.parties import services as parties
from kinomost.parties.models import Role
from tests.factories import PASSWORD


def test_sign_in_with_email_and_password_lands_on_the_studio(client, user_a):
    r = client.post("/login/", {"username": user_a.email, "password": PASSWORD})
    assert r.status_code == 302
    page = client.get("/").content.decode()
    assert "Rus Media Group" in page and "/studio/works/" in page


def test_wrong_password_shows_the_form_again_without_signing_in(client, user_a):
    r = client.post("/login/", {"username": user_a.email, "password": "wrong"})
    assert r.status_code == 200
    assert client.get("/studio/works/").status_code == 302


@pytest.mark.parametrize("path", ["/", "/login/", "/studio/works/", "/studio/search/?q=x"])
def test_every_page_has_the_three_language_switcher(client_a, path):
    page = client_a.get(path).content.decode()
    assert 'id="language-switcher"' in page
    for code in ("en", "ru", "zh-hans"):
        assert f'value="{code}"' in page


@pytest.mark.parametrize("language, word", [("ru", "Каталог"), ("zh-hans", "目录"), ("en", "Catalogue")])
def test_interface_speaks_the_chosen_language(client_a, language, word):
    r = client_a.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert r.status_code == 302
    assert word in client_a.get("/").content.decode()


def test_private_pages_send_strangers_to_sign_in(client, db):
    for path in ["/studio/works/", "/studio/search/"]:
        r = client.get(path)
        assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_member_of_two_organisations_switches_between_them(client, org_a, org_b):
    user, _ = parties.create_member(email="both@example.org", organisation=org_a, role=Role.OWNER, password=PASSWORD)
    parties.create_member(email="both@example.org", organisation=org_b, role=Role.READ_ONLY)
    client.force_login(user)
    assert client.get("/api/v1/me").json()["slug"] == org_a.slug
    client.post("/organisation/", {"organisation": org_b.pk, "next": "/"})
    assert client.get("/api/v1/me").json() == {**client.get("/api/v1/me").json(), "slug": org_b.slug, "role": "read_only"}


def test_cannot_switch_to_an_organisation_one_is_not_a_member_of(client_a, org_a, org_b):
    client_a.post("/organisation/", {"organisation": org_b.pk, "next": "/"})
    assert client_a.get("/api/v1/me").json()["slug"] == org_a.slug


def test_unknown_page_is_a_friendly_404(client_a):
    r = client_a.get("/studio/works/999999/")
    assert r.status_code == 404
    assert "Traceback" not in r.content.decode() and 'id="language-switcher"' in r.content.decode()


def test_admin_is_for_superusers_only(client_a, db):
    assert client_a.get("/admin/").status_code == 302
    from kinomost.parties.models import User

    admin = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    client_a.force_login(admin)
    assert client_a.get("/admin/").status_code == 200


def test_posters_are_served_and_nothing_else_under_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "posters").mkdir()
    (tmp_path / "posters" / "p.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("no")
    assert client.get("/media/posters/p.svg").status_code == 200
    assert client.get("/media/secret.txt").status_code == 404
    assert client.get("/media/posters/../secret.txt").status_code in (400, 404)  # refused, never served
