"""The TV app's page: one per platform, in the viewer's language, under the site's CSP."""

import json
import re

import pytest

from tests.cinema.viewing import make_platform

pytestmark = pytest.mark.django_db


def _config(response) -> dict:
    found = re.search(r'<script id="tv-config" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert found, "the page hands its configuration to the script as JSON"
    return json.loads(found.group(1))


def test_the_page_of_a_platform_points_its_script_at_that_platforms_viewer_api(client, org_a):
    platform = make_platform(org_a)
    response = client.get(f"/tv/{org_a.slug}/{platform.slug}/")
    assert response.status_code == 200
    config = _config(response)
    assert config["api"] == f"/api/v1/viewer/{org_a.slug}/{platform.slug}/"
    assert config["clientId"] == "kinomost-tv"
    assert config["strings"]["pair_title"] == "Sign in on your TV"
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in s or 'type="application/json"' in s for s in scripts), "no inline script under script-src 'self'"
    assert " style=" not in html and "<style" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_an_unknown_platform_is_not_found(client, org_a):
    make_platform(org_a)
    assert client.get(f"/tv/{org_a.slug}/nope/").status_code == 404
    assert client.get("/tv/nobody/kino/").status_code == 404


@pytest.mark.parametrize(
    ("asked", "lang", "title"),
    [
        ("?lang=ru", "ru", "Войдите на телевизоре"),
        ("?lang=zh-Hans", "zh-Hans", "在电视上登录"),
        ("?lang=ZH_hans", "zh-Hans", "在电视上登录"),
        ("?lang=en", "en", "Sign in on your TV"),
        ("?lang=xx", "en", "Sign in on your TV"),  # a language the site does not speak: the browser's, here none → English
    ],
)
def test_the_interface_language_comes_from_lang(client, org_a, asked, lang, title):
    platform = make_platform(org_a)
    response = client.get(f"/tv/{org_a.slug}/{platform.slug}/{asked}")
    config = _config(response)
    assert config["language"] == lang and f'<html lang="{lang}">' in response.content.decode()
    assert config["strings"]["pair_title"] == title


def test_without_lang_the_browsers_language_is_used(client, org_a):
    platform = make_platform(org_a)
    response = client.get(f"/tv/{org_a.slug}/{platform.slug}/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert _config(response)["language"] == "zh-Hans"
    response = client.get(f"/tv/{org_a.slug}/{platform.slug}/", HTTP_ACCEPT_LANGUAGE="ru-RU")
    assert _config(response)["strings"]["profiles_title"] == "Кто смотрит?"


def test_the_storefront_links_to_its_tv_app(client, org_a):
    from tests.cinema.viewing import viewer_of

    platform = make_platform(org_a)
    viewer = viewer_of(platform)
    client.force_login(viewer.user)
    page = client.get(f"/watch/{org_a.slug}/{platform.slug}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert f'href="/tv/{org_a.slug}/{platform.slug}/" class="tv-app">На телевизоре</a>' in page.content.decode()
