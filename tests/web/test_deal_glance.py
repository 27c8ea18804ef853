"""The deal at a glance (issue 17 §4): the deal page opens with who waits for whom, the terms in
the reader's words, the money, the quota forecast and the approvals activation needs; the works
are a table a person pages and filters; versions say what changed; counter notes are in the thread."""

from decimal import Decimal

import pytest

from kinomost.exchange import deals, summary
from kinomost.exchange.models import QuotaRule
from tests.exchange.conftest import CN_SVOD, proposal
from tests.rights.conftest import hold, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(org_a):
    works = [make_work(org_a, f"film-{i:02d}") for i in range(1, 31)]
    hold(org_a, works, territories=["CN", "RU"])
    return works


@pytest.fixture
def countered(actor_a, actor_b, org_b, catalogue):
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue, minimum_guarantee=Decimal("5000"))).pk)
    later = {**CN_SVOD, "end": "2029-12-31"}
    return deals.counter(actor_b, deal.pk, proposal(catalogue[:28], [later], fee_per_work=Decimal("800")), note="28 films until 2029")


def _page(client, deal, language="en", query=""):
    client.cookies["django_language"] = language
    page = client.get(f"/studio/exchange/deals/{deal.pk}/{query}").content.decode()
    return page.replace("\xa0", " ").replace("\u202f", " ")  # CLDR's no-break spaces in numbers


def test_the_summary_says_whose_step_and_the_terms_in_russian(client_a, countered):
    page = _page(client_a, countered, "ru")
    summary_html = page[page.index('id="summary"') : page.index('id="works"')]
    assert "Ваш шаг" in summary_html  # the seller must answer the counter
    assert "Китай" in summary_html and "31 декабря 2029" in summary_html  # a country's name, a Russian date
    assert "22 400,00" in summary_html and "$" in summary_html  # 28 × 800 + 0 + 0 in Russian number format
    assert ">CN<" not in summary_html and "svod" not in summary_html


def test_the_other_side_reads_that_it_waits(client_b, countered, org_a):
    page = _page(client_b, countered)
    assert f"Waiting for {org_a.name}" in page


def test_a_version_shows_what_it_changed(client_a, countered):
    page = _page(client_a, countered)
    version = page[page.index('id="version-2"') : page.index('id="version-1"')]
    assert "What changed" in version
    assert "<del>Jan. 1, 2030</del>" in version and "<ins>Dec. 31, 2029</ins>" in version
    assert "<del>$1,000.00</del>" in version and "<ins>$800.00</ins>" in version
    assert "Works removed" in version and "film-29" not in version.split("Works removed")[0]
    assert "28 films until 2029" in page[page.index('id="thread"') :]  # the counter's note is in the thread


def test_the_works_are_paged_and_filtered(client_a, countered):
    first = _page(client_a, countered)
    assert first.count('data-ref="film-') == 25 and "page 1 of 2" in first
    second = _page(client_a, countered, query="?page=2")
    assert second.count('data-ref="film-') == 3
    found = _page(client_a, countered, query="?q=film-07")
    assert found.count('data-ref="film-') == 1 and 'data-ref="film-07"' in found


def test_the_quota_forecast_says_what_it_means(client_a, actor_a, org_b, catalogue):
    QuotaRule.objects.all().delete()
    QuotaRule.objects.create(name="CN online share", territory="CN", media="svod", measure="share", scope="foreign", limit=30, hard=False)
    deal = deals.propose(actor_a, deals.create_deal(actor_a, org_b, proposal(catalogue[:3])).pk)
    page = _page(client_a, deal)
    assert "CN online share (2027): 100.0 % of a 30 % cap: over the limit (a soft quota: signing is allowed, with a warning)" in page
    assert 'class="quota over"' in page


def test_version_changes_lists_terms_money_and_works(countered, catalogue):
    first, second = list(countered.versions.order_by("number"))
    changes = summary.version_changes(first, second)
    assert {(c["field"], c["before"], c["after"]) for c in changes["terms"]} == {("end", "2030-01-01", "2029-12-31")}
    assert ("fee_per_work", Decimal("1000"), Decimal("800")) in {(c["field"], c["before"], c["after"]) for c in changes["money"]}
    assert changes["removed"] == sorted(w.pk for w in catalogue[28:]) and changes["added"] == []
    assert summary.version_changes(None, first)["any"] is False


def test_quota_sentence_for_a_count_and_a_share():
    count = {
        "name": "CN films",
        "year": 2027,
        "measure": "count",
        "after": "35",
        "limit": "34",
        "over": True,
        "near_limit": True,
        "hard": True,
    }
    share = {
        "name": "CN share",
        "year": 2027,
        "measure": "share",
        "after": "28.0",
        "limit": "30",
        "over": False,
        "near_limit": True,
        "hard": False,
    }
    assert summary.quota_sentence(count) == "CN films (2027): 35 of 34 works a year: over the limit (a hard quota: signing is refused)"
    assert summary.quota_sentence(share) == "CN share (2027): 28.0 % of a 30 % cap: near the limit"
