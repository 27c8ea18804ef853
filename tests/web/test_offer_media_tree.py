"""The offer form's (and the counter form's) media field is the media tree (issue 17 §2): grouped
checkboxes named in the reader's language, a group standing for its leaves; typed codes still work."""

import pytest

from kinomost.exchange import deals
from kinomost.exchange.models import Offer
from kinomost.web.views.exchange.forms import ProposalForm
from tests.factories import proposal
from tests.web.test_exchange_pages import OFFER_POST, catalogue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_offer_form_shows_the_tree_in_russian(client_a):
    client_a.cookies["django_language"] = "ru"
    page = client_a.get("/studio/exchange/offers/new/").content.decode()
    tree = page[page.index("data-media-tree") : page.index('name="media_codes"')]
    assert "Видео по запросу" in tree and "SVOD (подписка)" in tree  # a group and a leaf by name
    assert 'value="svod" id="id_media_svod" checked' in tree  # the default term is ticked
    assert 'name="media_codes"' in page  # and codes can still be typed


def test_a_ticked_group_stands_for_its_leaves():
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update({k: v for k, v in OFFER_POST.items() if k != "media"})
    data.setlist("media", ["vod", "tvod", "svod", "theatrical_exhibition"])  # as the browser posts a ticked group
    form = ProposalForm(data)
    assert form.is_valid(), form.errors
    assert form.term()["media"] == ["vod", "theatrical_exhibition"]


def test_typed_codes_and_ticks_are_read_together():
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update({k: v for k, v in OFFER_POST.items() if k != "media"})
    data.setlist("media", ["free_tv"])
    data["media_codes"] = "svod; Theatrical"
    form = ProposalForm(data)
    assert form.is_valid(), form.errors
    assert form.term()["media"] == ["free_tv", "svod", "theatrical"]


def test_an_unknown_typed_code_is_refused_by_name():
    form = ProposalForm({**OFFER_POST, "media": "", "media_codes": "svod; cinema"})
    assert not form.is_valid()
    assert "unknown media 'cinema'" in form.errors["media"][0]


def test_no_media_at_all_is_refused():
    form = ProposalForm({**OFFER_POST, "media": ""})
    assert not form.is_valid() and "media" in form.errors


def test_an_offer_posted_with_a_ticked_group_is_saved_with_it(client_a, catalogue):  # noqa: F811
    post = {**OFFER_POST, "media": ["vod", "svod", "avod"], "name": "VOD package"}
    response = client_a.post("/studio/exchange/offers/new/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get(name="VOD package")
    assert offer.terms[0]["media"] == ["vod"]
    edit = client_a.get(f"/studio/exchange/offers/{offer.pk}/edit/").content.decode()
    assert 'value="vod" id="id_media_vod" checked' in edit and 'value="svod" id="id_media_svod" checked' in edit


def test_the_counter_form_has_the_tree_with_the_terms_ticked(client_b, actor_a, org_b, catalogue):  # noqa: F811
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue)).pk)
    client_b.cookies["django_language"] = "zh-hans"
    page = client_b.get(f"/studio/exchange/deals/{deal.pk}/counter/").content.decode()
    assert "data-media-tree" in page and 'value="svod" id="id_media_svod" checked' in page
    assert "视频点播" in page or "点播" in page  # the vod group by its Chinese name
