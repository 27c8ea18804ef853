"""Reading a spreadsheet or CSV file into (row number, {column: text}) — any encoding people use.

CSV encodings: UTF-8 (with or without BOM), Windows-1251 and GB18030 are told apart without a
hint: UTF-8 is strict; Russian text in Windows-1251 almost never decodes as GB18030 (a Cyrillic
byte followed by a space or a letter `я` is not valid there), while Chinese GB18030 text decodes
as *anything* in Windows-1251 — so GB18030 is tried first and kept only if it yields Chinese.
"""

from __future__ import annotations

import csv
import io
from typing import Iterator

from kinomost.core.errors import ImportRejected

Row = tuple[int, dict[str, str]]


def decode(data: bytes, encoding: str | None = None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ImportRejected(f"the file is not {encoding}: {exc}", problems=[{"row": 0, "column": "", "message": str(exc)}]) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for candidate in ("utf-8", "gb18030"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if candidate == "utf-8" or _mostly_han(text):
            return text
    return data.decode("cp1251", errors="replace")


def _mostly_han(text: str) -> bool:
    wide = [ch for ch in text if ord(ch) > 127]
    han = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return bool(wide) and han / len(wide) > 0.6


def read_csv(data: bytes, encoding: str | None = None) -> tuple[list[str], Iterator[Row]]:
    text = decode(data, encoding)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader, [])

    def rows() -> Iterator[Row]:
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield number, dict(zip(header, values))

    return header, rows()


def read_xlsx(data: bytes) -> tuple[list[str], Iterator[Row]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRejected("the file is not an XLSX workbook", problems=[{"row": 0, "column": "", "message": str(exc)}]) from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(values, ())]

    def rows() -> Iterator[Row]:
        for number, cells in enumerate(values, start=2):
            texts = {}
            for name, cell in zip(header, cells):
                texts[name] = _cell_text(cell)
            if any(texts.values()):
                yield number, texts

    return header, rows()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_file(data: bytes, filename: str, encoding: str | None = None) -> tuple[list[str], Iterator[Row]]:
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    return read_csv(data, encoding)
