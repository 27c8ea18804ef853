"""A statement as a file a licensor files away: JSON (the document itself), XLSX (openpyxl) or
PDF (fpdf2, pure Python, with a CJK-capable font from Debian's fonts-noto-cjk) — in English,
Russian or simplified Chinese. Only the labels are translated; figures are the document's.

Why fpdf2 and not WeasyPrint: WeasyPrint needs the system's Pango libraries, which a fresh
clone cannot count on; fpdf2 installs from PyPI alone and embeds the font it is given
(docs/decisions.md, Royalties)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kinomost.core.errors import InvalidInput

FORMATS = ("json", "xlsx", "pdf")
# Fonts tried in order for the PDF; KINOMOST_ROYALTIES_PDF_FONT overrides (a .ttf, .otf or .ttc).
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def render(documents: list[dict], fmt: str, language: str = "en") -> bytes:
    if fmt not in FORMATS:
        raise InvalidInput(_("Choose a format: %(formats)s.") % {"formats": ", ".join(FORMATS)}, details={"format": fmt})
    if fmt == "json":
        body = documents[0] if len(documents) == 1 else documents
        return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
    with translation.override(language):
        return _xlsx(documents) if fmt == "xlsx" else _pdf(documents)


def _labels() -> dict:
    return {
        "work": _("Work"),
        "views": _("Views"),
        "hours": _("Hours"),
        "receipts": _("Receipts"),
        "royalty": _("Royalty"),
        "adjusts": _("Adjusts"),
        "statement": _("Royalty statement"),
        "licensor": _("Licensor"),
        "licensee": _("Licensee"),
        "contract": _("Contract"),
        "period": _("Period"),
        "currency": _("Currency"),
        "status": _("Status"),
        "mg": _("Minimum guarantee"),
        "recouped_before": _("Recouped before"),
        "recouped_now": _("Recouped now"),
        "remaining": _("Remaining to recoup"),
        "overage": _("Royalty beyond the guarantee"),
        "flat_fee_due": _("Flat fee due"),
        "advance_due": _("Guarantee due"),
        "before_tax": _("Payable before tax"),
        "withholding": _("Withholding tax"),
        "payable": _("Payable"),
        "fx": _("Exchange rates"),
        "total": _("Total"),
    }


def _summary(doc: dict, l: dict) -> list[tuple[str, str]]:
    mg = doc["minimum_guarantee"]
    return [
        (l["licensor"], doc["licensor"]),
        (l["licensee"], doc["licensee"]),
        (l["contract"], doc["contract"]),
        (l["period"], doc["period"]),
        (l["currency"], doc["currency"]),
        (l["status"], doc["status"]),
        (l["royalty"], doc["royalty"]),
        (l["mg"], mg["amount"]),
        (l["recouped_before"], mg["recouped_before"]),
        (l["recouped_now"], mg["recouped_now"]),
        (l["remaining"], mg["remaining"]),
        (l["overage"], doc["overage"]),
        (l["flat_fee_due"], doc["flat_fee_due"]),
        (l["advance_due"], doc["advance_due"]),
        (l["before_tax"], doc["payable_before_tax"]),
        (f"{l['withholding']} ({doc['withholding_tax']} %)", doc["withholding"]),
        (l["payable"], doc["payable"]),
    ]


def _line_rows(doc: dict) -> list[list[str]]:
    return [[x["work"], str(x["views"]), x["hours"], x["receipts"], x["royalty"], x["adjusts"] or ""] for x in doc["lines"]]


def _xlsx(documents: list[dict]) -> bytes:
    from openpyxl import Workbook

    l = _labels()
    book = Workbook()
    book.remove(book.active)
    for doc in documents:
        sheet = book.create_sheet(title=f"{doc['contract']} {doc['period']}"[:31].replace("/", "-"))
        rows = [
            [l["statement"]],
            *([k, v] for k, v in _summary(doc, l)),
            [],
            [l["work"], l["views"], l["hours"], l["receipts"], l["royalty"], l["adjusts"]],
            *_line_rows(doc),
            [],
            [l["fx"]],
            *([r["currency"], r["into"], r["rate"], r["source"], r["period"]] for r in doc["fx"]),
        ]
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: a work ref starting with '=' is never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def font_path() -> Path:
    configured = getattr(settings, "ROYALTIES_PDF_FONT", "")
    for candidate in ([configured] if configured else []) + list(CJK_FONTS):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise InvalidInput(_("No font for Chinese and Russian text: install Debian's fonts-noto-cjk or set KINOMOST_ROYALTIES_PDF_FONT."))


def _pdf(documents: list[dict]) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    l = _labels()
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", "", str(font_path()))
    pdf.set_font("cjk", size=10)
    for doc in documents:
        pdf.add_page()
        pdf.set_font_size(14)
        pdf.cell(0, 8, f"{l['statement']} · {doc['contract']} · {doc['period']}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(9)
        with pdf.table(col_widths=(60, 40), first_row_as_headings=False) as table:
            for key, value in _summary(doc, l):
                row = table.row()
                row.cell(key)
                row.cell(str(value))
        pdf.ln(4)
        with pdf.table(col_widths=(50, 20, 25, 30, 30, 25), headings_style=FontFace(emphasis=None, fill_color=(230, 230, 230))) as table:
            for values in [[l["work"], l["views"], l["hours"], l["receipts"], l["royalty"], l["adjusts"]], *_line_rows(doc)]:
                row = table.row()
                for value in values:
                    row.cell(value)
        if doc["fx"]:
            pdf.ln(4)
            pdf.cell(0, 6, l["fx"], new_x="LMARGIN", new_y="NEXT")
            for r in doc["fx"]:
                pdf.cell(0, 5, f"1 {r['currency']} = {r['rate']} {r['into']} ({r['source']}, {r['period']})", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
