"""Spreadsheet avails (EMA template 1.7.3, 1.8, 1.9; Movies, TV and the 1.8 merged layout) → AvailRows.

Layout (TRADE.md §1.3): row 1 element class, row 2 field name, row 3 template version in A and
//REQ notes, data from row 4. Columns are found by their row-2 names, in any order, so every
template version and the merged 1.8 "AllAvails" layout read through one path: the work type of
each row says which title columns it needs. Every problem in the file is collected and the whole
file is refused with all of them (nothing half-imported).

Speed: the workbook is opened with openpyxl in read-only mode (sheet list, shared strings, date
styles), but sheet cells are read by a small streaming scanner over the sheet XML — openpyxl's
own cell objects cost more than the whole avail checking (docs/avails.md has the figures).
`engine="openpyxl"` reads the cells through openpyxl instead; the tests check both agree.
"""

from __future__ import annotations

import codecs
import html
import itertools
import re
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from django.conf import settings
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from kinomost.core import spreadsheets
from kinomost.core.errors import ImportRejected
from kinomost.core.spreadsheets import Formula
from kinomost.core.text import controls_in, first_control_character, refusal
from kinomost.rights.avails import values as v
from kinomost.rights.avails.build import REFUSED, build_row
from kinomost.rights.avails.model import AvailsFile

HEADER_ROW, VERSION_ROW, FIRST_DATA_ROW = 2, 3, 4
AVAILS_FIELDS = {"DisplayName", "Territory", "WorkType", "LicenseType"}
BONUS_FIELDS = {"RefALID"}
Cells = Iterator[tuple[int, dict[str, Any]]]


def read_xlsx(source: str | Path | IO[bytes], *, engine: str = "fast") -> AvailsFile:
    """Read every avails sheet of a workbook; raise ImportRejected listing every bad cell."""
    book = _Book(source)
    result = AvailsFile(rows=[], format="xlsx")
    problems: list[dict] = []
    try:
        found = [_read_sheet(book, name, path, engine, result, problems) for name, path in book.sheets]
    except (UnicodeDecodeError, IndexError, ValueError) as exc:  # sheet XML that is no sheet XML
        raise spreadsheets.not_a_workbook(str(exc)) from None
    finally:
        book.close()
    if not any(found) and not problems:
        problems.append(
            {
                "sheet": None,
                "row": HEADER_ROW,
                "column": None,
                "message": "no avails sheet: row 2 must name the fields (DisplayName, Territory, WorkType, LicenseType …)",
            }
        )
    if problems:
        message = f"{len(problems)} problem(s) in the avails spreadsheet; nothing was imported"
        raise ImportRejected(message, problems=problems)
    return result


class _Book:
    """A workbook opened by openpyxl's read-only reader, stopping short of building its worksheets:
    openpyxl scans a whole sheet at open time when it has no <dimension> (write-only exports
    don't), which alone costs more than reading it. The zip is read within the spreadsheet limits
    (core.spreadsheets.workbook_reader); a file that is no workbook is refused, not raised."""

    def __init__(self, source):
        reader = spreadsheets.workbook_reader(source)
        try:
            spreadsheets.opening(reader.read_strings)
            spreadsheets.opening(reader.read_workbook)
            spreadsheets.opening(lambda: apply_stylesheet(reader.archive, reader.wb))
            self.reader, self.workbook, self.strings = reader, reader.wb, reader.shared_strings
            self.sheets = [
                (sheet.name, rel.target)
                for sheet, rel in spreadsheets.opening(reader.parser.find_sheets)
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except ImportRejected:
            reader.archive.close()
            raise
        self.rows_read = 0

    def rows(self, name: str, path: str, engine: str) -> tuple[Iterator[tuple[int, Any]], Callable, Callable]:
        """(row number, raw row) pairs, and two readers of a raw row: by column letter (for the
        header rows) and by field name given the header (for data rows, see `_named_reader`)."""
        if engine == "openpyxl":
            return _openpyxl_cells(ReadOnlyWorksheet(self.workbook, name, path, self.strings)), dict, _named_reader
        context = _CellContext(self)
        return _fast_rows(self, path), context.cells, context.named_reader

    def close(self) -> None:
        self.reader.archive.close()


def _read_sheet(book: _Book, sheet: str, path: str, engine: str, result: AvailsFile, problems: list) -> bool:
    """Read one sheet into `result`; False when it is not an avails sheet (explained in a warning)."""
    rows, by_letter, named_reader = book.rows(sheet, path, engine)
    top, first = _top_rows(rows, by_letter)
    header = {letter: v.text(name) for letter, name in top.get(HEADER_ROW, {}).items() if not v.blank(name)}
    names = set(header.values())
    if names & BONUS_FIELDS:
        result.warnings.append(
            _sheet_note(sheet, "skipped: a Bonus sheet offers extras attached to other avails (RefALID); it grants no rights of its own")
        )
        return True
    if not AVAILS_FIELDS <= names:
        result.warnings.append(_sheet_note(sheet, "skipped: row 2 does not name the avails fields"))
        return False
    result.version = result.version or _version(top.get(VERSION_ROW, {}).get("A"), sheet, result)
    named = named_reader(header)
    limit = settings.IMPORT_MAX_ROWS
    for number, raw in itertools.chain([first] if first else [], rows):
        book.rows_read += 1
        if book.rows_read > limit:
            spreadsheets.check_rows(book.rows_read)
        values, formulas, suspect = named(raw)
        _read_row(sheet, number, values, formulas, suspect, result, problems)
    return True


def _top_rows(rows, by_letter: Callable) -> tuple[dict[int, dict], tuple[int, Any] | None]:
    """Rows 1-3 by number (cells by column letter), and the first data row already taken from
    the stream, still raw (or None)."""
    top: dict[int, dict] = {}
    for number, raw in rows:
        if number >= FIRST_DATA_ROW:
            return top, (number, raw)
        top[number] = by_letter(raw)
    return top, None


def _version(cell, sheet, result: AvailsFile) -> str | None:
    """Row 3, column A holds the template version (1.9); 1.7 templates left it empty."""
    if v.blank(cell) or not re.fullmatch(r"\d+(?:\.\d+)+", v.text(cell)):
        result.warnings.append(_sheet_note(sheet, "no template version in A3; read by the field names in row 2"))
        return None
    return v.text(cell)


def _sheet_note(sheet: str, message: str) -> dict:
    return {"sheet": sheet, "row": None, "column": None, "message": f"sheet '{sheet}' {message}"}


def _read_row(sheet: str, number: int, clean: dict, formulas: list, suspect: bool, result: AvailsFile, problems: list) -> None:
    """One data row, its cells already named by the header with blank ones left out: empty rows
    are skipped, formulas and text with control characters (looked for when the reader calls the
    row `suspect`) refused, the rest goes to build_row."""
    if not clean:
        return
    where = lambda name: {"sheet": sheet, "row": number, "column": name}  # noqa: E731
    for name, value in formulas:
        problems.append({**where(name), "message": f"formula {value} is not read: paste the values instead"})
    for name, char in controls_in(clean) if suspect else ():
        problems.append({**where(name), "message": refusal(char)})
        clean[name] = REFUSED
    row = build_row(clean, where=where, problems=problems, warnings=result.warnings, source=f"{sheet}!{number}", clean=True)
    if row is not None:
        result.rows.append(row)


def _named_reader(header: dict[str, str]) -> Callable[[dict], tuple[dict, list, bool]]:
    """Cells by column letter → (cells by field name, formulas found), unnamed columns and blank
    cells left out. A formula (a Formula: text starting with '=' in a string cell is text) is
    REFUSED (reported by `_read_row`); the constant =TRUE()/=FALSE() of the templates are values."""

    def named(cells: dict) -> tuple[dict, list, bool]:
        clean, formulas = {}, []
        for letter, value in cells.items():
            name = header.get(letter)
            if name is not None:
                _keep(clean, formulas, name, value)
        return clean, formulas, True

    return named


def _keep(clean: dict, formulas: list, name: str, value: Any) -> None:
    if value.__class__ is Formula:
        if not v.is_constant_boolean_formula(value):
            formulas.append((name, value))
            value = REFUSED
        else:
            value = str(value)
    elif value.__class__ is str:
        if not value.strip():
            return
    elif value is None:
        return
    clean[name] = value


# --- cell streams ------------------------------------------------------------------------------------

_PREFIX = re.compile(r"<(\w+:)?sheetData\b")
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
# One pass per row: (column letters, other attributes, plain <v> text, plain inline text, anything
# else inside <c>). r= comes first in every writer we know; when it does not, it is looked up in
# the attributes. The two plain shapes cover nearly every cell; the rest go the long way.
# The attributes are taken greedily and a self-closing cell told by the '/' before its '>' (kept
# at the end of its attributes): the lazy `[^>]*?` this replaced cost a third of the scan.
_CELL = re.compile(
    r'<(?:\w+:)?c\b(?: r="([A-Z]+)\d*")?([^>]*)'
    r"(?:(?<=/)>|>(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>|(.*?))</(?:\w+:)?c>)",
    re.S,
)
_REF = re.compile(r'\br="([A-Z]+)\d*"')
_TYPE = re.compile(r'\bt="(\w+)"')
_STYLE = re.compile(r'\bs="(\d+)"')
_VALUE = re.compile(r"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA = re.compile(r"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_CHUNK = 1 << 20


def _fast_rows(book: _Book, path: str) -> Iterator[tuple[int, str]]:
    """(row number, the XML inside the row) straight from the sheet, a megabyte at a time.

    Rows are cut at their closing tags with str.split (a regex over every row costs more than
    all the checking); rows without cells (<row .../>) carry nothing and are only counted."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tags = None
    previous = 0
    with book.reader.archive.open(path) as stream:
        buffer = ""
        while True:
            chunk = stream.read(_CHUNK)
            buffer += decoder.decode(chunk, final=not chunk)
            tags = tags or _row_tags(buffer)
            if tags is None:
                if not chunk:
                    return
                continue
            close, open_ = tags
            last = buffer.rfind(close)
            cut = (last + len(close) if last >= 0 else 0) if chunk else len(buffer)
            for piece in buffer[:cut].split(close):
                start = piece.rfind(open_)
                if start < 0 or piece[start + len(open_)] not in " \t\r\n>/":  # not <rowBreaks>
                    continue
                head_end = piece.index(">", start)
                previous = _row_number(piece[start:head_end], previous, piece.count(open_, 0, start))
                yield previous, piece[head_end + 1 :]
            buffer = buffer[cut:]
            if not chunk:
                return


def _row_tags(buffer: str) -> tuple[str, str] | None:
    """('</row>', '<row') with the sheet's namespace prefix, once <sheetData> has been seen."""
    found = _PREFIX.search(buffer)
    if found is None:
        return None
    prefix = found.group(1) or ""
    return f"</{prefix}row>", f"<{prefix}row"


def _row_number(head: str, previous: int, empty_rows_before: int) -> int:
    found = _ROW_NUMBER.search(head)
    return int(found.group(1)) if found else previous + empty_rows_before + 1


class _CellContext:
    """What turns a raw <c> into a value: shared strings, which styles are dates, the epoch.
    Cell attributes other than r= repeat endlessly, so their meaning is cached."""

    def __init__(self, book: _Book):
        self.strings = book.strings
        # a control character in a row is looked for in the cells only when the row's XML or a
        # shared string has one: one search per row instead of one per cell
        self.strings_clean = first_control_character("".join(book.strings)) is None
        self.date_styles = book.workbook._date_formats
        self.timedelta_styles = book.workbook._timedelta_formats
        self.epoch = book.workbook.epoch
        self.kinds: dict[str, tuple[str, bool, bool]] = {}
        self.moments: dict[tuple[str, bool], Any] = {}

    def cells(self, body: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        letters = ""
        kinds, strings = self.kinds, self.strings
        for column, attributes, plain, inline, other in _CELL.findall(body):
            letters = column or _letters(attributes, letters)
            if inline:  # plain inline text: most cells of an export
                out[letters] = html.unescape(inline) if "&" in inline else inline
                continue
            kind = kinds.get(attributes) or self.kind(attributes)
            if plain:
                out[letters] = strings[int(plain)] if kind[0] == "s" else self.plain(kind, plain)
            elif other:
                value = self.value(kind, other)
                if value is not None:
                    out[letters] = value
        return out

    def named_reader(self, header: dict[str, str]) -> Callable[[str], tuple[dict, list, bool]]:
        """Like `_named_reader`, straight from a row's XML: the letter-keyed dict of `cells` is
        never built (a large import reads every cell of every row through here)."""
        kinds, strings, kind_of, plain_value, other_value = self.kinds, self.strings, self.kind, self.plain, self.value

        strings_clean = self.strings_clean

        def named(body: str) -> tuple[dict, list, bool]:
            clean: dict[str, Any] = {}
            formulas: list = []
            letters = ""
            for column, attributes, plain, inline, other in _CELL.findall(body):
                letters = column or _letters(attributes, letters)
                name = header.get(letters)
                if name is None:
                    continue
                if inline:
                    value = html.unescape(inline) if "&" in inline else inline
                else:
                    kind = kinds.get(attributes) or kind_of(attributes)
                    if plain:
                        value = strings[int(plain)] if kind[0] == "s" else plain_value(kind, plain)
                    elif other:
                        value = other_value(kind, other)
                    else:
                        continue
                if value.__class__ is Formula or (value.__class__ is str and not value.strip()):
                    _keep(clean, formulas, name, value)  # formula, blank: the rare cases
                elif value is not None:
                    clean[name] = value
            return clean, formulas, not strings_clean or first_control_character(body) is not None

        return named

    def plain(self, kind: tuple[str, bool, bool], raw: str) -> Any:
        """The text of a <v> as the value its cell type says."""
        cell_type, is_date, is_duration = kind
        if cell_type == "s":
            return self.strings[int(raw)]
        if cell_type == "n":
            if is_date:  # a file's dates repeat: each distinct one is converted once
                found = self.moments.get((raw, is_duration))
                if found is None:
                    number = int(raw) if raw.isdigit() else float(raw)
                    found = self.moments[raw, is_duration] = from_excel(number, self.epoch, timedelta=is_duration)
                return found
            return int(raw) if raw.isdigit() else float(raw)
        if cell_type == "b":
            return raw.strip() == "1"
        return _unescape(raw)  # str (a formula's cached text), e (error), d (ISO date)

    def kind(self, attributes: str) -> tuple[str, bool, bool]:
        """(cell type, is a date, is a duration) for an attribute string."""
        found = self.kinds.get(attributes)
        if found is None:
            kind, style = _TYPE.search(attributes), _STYLE.search(attributes)
            style_id = int(style.group(1)) if style else -1
            found = (kind.group(1) if kind else "n", style_id in self.date_styles, style_id in self.timedelta_styles)
            self.kinds[attributes] = found
        return found

    def value(self, kind: tuple[str, bool, bool], inner: str) -> Any:
        """A cell of an unusual shape: a formula (kept as =text so it can be refused), rich or
        space-preserving inline text, or a <v> among other elements."""
        if "<f" in inner or ":f" in inner:
            formula = _FORMULA.search(inner)
            return Formula("=" + _unescape(formula.group(1) or "")) if formula else None
        if kind[0] == "inlineStr":
            return _unescape("".join(t or "" for t in _TEXT.findall(inner)))
        found = _VALUE.search(inner)
        return self.plain(kind, found.group(1)) if found and found.group(1) else None


def _letters(attributes: str, previous: str) -> str:
    """Column of a cell whose r= is not first, or absent (then it follows the previous cell)."""
    ref = _REF.search(attributes)
    if ref:
        return ref.group(1)
    return get_column_letter(column_index_from_string(previous) + 1 if previous else 1)


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _openpyxl_cells(sheet) -> Cells:
    """The same stream through openpyxl's own read-only cells (slower; the reference)."""
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=False), start=1):
        yield (
            number,
            {
                get_column_letter(i): Formula(cell.value) if cell.data_type == "f" else cell.value
                for i, cell in enumerate(row, start=1)
                if cell.value is not None
            },
        )
