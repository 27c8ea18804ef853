"""Spreadsheets and CSV files, in and out: the one owner of their limits and of the formula rule.

Limits. A file another organisation sends is hostile until read: a 1 MB workbook can unzip to a
gigabyte of shared strings, a CSV can hold millions of rows. Every import asks this module before
and while it reads, so memory stays bounded whatever the file:

* `check_size` / `read_upload` — the file itself (`IMPORT_MAX_BYTES`), checked before an upload
  is read into memory;
* `check_rows` / `counted` — the rows of all sheets together (`IMPORT_MAX_ROWS`);
* `workbook_reader` — an XLSX zip: the sizes its members declare are added up before anything is
  unzipped (`IMPORT_MAX_EXPANDED_BYTES`), and the bytes actually unzipped are counted while
  openpyxl or our own scanner reads, stopping at the limit whatever the headers said. The
  shared-strings part is the one part held in memory whole (the sheets are streamed), so it may
  take only a quarter of the limit.

Each refusal names the limit and the setting that raises it (ImportRejected, a 422 in the API).

Formulas. A cell that begins with = + - @ (or their full-width forms), a tab or a carriage return
is a live formula to a spreadsheet program that opens a CSV file: `=HYPERLINK("http://…"&B5)` in a
title would leak the licensee's sheet (the OWASP "CSV injection"). So text is written as text:

* CSV: such a cell is prefixed with a single quote (`csv_cell`); so is a cell that already begins
  with quotes before such a character, so that `unescape` — which every CSV importer applies —
  removes exactly the quote we added and an export imports back to the original value;
* XLSX: such text becomes a string cell (`xlsx_row`: openpyxl would otherwise store "=…" as a
  formula); string cells are never evaluated, so nothing is added and nothing needs removing.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import IO, Iterable, Iterator, TypeVar

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from kinomost.core.errors import ImportRejected

T = TypeVar("T")

# --- limits ----------------------------------------------------------------------------------------

SHARED_STRINGS_SHARE = 4  # the shared strings may take 1/4 of the expanded limit
_CHUNK = 1 << 20


def refusal(message: str, *, limit: str) -> ImportRejected:
    """A whole file refused for one reason, in the problem shape both importers' reports show."""
    return ImportRejected(message, problems=[{"row": 0, "column": "", "message": message, "limit": limit}])


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise refusal(
            _("The file is %(size)s; an import takes at most %(limit)s (KINOMOST_IMPORT_MAX_BYTES).")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            limit="KINOMOST_IMPORT_MAX_BYTES",
        )


def read_upload(upload) -> bytes:
    """An uploaded file's bytes, refused by its size before it is read into memory."""
    check_size(upload.size or 0)
    return upload.read()


def read_path(path) -> bytes:
    """A file's bytes (the command line's imports), refused by its size before it is read."""
    check_size(path.stat().st_size)
    return path.read_bytes()


def check_rows(count: int) -> None:
    limit = settings.IMPORT_MAX_ROWS
    if count > limit:
        raise refusal(
            _("The file has more than %(limit)s rows (KINOMOST_IMPORT_MAX_ROWS); split it into smaller files.") % {"limit": f"{limit:,}"},
            limit="KINOMOST_IMPORT_MAX_ROWS",
        )


def counted(rows: Iterable[T]) -> Iterator[T]:
    """`rows` unchanged, refused as soon as there are more than the limit."""
    limit = settings.IMPORT_MAX_ROWS
    for number, row in enumerate(rows, start=1):
        if number > limit:
            check_rows(number)
        yield row


def _expanded_refusal(limit: int, shared_strings: bool) -> ImportRejected:
    if shared_strings:
        message = _(
            "The workbook's shared strings unzip to more than %(limit)s (a quarter of "
            "KINOMOST_IMPORT_MAX_EXPANDED_BYTES); a spreadsheet this large is not imported."
        )
    else:
        message = _(
            "The workbook unzips to more than %(limit)s (KINOMOST_IMPORT_MAX_EXPANDED_BYTES); a spreadsheet this large is not imported."
        )
    return refusal(message % {"limit": filesizeformat(limit)}, limit="KINOMOST_IMPORT_MAX_EXPANDED_BYTES")


def not_a_workbook(detail: str) -> ImportRejected:
    message = _("The file is not an XLSX workbook, or it is damaged.")
    return ImportRejected(message, problems=[{"row": 0, "column": "", "message": f"{message} ({detail})"}])


class _Budget:
    """Bytes that may still be unzipped: the whole workbook's, and one part's own where it has one."""

    def __init__(self, limit: int, shared_strings: bool = False):
        self.limit, self.left, self.shared_strings = limit, limit, shared_strings

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise _expanded_refusal(self.limit, self.shared_strings)


class _Counted(io.RawIOBase):
    """A zip member's stream that counts what it unzips against the budgets and turns a damaged
    archive into a refusal (zipfile raises BadZipFile, zlib.error or EOFError for those)."""

    def __init__(self, stream, budgets: list[_Budget]):
        super().__init__()
        self._stream, self._budgets = stream, budgets

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # whole, but a chunk at a time so that a bomb stops at the limit
            return b"".join(iter(lambda: self.read(_CHUNK), b""))
        try:
            data = self._stream.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise not_a_workbook(str(exc)) from None
        for budget in self._budgets:
            budget.spend(len(data))
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


class BoundedZip(zipfile.ZipFile):
    """A ZipFile whose members unzip only within the budget (see the module's docstring)."""

    def __init__(self, file, limit: int):
        super().__init__(file)
        self.budget = _Budget(limit)
        self.own_budgets: dict[str, _Budget] = {}
        declared = sum(info.file_size for info in self.infolist())
        if declared > limit:
            raise _expanded_refusal(limit, False)

    def limit_part(self, name: str, limit: int) -> None:
        """Give one part its own, smaller limit (checked against its declared size at once)."""
        info = self.NameToInfo.get(name)
        if info is not None and info.file_size > limit:
            raise _expanded_refusal(limit, True)
        self.own_budgets[name] = _Budget(limit, shared_strings=True)

    def open(self, name, mode="r", pwd=None, **kwargs):
        stream = super().open(name, mode, pwd, **kwargs)
        if mode != "r":
            return stream
        key = name.filename if isinstance(name, zipfile.ZipInfo) else name
        budgets = [self.budget] + ([self.own_budgets[key]] if key in self.own_budgets else [])
        return _Counted(stream, budgets)


def workbook_reader(source: bytes | IO[bytes]):
    """An openpyxl ExcelReader (read-only, formulas kept as formulas) over a BoundedZip, its
    manifest read and its shared-strings part limited; anything that is no workbook is refused."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    limit = settings.IMPORT_MAX_EXPANDED_BYTES
    try:
        archive = BoundedZip(stream, limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise not_a_workbook(str(exc)) from None
    try:
        reader = ExcelReader.__new__(ExcelReader)  # its __init__ opens a plain ZipFile: ours instead
        reader.archive, reader.valid_files = archive, archive.namelist()
        reader.read_only, reader.keep_vba, reader.data_only, reader.keep_links = True, False, False, False
        reader.rich_text, reader.shared_strings = False, []
        reader.read_manifest()
        strings = reader.package.find(SHARED_STRINGS)
        if strings is not None:
            archive.limit_part(strings.PartName[1:], limit // SHARED_STRINGS_SHARE)
    except ImportRejected:
        archive.close()
        raise
    except Exception as exc:  # openpyxl raises many kinds for a zip that is no workbook
        archive.close()
        raise not_a_workbook(str(exc)) from None
    return reader


def opening(action):
    """Run one of openpyxl's reading steps; a refusal stays one, anything else means a broken workbook."""
    try:
        return action()
    except ImportRejected:
        raise
    except Exception as exc:  # openpyxl and lxml raise many kinds for a damaged part
        raise not_a_workbook(str(exc)) from None


# --- formulas --------------------------------------------------------------------------------------

FORMULA_START = "=+-@\t\r＝＋－＠"


class Formula(str):
    """A cell that is a live formula in the file read — an XLSX formula cell, or CSV text that
    begins with '=' unescaped — as its "=…" text: the importers refuse it (paste the values), while
    a string cell or an escaped CSV cell with the same text is plain text."""


_ESCAPED = re.compile("'+[" + re.escape(FORMULA_START) + "]")


def csv_cell(value):
    """A value as a CSV cell that no spreadsheet program runs as a formula; other types unchanged."""
    if value.__class__ is str and value and (value[0] in FORMULA_START or (value[0] == "'" and _ESCAPED.match(value))):
        return "'" + value
    return value


def unescape(text: str) -> str:
    """A CSV cell as it was before `csv_cell`: exactly the one quote it added is removed."""
    if text[:1] == "'" and _ESCAPED.match(text):
        return text[1:]
    return text


def xlsx_row(sheet, values: list) -> list:
    """A row for a write-only openpyxl sheet in which text is always a string cell: openpyxl makes
    any string starting with '=' a formula, so those go as cells typed 's' (inline text)."""
    if not any(value.__class__ is str and value[:1] == "=" for value in values):
        return values
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if value.__class__ is str and value[:1] == "=":
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        out.append(value)
    return out
