"""Exporting an organisation's works in the import format, so an export imports back unchanged."""

from __future__ import annotations

import csv
import io

from django.db.models import Prefetch

from kinomost.catalog.io.columns import PLAIN
from kinomost.catalog.models import AgeRating, Work
from kinomost.core.spreadsheets import csv_cell, xlsx_row


def _works(owner):
    return (
        Work.objects.filter(owner=owner)
        .select_related("parent", "parent__parent")
        .prefetch_related("localizations", "genres", Prefetch("ratings", queryset=AgeRating.objects.order_by("territory")))
        .order_by("id")
    )


def _row(work: Work) -> dict[str, str]:
    row = {
        "ref": work.ref,
        "kind": work.kind,
        "original_title": work.original_title,
        "original_language": work.original_language,
        "year": str(work.year or ""),
        "runtime": str(work.runtime_minutes or ""),
        "countries": ";".join(work.countries),
        "genres": ";".join(sorted(g.slug for g in work.genres.all())),
        "keywords": ";".join(work.keywords),
        "eidr": work.eidr,
        "series_ref": "",
        "season": "",
        "episode": "",
    }
    if work.kind == "season" and work.parent:
        row.update(series_ref=work.parent.ref, season=str(work.number or ""))
    elif work.kind == "episode" and work.parent and work.parent.parent:
        row.update(series_ref=work.parent.parent.ref, season=str(work.parent.number or ""), episode=str(work.number or ""))
    for loc in work.localizations.all():
        row[f"title:{loc.language}"] = loc.title
        if loc.synopsis:
            row[f"synopsis:{loc.language}"] = loc.synopsis
    for rating in work.ratings.all():
        row[f"rating:{rating.territory}"] = rating.value
    return row


def table(owner) -> tuple[list[str], list[dict[str, str]]]:
    rows = [_row(w) for w in _works(owner)]
    extra = sorted({k for r in rows for k in r if k not in PLAIN}, key=lambda k: (k.split(":")[0] != "title", k.split(":")[0], k))
    return PLAIN + extra, rows


def export_works(owner, fmt: str = "csv") -> bytes:
    """CSV (UTF-8 with BOM, so spreadsheet programs read Cyrillic and Hanzi right) or XLSX; text that a
    spreadsheet program would run as a formula is written as text (core.spreadsheets)."""
    header, rows = table(owner)
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("works")
        sheet.append(header)
        for row in rows:
            sheet.append(xlsx_row(sheet, [row.get(h, "") for h in header]))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(row.get(h, "")) for h in header] for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")
