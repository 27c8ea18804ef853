"""The balance of the exchange on a small scenario: A licenses two films to B in Q1, B one film
to A in Q2; works, hours and money each way and the equal-exchange index."""

from decimal import Decimal

import pytest

from kinomost.catalog.models import Work
from kinomost.core.errors import NotFound
from kinomost.exchange import balance as exchange_balance
from kinomost.exchange import deals
from tests.factories import hold, make_work

from tests.factories import CN_SVOD, proposal

pytestmark = pytest.mark.django_db


def _signed(seller, buyer, buyer_org, works, on, **money):
    deal = deals.create_deal(seller, buyer_org, proposal(works, [{**CN_SVOD, "territories": ["CN", "RU"], "exclusive": False}], **money))
    deals.propose(seller, deal.pk)
    deals.accept(buyer, deal.pk)
    deals.countersign(buyer, deal.pk)
    return deals.sign(seller, deal.pk, on_date=on).deal


@pytest.fixture
def scenario(actor_a, actor_b, org_a, org_b):
    a1, a2 = make_work(org_a, "a-one"), make_work(org_a, "a-two")
    b1 = make_work(org_b, "b-one")
    Work.objects.filter(pk=a1.pk).update(runtime_minutes=90)
    Work.objects.filter(pk=a2.pk).update(runtime_minutes=120)
    Work.objects.filter(pk=b1.pk).update(runtime_minutes=100)
    hold(org_a, [a1, a2], territories=["CN", "RU"])
    hold(org_b, [b1], territories=["CN", "RU"])
    _signed(actor_a, actor_b, org_b, [a1, a2], "2027-02-10", fee_per_work=Decimal("1000"), flat_fee=Decimal("500"))
    _signed(actor_b, actor_a, org_a, [b1], "2027-05-03", fee_per_work=Decimal("2500"))


def test_by_quarter(scenario, actor_a):
    result = exchange_balance.balance(actor_a, "rus-media", "shanghai-media", by="quarter")
    q1, q2 = result.rows
    assert (q1.period, len(q1.a_to_b.works), q1.a_to_b.hours, q1.a_to_b.money["USD"], len(q1.b_to_a.works)) == (
        "2027-Q1",
        2,
        Decimal("3.5"),
        Decimal("2500.00"),
        0,
    )
    assert (q2.period, len(q2.b_to_a.works), q2.b_to_a.hours, q2.b_to_a.money["USD"]) == ("2027-Q2", 1, Decimal("1.7"), Decimal("2500.00"))
    assert q1.index()["works"] == Decimal("0")
    index = result.total.index()
    assert (index["works"], index["hours"], index["money_USD"]) == (Decimal("0.500"), Decimal("0.476"), Decimal("1.000"))


def test_by_month_and_year_and_between_countries(scenario, actor_a):
    assert [r.period for r in exchange_balance.balance(actor_a, "rus-media", "shanghai-media", by="month").rows] == ["2027-02", "2027-05"]
    (year,) = exchange_balance.balance(actor_a, "rus-media", "shanghai-media", by="year").rows
    assert (len(year.a_to_b.works), len(year.b_to_a.works)) == (2, 1)
    (countries,) = exchange_balance.balance(actor_a, "RU", "CN", scope="country").rows
    assert (len(countries.a_to_b.works), countries.b_to_a.money["USD"]) == (2, Decimal("2500.00"))


def test_only_a_party_reads_an_organisations_balance(scenario, actor_c):
    with pytest.raises(NotFound):
        exchange_balance.balance(actor_c, "rus-media", "shanghai-media")


def test_the_balance_files_write_text_as_text_never_as_a_formula():
    """Whatever names the sides (a slug today; any text tomorrow) the XLSX has string cells and the
    CSV escapes cells a spreadsheet program would run."""
    import csv
    import io

    from openpyxl import load_workbook

    from kinomost.exchange import exports

    evil = '=HYPERLINK("http://evil.example/","x")'
    total = exchange_balance.BalanceRow("-total", exchange_balance.Flow(), exchange_balance.Flow())
    result = exchange_balance.Balance(scope="organisation", a=evil, b="@b", by="year", rows=[], total=total)
    sheet = load_workbook(io.BytesIO(exports.export_balance(result, "xlsx"))).active
    title = next(sheet.iter_rows(max_row=1))[0]
    assert title.value == f"{evil} ↔ @b" and title.data_type == "s"
    rows = list(csv.reader(io.StringIO(exports.export_balance(result, "csv").decode("utf-8-sig"))))
    assert rows[1][0] == "'-total" and rows[1][1] == "0"
