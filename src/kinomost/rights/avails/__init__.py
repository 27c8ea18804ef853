"""EMA / MovieLabs Avails: read spreadsheet (1.7.3–1.9) and XML (2.x) avails into `AvailRow`s and
write them back as a v1.9 spreadsheet or XML 2.5. Pure format layer: no database (docs/avails.md)."""

from kinomost.rights.avails.model import AvailRow, AvailsFile

__all__ = ["AvailRow", "AvailsFile"]
