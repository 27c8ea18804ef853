"""Every form posted to a page is held to the one rule on text (core.text), as the API is."""

import pytest

from kinomost.catalog.models import Work

from .test_work_edit import FORM


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x85"])
def test_a_control_character_in_any_form_field_refuses_the_post_and_saves_nothing(client_a, org_a, char):
    r = client_a.post("/studio/works/new/", {**FORM, "title:zh-Hans": f"斯大林格勒{char}"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "title:zh-Hans" in page and f"U+{ord(char):04X}" in page
    assert not Work.objects.filter(owner=org_a, ref="RU-100").exists()


def test_the_refusal_speaks_the_readers_language(client_a, org_a):
    r = client_a.post("/studio/works/new/", {**FORM, "synopsis:en": "Autumn\x071942"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 400 and "управляющий символ U+0007" in r.content.decode()


def test_line_breaks_and_tabs_are_ordinary_text(client_a, org_a):
    r = client_a.post("/studio/works/new/", {**FORM, "synopsis:en": "Autumn 1942.\r\n\tThe Volga."})
    assert r.status_code == 302
    assert Work.objects.get(owner=org_a, ref="RU-100").localizations.get(language="en").synopsis.startswith("Autumn 1942.")
