"""Usage and rate imports (all or nothing, every bad row named, a second import changes nothing),
and the statement through the CLI (json, xlsx, pdf) and the API — with tenancy: a third
organisation sees nothing, and a bad query is a clear 4xx, never a 500."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinomost.core.errors import ImportRejected
from kinomost.parties import services as parties
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.royalties import fx, periods, usage
from kinomost.royalties.models import ExchangeRate, UsageRow
from kinomost.royalties.statements import compute

pytestmark = pytest.mark.django_db

USAGE = """period,platform,work,territory,media,views,seconds,receipts,currency
2027-01,iQIYI,film,RU,svod,120,360000,1500.00,USD
2027-02,iQIYI,{eidr},RU,svod,80,7200,500,USD
"""
RATES = "date,base,quote,rate,source\n2027-01-10,USD,RUB,100,CBR\n2027-02-10,USD,RUB,90,CBR\n"


@pytest.fixture
def licensed(world):
    (film,) = world.works("film")
    film.eidr = "10.5240/7791-8534-2C23-9030-8610-5"
    film.save(update_fields=["eidr"])
    contract = world.licence([film], {"currency": "USD", "revenue_share": "40"})
    return film, contract


def _licensee(world):
    return Actor(organisation=world.licensee, role=Role.LICENSING_MANAGER)


def test_usage_import_attributes_rows_to_the_licence_and_a_second_import_changes_nothing(world, licensed):
    film, contract = licensed
    data = USAGE.format(eidr=film.eidr).encode()
    first = usage.import_usage(_licensee(world), data, "march.csv")
    assert (first.rows, first.created) == (2, 2)
    assert sorted(UsageRow.objects.values_list("contract_id", "views", "receipts")) == [
        (contract.pk, 80, Decimal("500")),
        (contract.pk, 120, Decimal("1500")),
    ]
    again = usage.import_usage(_licensee(world), data, "march.csv")
    same_rows_new_file = usage.import_usage(_licensee(world), data + b"\n", "copy.csv")
    assert again.already_imported and same_rows_new_file.created == 0 and UsageRow.objects.count() == 2
    assert compute(contract, periods.parse("2027-Q1")).document["royalty"] == "800.00"  # 40 % of 2000, counted once


def test_a_bad_usage_file_names_every_bad_row_and_imports_nothing(world, licensed):
    bad = (
        USAGE.format(eidr="unknown-work")
        + "2027-13,iQIYI,film,RU,svod,1,1,1,USD\n"
        + "2027-03,iQIYI,film,XX,svod,1,1,1,USD\n"
        + "2027-03,iQIYI,film,RU,svod,-1,1,1,USD\n"
        + "2027-03,iQIYI,film,RU,svod,1,1,1,XYZ\n"
        + "2027-03,iQIYI,film,CN,svod,1,1,1,USD\n"
    )  # no licence in CN
    with pytest.raises(ImportRejected) as refused:
        usage.import_usage(_licensee(world), bad.encode(), "bad.csv")
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [
        (3, "work"),
        (4, "period"),
        (5, "territory"),
        (6, "views"),
        (7, "currency"),
        (8, "work"),
    ]
    assert not UsageRow.objects.exists()


def test_fx_import_is_all_or_nothing_and_idempotent(db):
    assert fx.import_rates(RATES.encode()).created == 2
    assert fx.import_rates(RATES.encode()).unchanged == 2 and ExchangeRate.objects.count() == 2
    with pytest.raises(ImportRejected) as refused:
        fx.import_rates((RATES + "2027-03-10,USD,ABC,90,CBR\n2027-03-11,USD,RUB,-2,CBR\n2027-01-10,USD,RUB,101,CBR\n").encode())
    assert [p["row"] for p in refused.value.problems] == [4, 5, 6]  # row 6 contradicts row 2
    with pytest.raises(ImportRejected):  # a rate already imported with another value
        fx.import_rates(b"date,base,quote,rate,source\n2027-01-10,USD,RUB,101,CBR\n")
    assert ExchangeRate.objects.count() == 2


def test_the_cli_imports_and_writes_json_xlsx_and_pdf(world, licensed, tmp_path):
    film, contract = licensed
    source = tmp_path / "usage.csv"
    source.write_text(USAGE.format(eidr=film.eidr))
    rates = tmp_path / "rates.csv"
    rates.write_text(RATES)
    out = io.StringIO()
    call_command("fx", "import", str(rates), stdout=out)
    call_command("royalties", "import-usage", str(source), "--org", "shanghai-media", stdout=out)
    assert "2 rows: 2 recorded" in out.getvalue()
    out = io.StringIO()
    call_command(
        "royalties",
        "statement",
        "--org",
        "rus-media",
        "--licensee",
        "shanghai-media",
        "--period",
        "2027-Q1",
        "--contract",
        "LIC-1",
        "--format",
        "json",
        stdout=out,
    )
    doc = json.loads(out.getvalue())
    assert {
        "licensor",
        "licensee",
        "contract",
        "period",
        "currency",
        "lines",
        "royalty",
        "minimum_guarantee",
        "withholding",
        "payable",
        "fx",
    } <= set(doc)
    assert (doc["licensor"], doc["licensee"], doc["contract"], doc["royalty"]) == ("rus-media", "shanghai-media", "LIC-1", "800.00")
    for fmt, magic in (("xlsx", b"PK"),):
        for language in ("ru", "zh-hans"):
            target = tmp_path / f"s-{language}.{fmt}"
            call_command(
                "royalties",
                "statement",
                "--org",
                "rus-media",
                "--licensee",
                "shanghai-media",
                "--period",
                "2027-Q1",
                "--format",
                fmt,
                "--language",
                language,
                "--output",
                str(target),
                stdout=io.StringIO(),
            )
            assert target.read_bytes().startswith(magic)
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "s-ru.xlsx").active
    assert ["Роялти", "800.00"] in [[c.value for c in row][:2] for row in sheet.iter_rows()]
    with pytest.raises(CommandError, match="not a period"):
        call_command("royalties", "statement", "--org", "rus-media", "--licensee", "shanghai-media", "--period", "2027-Q5")


def _cjk_font_or_skip():
    from kinomost.core.errors import InvalidInput
    from kinomost.royalties import export

    try:
        return export.font_path()
    except InvalidInput:
        pytest.skip("no CJK font for the PDF: apt-get install fonts-noto-cjk")


def test_the_pdf_statement_is_written_in_each_language_with_a_cjk_font(world, licensed):
    font = _cjk_font_or_skip()
    from kinomost.royalties import export

    film, contract = licensed
    world.usage(contract, film, "2027-02", receipts="100")
    doc = compute(contract, periods.parse("2027-Q1")).document
    files = {language: export.render([doc], "pdf", language) for language in ("en", "ru", "zh-hans")}
    for data in files.values():
        assert data.startswith(b"%PDF") and font.stem.split("-")[0].encode() in data  # the CJK font is embedded
    assert len(set(files.values())) == 3  # the labels differ by language


def test_the_api_shows_each_party_its_statement_and_nobody_else(client, world, licensed, org_c):
    film, contract = licensed
    world.usage(contract, film, "2027-02", receipts="100")
    tokens = {
        org.slug: parties.create_api_key(organisation=org, name="t", role=Role.LICENSING_MANAGER)[1]
        for org in (world.licensor, world.licensee, org_c)
    }

    def get(slug, query):
        return client.get(f"/api/v1/royalties/statements?{query}", HTTP_AUTHORIZATION=f"Bearer {tokens[slug]}")

    owed = get("rus-media", "period=2027-Q1").json()
    owes = get("shanghai-media", "period=2027-Q1&counterparty=rus-media").json()
    assert [d["royalty"] for d in owed] == [d["royalty"] for d in owes] == ["40.00"]
    assert get("kazakh-film", "period=2027-Q1").json() == []
    assert get("kazakh-film", "period=2027-Q1&contract=LIC-1").status_code == 404
    for query in ("period=2027-Q9", "period=" + "9" * 50, "period=2027-Q1&format=doc"):
        r = get("rus-media", query)
        assert r.status_code == 422 and r.json()["error"] == "invalid_input", r.content
    r = get("rus-media", "period=2027-03&contract=LIC-1")  # a quarterly contract has no monthly statement
    assert r.status_code == 422 and "quarterly" in r.json()["message"]
    assert get("rus-media", "period=2027-Q1&format=xlsx")["Content-Type"].startswith("application/vnd.openxml")


def test_the_api_imports_usage_and_refuses_closing_an_unfinished_period(client, world, licensed):
    film, _contract = licensed
    token = parties.create_api_key(organisation=world.licensee, name="t", role=Role.LICENSING_MANAGER)[1]
    upload = io.BytesIO(USAGE.format(eidr=film.eidr).encode())
    upload.name = "usage.csv"
    r = client.post("/api/v1/royalties/usage", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200 and r.json()["created"] == 2, r.content
    r = client.post("/api/v1/royalties/close", {"period": "2099-Q1"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 409 and r.json()["error"] == "conflict"


def test_the_studio_page_shows_the_licensor_what_it_is_owed_and_the_licensee_what_it_owes(client, world, licensed):
    film, contract = licensed
    world.usage(contract, film, "2027-02", receipts="100")
    licensor_user = parties.create_member(
        email="l@rus.example", organisation=world.licensor, role=Role.LICENSING_MANAGER, password="x" * 12
    )[0]
    licensee_user = parties.create_member(email="l@sh.example", organisation=world.licensee, role=Role.READ_ONLY, password="x" * 12)[0]
    client.force_login(licensor_user)
    page = client.get("/studio/royalties/?period=2027-Q1").content.decode()
    assert "Owed to you by Shanghai Media Group" in page and "US$40.00" in page
    assert client.get("/studio/royalties/?period=2027-Q1&format=pdf").content.startswith(b"%PDF")
    client.force_login(licensee_user)
    page = client.get("/studio/royalties/?period=2027-Q1").content.decode()
    assert "You owe Rus Media Group" in page and "US$40.00" in page
    assert "not a period" in client.get("/studio/royalties/?period=Q1").content.decode()
