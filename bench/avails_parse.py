"""Speed of the avails spreadsheet reader on a generated 20,000-row v1.9 Movies sheet.

    .venv/bin/python bench/avails_parse.py [rows]

Writes the file with openpyxl's write-only mode (as a studio's export tool would), then times:
openpyxl's raw read-only iteration of the same file (the anchor: reading cells, nothing else),
`read_xlsx` (cells + every avail check), and `read_xlsx(engine="openpyxl")`. Target: ≥ 10,000 rows/s.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from kinomost.rights.avails import layout
from kinomost.rights.avails.xlsx import read_xlsx

COUNTRIES = ("US", "CA", "GB", "DE", "FR", "ES", "RU", "CN", "JP", "BR")


def sample(i: int) -> dict:
    """A plausible movie avail row; a quarter open-ended, EST/VOD/SVOD, HD/SD."""
    license_type = ("EST", "VOD", "SVOD")[i % 3]
    priced = license_type != "SVOD"
    return {
        "DisplayName": "Rockstar Films",
        "AssetLanguage": "en",
        "Territory": COUNTRIES[i % 10],
        "WorkType": "Movie",
        "EntryType": "Full Extract",
        "TitleInternalAlias": f"Title {i // 20}",
        "TitleDisplayUnlimited": f"The Title {i // 20}",
        "LicenseType": license_type,
        "LicenseRightsDescription": "Library",
        "FormatProfile": ("HD", "SD")[i % 2],
        "Start": dt.datetime(2013, 6, 14) + dt.timedelta(days=i % 365),
        "End": "Open" if i % 4 == 0 else dt.datetime(2030, 1, 1),
        "PriceType": "Tier" if priced else None,
        "PriceValue": 4 if priced else None,
        "TitleID": "10.5240/77C5-ED35-8FC2-7D9D-9531-1",
        "ContentID": f"md:cid:org:rockstar:{i // 20}",
        "AvailID": f"AV-{i}",
        "ALID": f"md:alid:org:rockstar:{i // 20}",
        "ReleaseYear": 2006,
        "RatingSystem": "MPAA",
        "RatingValue": "PG",
        "Exclusive": i % 2 == 0,
        "TotalRunTime": dt.time(1, 56, 20),
    }


def generate(path: Path, count: int) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Movies")
    sheet.append([c for _, c, _ in layout.MOVIES])
    sheet.append([f for f, _, _ in layout.MOVIES])
    sheet.append([layout.VERSION] + [f"//{r}" for _, _, r in layout.MOVIES[1:]])
    for i in range(count):
        row = sample(i)
        sheet.append([row.get(f) for f, _, _ in layout.MOVIES])
    workbook.save(path)


def timed(label: str, count: int, work) -> float:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:6.2f} s  {count / seconds:9,.0f} rows/s")
    return seconds


def raw_openpyxl(path: Path) -> None:
    workbook = openpyxl.load_workbook(path, read_only=True)
    for _ in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()


def main(count: int = 20_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "movies_v1.9.xlsx"
        generate(path, count)
        print(f"{count:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        anchor = timed("openpyxl read-only, raw cells", count, lambda: raw_openpyxl(path))
        ours = timed("read_xlsx (fast cells + checks)", count, lambda: _check(read_xlsx(path), count))
        timed("read_xlsx(engine='openpyxl')", count, lambda: _check(read_xlsx(path, engine="openpyxl"), count))
        print(f"read_xlsx vs raw openpyxl: {anchor / ours:.2f}x faster")


def _check(result, count: int) -> None:
    assert len(result.rows) == count, len(result.rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
