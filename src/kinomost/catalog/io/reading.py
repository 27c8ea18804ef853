"""Reading a spreadsheet or CSV file into (row number, {column: text}) — any encoding people use.

CSV encodings: UTF-8 (with or without BOM), Windows-1251 and GB18030 are told apart without a
hint. UTF-8 is strict, so text that decodes as UTF-8 is UTF-8 (pure ASCII included). Otherwise
both readings are scored, because each can decode the other's bytes without error: Russian in
Windows-1251 read as GB18030 becomes rare (level-2) Hanzi, and Chinese read as Windows-1251
becomes Cyrillic with capitals in the middle of words and stray symbols. GB18030 wins when its
reading is mostly common Hanzi, Cyrillic or CJK punctuation (so a mixed ru+zh GB18030 file is
read right) and scores better than the Windows-1251 reading. A file with rows in UTF-8 and rows
that are not is refused naming those rows (`_Scan`), and the file is read in two streaming passes,
never decoded whole.

XLSX: the first sheet through openpyxl's read-only reader, inside the limits of
`core.spreadsheets` (file size, rows, bytes unzipped). Formula cells come out as
`core.spreadsheets.Formula`, so that the importer refuses them while string cells that begin with
'=' stay text; CSV cells lose the quote our exports put before such text.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from kinomost.core import encodings
from kinomost.core.errors import ImportRejected
from kinomost.core.spreadsheets import Formula, check_rows, check_size, counted, not_a_workbook, opening, unescape, workbook_reader

Row = tuple[int, dict[str, str]]


def read_csv(data: bytes, encoding: str | None = None) -> tuple[list[str], Iterator[Row]]:
    """Header and rows, read in two streaming passes and never decoded whole: the first counts the
    rows and checks the encoding row by row (see `_Scan`), the second decodes and yields them."""
    check_size(len(data))
    dialect = _dialect(data[:8192].decode("latin-1"))
    bom = data.startswith(b"\xef\xbb\xbf")
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name  # utf8, UTF-8 → utf-8
        except LookupError:
            raise ImportRejected(
                _("unknown encoding '%(encoding)s'") % {"encoding": encoding},
                problems=[{"row": 0, "column": "", "message": f"unknown encoding {encoding!r}"}],
            ) from None
    scan = _Scan(encoding or ("utf-8" if bom else None))
    scan.read(_records(data, dialect, "latin-1"))
    chosen = scan.decide()
    reader = _records(data, dialect, "utf-8-sig" if chosen == "utf-8" else chosen, errors="replace" if chosen == "cp1251" else "strict")
    header = next(reader, [])

    def rows() -> Iterator[Row]:
        for number, values in enumerate(reader, start=2):
            if any(v.strip() for v in values):
                yield number, dict(zip(header, (_csv_text(v) for v in values)))

    return header, rows()


def _dialect(sample: str):
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _records(data: bytes, dialect, encoding: str, errors: str = "strict") -> Iterator[list[str]]:
    """CSV records straight from the bytes; a malformed record (a field past csv's size limit) is a
    refusal naming its row."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding, errors=errors, newline=""), dialect)
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRejected(
                f"row {number + 1} cannot be read: {exc}", problems=[{"row": number + 1, "column": "", "message": str(exc)}]
            ) from None
        number += 1
        yield values


def _csv_text(value: str) -> str:
    """A CSV cell as text: text starting with '=' is what a spreadsheet program would run, so it is a
    Formula; the quote our exports put before such text (core.spreadsheets.csv_cell) is removed."""
    if value[:1] == "=":
        return Formula(value)
    return unescape(value)


class _Scan:
    """The first pass over a CSV file, on its bytes (read as Latin-1, so that every byte is one
    character: the delimiters, quotes and line ends are ASCII in UTF-8, Windows-1251 and GB18030
    alike, and no multi-byte character contains them, so records split the same in all three).

    It counts the rows (refused past IMPORT_MAX_ROWS before any row is kept) and decides the
    encoding: a given one must decode every row; otherwise a file whose non-ASCII rows are all
    UTF-8 is UTF-8, one whose rows are none of them UTF-8 is Windows-1251 or GB18030 as before,
    and a file with both is refused naming every row that is not UTF-8 — a file saved from two
    sources, which no single reading gets right. A GB18030 row can be valid UTF-8 by chance (小说
    is also "С˵"), so a row only counts as UTF-8 when its UTF-8 reading is more plausible text
    than its legacy one."""

    def __init__(self, encoding: str | None):
        self.encoding = encoding
        self.header: list[str] = []
        self.problems: list[dict] = []
        self.utf8_rows: list[tuple[int, float, float, float]] = []  # (row, utf-8, cp1251, gb18030 plausibility)
        self.other_rows: list[tuple[int, int]] = []  # (row, index of the first field that is not UTF-8)
        self.gb_valid = True
        self.counts = [0, 0, 0, 0]  # GB18030 good, wide; Windows-1251 good, wide — over the non-UTF-8 rows
        self.limit = settings.IMPORT_MAX_ROWS

    def read(self, records: Iterator[list[str]]) -> None:
        for number, values in enumerate(records, start=1):
            if number == 1:
                self.header = values
            elif number - 1 > self.limit:
                check_rows(number - 1)
            joined = ",".join(values)
            if joined.isascii():
                continue
            raw = joined.encode("latin-1")
            if self.encoding:
                self._check_given(number, values)
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self._other(number, values, raw)
                continue
            cyrillic = raw.decode("cp1251", errors="replace")
            try:
                chinese = raw.decode("gb18030")
            except UnicodeDecodeError:
                chinese = ""
            self.utf8_rows.append(
                (number, encodings.plausible(text), encodings.plausible(cyrillic), encodings.plausible(chinese) if chinese else 0.0)
            )

    def _check_given(self, number: int, values: list[str]) -> None:
        for index, value in enumerate(values):
            try:
                value.encode("latin-1").decode("utf-8-sig" if self.encoding == "utf-8" and number == 1 else self.encoding)
            except UnicodeDecodeError as exc:
                self.problems.append(
                    self._problem(
                        number, index, _("the bytes are not %(encoding)s (%(error)s)") % {"encoding": self.encoding, "error": exc.reason}
                    )
                )
                return

    def _other(self, number: int, values: list[str], raw: bytes) -> None:
        index = next((i for i, v in enumerate(values) if not encodings.is_utf8(v)), 0)
        self.other_rows.append((number, index))
        cyrillic = raw.decode("cp1251", errors="replace")
        good, wide = encodings.cyrillic_counts(cyrillic)
        self.counts[2] += good
        self.counts[3] += wide
        if self.gb_valid:
            try:
                good, wide = encodings.hanzi_counts(raw.decode("gb18030"))
                self.counts[0] += good
                self.counts[1] += wide
            except UnicodeDecodeError:
                self.gb_valid = False

    def _problem(self, number: int, index: int, message: str) -> dict:
        column = self.header[index] if index < len(self.header) and number > 1 else ""
        return {"row": number, "column": column.encode("latin-1").decode("utf-8", errors="replace"), "message": message}

    def decide(self) -> str:
        if self.encoding:
            chosen = self.encoding
        elif not self.other_rows:
            chosen = "utf-8"
        else:
            gb_score = self.counts[0] / self.counts[1] if self.gb_valid and self.counts[1] else 0.0
            cp_score = self.counts[2] / self.counts[3] if self.counts[3] else 0.0
            chosen = encodings.legacy_encoding(gb_score, cp_score)
            legacy = 3 if chosen == "gb18030" else 2
            utf8 = [row[0] for row in self.utf8_rows if row[1] > row[legacy]]
            if utf8:
                shown = ", ".join(str(n) for n in utf8[:5]) + (" …" if len(utf8) > 5 else "")
                for number, index in self.other_rows:
                    self.problems.append(
                        self._problem(
                            number,
                            index,
                            _("the text is not UTF-8, while row(s) %(rows)s are: the file mixes encodings; save it again as UTF-8")
                            % {"rows": shown},
                        )
                    )
        if self.problems:
            raise ImportRejected(
                _("%(count)s row(s) are not readable text; nothing was imported") % {"count": len(self.problems)}, problems=self.problems
            )
        return chosen


def read_xlsx(data: bytes) -> tuple[list[str], Iterator[Row]]:
    """The first sheet, streamed by openpyxl's read-only reader within the spreadsheet limits."""
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    check_size(len(data))
    reader = workbook_reader(data)
    opening(reader.read_strings)
    opening(reader.read_workbook)
    opening(lambda: apply_stylesheet(reader.archive, reader.wb))
    sheets = [(sheet.name, rel.target) for sheet, rel in opening(reader.parser.find_sheets) if rel.target in reader.valid_files]
    if not sheets:
        raise not_a_workbook("no worksheet")
    sheet = ReadOnlyWorksheet(reader.wb, sheets[0][0], sheets[0][1], reader.shared_strings)
    values = _guarded(sheet.iter_rows(values_only=False))
    header = [_cell_text(c) for c in next(values, ())]

    def rows() -> Iterator[Row]:
        for number, cells in enumerate(counted(values), start=2):
            texts = {}
            for name, cell in zip(header, cells):
                texts[name] = _cell_text(cell)
            if any(texts.values()):
                yield number, texts

    return header, rows()


def _guarded(rows: Iterator) -> Iterator:
    """openpyxl's rows, a damaged sheet (bad XML, a broken zip member) refused instead of raised."""
    done = object()
    while True:
        row = opening(lambda: next(rows, done))
        if row is done:
            return
        yield row


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        return Formula(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_file(data: bytes, filename: str, encoding: str | None = None) -> tuple[list[str], Iterator[Row]]:
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    return read_csv(data, encoding)
