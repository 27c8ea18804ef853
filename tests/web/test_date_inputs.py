"""Every date input of every form carries an ISO value in every interface language: the browser
rejects `01.01.2027` (ru) and `2027/01/01` (zh) in an `<input type="date">` and shows it empty."""

import importlib
import pkgutil
import re
from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

import kinomost

LANGUAGES = ["ru", "zh-hans", "en"]


def _all_forms() -> list[type[forms.Form]]:
    """Every Form class of Kinomost (every module imported, migrations aside)."""
    for info in pkgutil.walk_packages(kinomost.__path__, "kinomost."):
        if ".migrations" not in info.name and not info.name.endswith((".wsgi", ".asgi")):
            importlib.import_module(info.name)
    found, frontier = set(), [forms.Form]
    while frontier:
        cls = frontier.pop()
        for sub in cls.__subclasses__():
            frontier.append(sub)
            if sub.__module__.startswith("kinomost."):
                found.add(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def _date_fields():
    out = []
    for form in _all_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, (forms.DateField, forms.DateTimeField)):
                out.append((f"{form.__module__}.{form.__name__}.{name}", field))
    return out


DATE_FIELDS = _date_fields()


def test_the_walk_finds_the_forms_people_fill_in():
    names = {n for n, _f in DATE_FIELDS}
    assert "kinomost.web.views.exchange.forms.OfferForm.start" in names
    assert "kinomost.rights.forms.TerminateForm.on" in names
    assert len(names) >= 10


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name, field", DATE_FIELDS, ids=[n for n, _f in DATE_FIELDS])
def test_date_widget_renders_iso_in_every_language(name, field, language):
    value = datetime(2027, 1, 31, 18, 30) if isinstance(field, forms.DateTimeField) else date(2027, 1, 31)
    with translation.override(language):
        html = field.widget.render("x", value)
    kind = re.search(r'type="([^"]+)"', html).group(1)
    assert kind in ("date", "datetime-local"), f"{name} renders {html}"
    expected = "2027-01-31T18:30" if kind == "datetime-local" else "2027-01-31"
    assert f'value="{expected}"' in html, f"{name} in {language}: {html}"


@pytest.mark.parametrize("language", ["ru", "zh-hans"])
def test_terminate_and_offer_pages_carry_their_default_dates(client_a, org_a, language):
    client_a.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client_a.get("/studio/exchange/offers/new/").content.decode()
    for value in re.findall(r'<input[^>]*type="date"[^>]*>', page):
        found = re.search(r'value="([^"]*)"', value)
        assert found is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.group(1)), value
    assert re.search(r'name="start"[^>]*value="\d{4}-\d{2}-\d{2}"|value="\d{4}-\d{2}-\d{2}"[^>]*name="start"', page)
