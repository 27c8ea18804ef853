"""The balance of the exchange as a table: CSV (UTF-8 with BOM, so spreadsheet programs read it
right) or XLSX. One row per period and a total; money has one column per currency and side."""

from __future__ import annotations

import csv
import io

from kinomost.core.spreadsheets import csv_cell, xlsx_row
from kinomost.exchange.balance import Balance, BalanceRow


def balance_table(result: Balance) -> tuple[list[str], list[list]]:
    rows = [*result.rows, result.total]
    currencies = sorted({c for r in rows for c in (*r.a_to_b.money, *r.b_to_a.money)})
    header = ["period", "works_a_to_b", "works_b_to_a", "hours_a_to_b", "hours_b_to_a", "index_works", "index_hours"]
    for c in currencies:
        header += [f"money_{c}_for_a_to_b", f"money_{c}_for_b_to_a", f"index_money_{c}"]
    return header, [_row(r, currencies) for r in rows]


def _row(row: BalanceRow, currencies: list[str]) -> list:
    index = row.index()
    out = [
        str(row.period),
        len(row.a_to_b.works),
        len(row.b_to_a.works),
        str(row.a_to_b.hours),
        str(row.b_to_a.hours),
        _text(index["works"]),
        _text(index["hours"]),
    ]
    for c in currencies:
        out += [str(row.a_to_b.money.get(c, 0)), str(row.b_to_a.money.get(c, 0)), _text(index.get(f"money_{c}"))]
    return out


def _text(value) -> str:
    return "" if value is None else str(value)


def export_balance(result: Balance, fmt: str = "csv") -> bytes:
    header, rows = balance_table(result)
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("balance")
        sheet.append(xlsx_row(sheet, [f"{result.a} ↔ {result.b}", result.scope, result.by]))
        sheet.append(xlsx_row(sheet, header))
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")
