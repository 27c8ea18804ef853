"""Import and export of works as CSV or XLSX (format: docs/catalogue-import.md)."""

from kinomost.catalog.io.exporting import export_works  # noqa: F401
from kinomost.catalog.io.importing import ImportResult, import_works  # noqa: F401
