"""Every page answers with the Content-Security-Policy (django-csp): scripts and styles only from
our own files, never inline, never eval; and no template brings back what the policy refuses."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import kinomost
from tests.cinema.viewing import make_platform, viewer_of

pytestmark = pytest.mark.django_db

STUDIO_PAGES = [
    "web:home",
    "web:work-list",
    "web:search",
    "web:rights",
    "web:rights-find",
    "web:exchange",
    "web:exchange-balance",
    "web:exchange-quotas",
    "web:exchange-inbox",
    "web:cinema",
    "web:cinema-upload",
    "web:organisation",
]


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} answered without a Content-Security-Policy"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_strict(policy: dict[str, list[str]]) -> None:
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts == ["'self'"], scripts  # no 'unsafe-inline', no 'unsafe-eval', nothing remote
    assert policy["style-src"] == ["'self'"] and "style-src-attr" not in policy
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("name", STUDIO_PAGES)
def test_studio_pages_carry_the_policy(client_a, name):
    response = client_a.get(reverse(name))
    assert response.status_code == 200
    assert_strict(policy_of(response))


def test_sign_in_error_and_api_answers_carry_the_policy(client):
    for url in ["/login/", "/studio/no-such-page/", "/api/v1/openapi.json"]:
        assert_strict(policy_of(client.get(url)))


def test_the_api_docs_page_runs_swagger_from_our_own_files_under_the_same_policy(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_strict(policy_of(response))
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn.jsdelivr.net" not in page
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", page)  # no inline script


def test_storefront_pages_carry_the_policy_and_let_the_player_stream(client, org_a):
    platform = make_platform(org_a)
    base = f"/watch/{org_a.slug}/{platform.slug}/"
    assert_strict(policy_of(client.get(f"{base}login/")))
    client.force_login(viewer_of(platform).user)
    policy = policy_of(client.get(base))
    assert_strict(policy)
    # hls.js: MediaSource blob: URLs, its blob: worker, data: subtitle tracks, playlists and keys from us
    assert policy["media-src"] == ["'self'", "blob:", "data:"] and policy["worker-src"] == ["'self'", "blob:"]
    assert policy["connect-src"] == ["'self'"]


TEMPLATES = sorted(Path(kinomost.__file__).parent.glob("**/templates/**/*.html"))
# What the policy refuses: inline <script> (a JSON data block is not run), <style>, event-handler
# and style attributes, htmx's hx-on (run by eval), javascript: links.
REFUSED = re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>|<style|\son[a-z]+=|\sstyle=|hx-on|javascript:", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(Path(kinomost.__file__).parent)))
def test_no_template_has_what_the_policy_refuses(template):
    text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", template.read_text(), flags=re.S)  # template comments are not sent
    found = [m.group(0) for m in REFUSED.finditer(text)]
    assert found == [], f"{template.name}: {found} — move it into a static file or a class (docs/security-accounts.md)"
