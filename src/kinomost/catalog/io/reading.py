"""Reading a spreadsheet or CSV file into (row number, {column: text}) — any encoding people use.

CSV encodings: UTF-8 (with or without BOM), Windows-1251 and GB18030 are told apart without a
hint. UTF-8 is strict, so text that decodes as UTF-8 is UTF-8 (pure ASCII included). Otherwise
both readings are scored, because each can decode the other's bytes without error: Russian in
Windows-1251 read as GB18030 becomes rare (level-2) Hanzi, and Chinese read as Windows-1251
becomes Cyrillic with capitals in the middle of words and stray symbols. GB18030 wins when its
reading is mostly common Hanzi, Cyrillic or CJK punctuation (so a mixed ru+zh GB18030 file is
read right) and scores better than the Windows-1251 reading.
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    cyrillic = data.decode("cp1251", errors="replace")
    try:
        chinese = data.decode("gb18030")
    except UnicodeDecodeError:
        return cyrillic
    return chinese if _gb_score(chinese) > max(_cp_score(cyrillic), 0.5) else cyrillic


def _gb_score(text: str) -> float:
    """Share of non-ASCII characters that are common Hanzi (GB2312 level 1), Cyrillic or CJK symbols."""
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return 0.0
    good = 0
    for ch in wide:
        encoded = ch.encode("gb18030")
        good += len(encoded) == 2 and (0xB0 <= encoded[0] <= 0xD7 or 0xA1 <= encoded[0] <= 0xA9)
    return good / len(wide)


_CP_PUNCTUATION = set("«»—–№…“”„‘’•")


def _cp_score(text: str) -> float:
    """Share of non-ASCII characters that look like Russian writing: letters in word case, usual punctuation."""
    wide = good = 0
    previous = " "
    for ch in text:
        if ord(ch) > 127:
            wide += 1
            cyrillic = "\u0400" <= ch <= "\u04ff"
            camel = ch.isupper() and previous.islower()
            good += (cyrillic and not camel) or ch in _CP_PUNCTUATION
        previous = ch
    return good / wide if wide else 0.0


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
