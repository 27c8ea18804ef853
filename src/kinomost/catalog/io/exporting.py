"""Exporting an organisation's works in the import format, so an export imports back unchanged."""

from __future__ import annotations

import csv
import io

from django.db.models import Prefetch

from kinomost.catalog.io.columns import PLAIN
from kinomost.catalog.models import AgeRating, Work


def _works(owner):
    return (
        Work.objects.filter(owner=owner)
        .select_related("parent", "parent__parent")
        .prefetch_related("localizations", "genres", Prefetch("ratings", queryset=AgeRating.objects.order_by("territory")))
        .order_by("id")
    )


def _row(work: Work) -> dict[str, str]:
    row = {
        "ref": work.ref, "kind": work.kind, "original_title": work.original_title, "original_language": work.original_language,
        "year": str(work.year or ""), "runtime": str(work.runtime_minutes or ""), "countries": ";".join(work.countries),
        "genres": ";".join(sorted(g.slug for g in work.genres.all())), "keywords": ";".join(work.keywords), "eidr": work.eidr,
        "series_ref": "", "season": "", "episode": "",
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
    """CSV (UTF-8 with BOM, so spreadsheet programs read Cyrillic and Hanzi right) or XLSX."""
    header, rows = table(owner)
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("works")
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(row.get(h, "")) for h in header])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _safe(value: str) -> str:
    """Text starting with '=' would become a formula in a spreadsheet program."""
    return "'" + value if value.startswith("=") else value
