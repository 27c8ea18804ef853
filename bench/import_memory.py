"""Peak memory of imports, hostile and ordinary, beside the bare interpreter with Django, in one run.

    .venv/bin/python bench/import_memory.py                         # 10,000 works, 100,000 avails rows
    .venv/bin/python bench/import_memory.py --works 20000 --avails 20000

Each case runs in a fresh interpreter (so one case's memory never hides in another's) and reports
its peak resident set size (VmHWM; see `peak_mb`):

  * anchor — the interpreter, Django set up and the import modules loaded, nothing read;
  * refused — a 6 MB XLSX whose sharedStrings.xml unzips to 1 GiB (through the catalogue and the
    avails readers), and a 46 MB CSV of 2.7 million rows; each must be refused for its limit and
    cost less than 300 MB;
  * accepted — a whole import on a fresh SQLite database (migrated once beforehand): the catalogue
    from CSV and from XLSX (three titles, a genre and a rating per row; bulk create, search index),
    and EMA avails (bench/avails_import.py's movie rows, written by `write_xlsx`).

The table gives each case's peak, the peak above the anchor and, for accepted imports, that per
10,000 rows. The limits are the defaults unless KINOMOST_IMPORT_* are set in the environment.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "var" / "bench-import-memory"
REFUSED = ("xlsx sharedStrings bomb → catalogue", "xlsx sharedStrings bomb → avails", "CSV of 2.7 million rows → catalogue")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--works", type=int, default=10000, help="rows of the catalogue imports")
    parser.add_argument("--avails", type=int, default=100000, help="rows of the avails import")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        return worker(args.case, args.rows)
    template = prepare_database()
    cases = (
        [("anchor", 0)]
        + [(name, 0) for name in REFUSED]
        + [("catalogue CSV", args.works), ("catalogue XLSX", args.works), ("avails XLSX", args.avails)]
    )
    write_files(cases)
    results = [run(name, rows, template) for name, rows in cases]
    anchor = results[0]["peak_mb"]
    print(f"{'case':<40} {'rows':>9} {'file MB':>8} {'outcome':<36} {'peak MB':>8} {'above anchor':>12} {'per 10k rows':>12}")
    for (name, rows), r in zip(cases, results):
        above = r["peak_mb"] - anchor
        per = f"{above / rows * 10000:,.1f}" if rows and r["outcome"] == "accepted" else ""
        print(
            f"{name:<40} {rows or '':>9} {r['file_mb']:>8.1f} {r['outcome']:<36} {r['peak_mb']:>8.0f} "
            f"{above if name != 'anchor' else 0:>12.0f} {per:>12}"
        )


def prepare_database() -> Path:
    """A migrated SQLite database, copied fresh for every case."""
    DATA.mkdir(parents=True, exist_ok=True)
    template = DATA / "template.sqlite3"
    template.unlink(missing_ok=True)
    env = dict(os.environ, KINOMOST_DATA_DIR=str(DATA / "template"))
    env.pop("KINOMOST_DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kinomost.settings');"
            "import django; django.setup(); from django.core.management import call_command;"
            "call_command('migrate', verbosity=0)",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    shutil.copy(DATA / "template" / "kinomost.sqlite3", template)
    return template


def file_of(case: str) -> Path:
    return DATA / ("".join(ch if ch.isalnum() else "-" for ch in case) + ".input")


def write_files(cases) -> None:
    """Every case's file, written here so that making it costs the measured process nothing: the
    case reads the bytes, as a server holds an upload."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
    os.environ["KINOMOST_DATA_DIR"] = str(DATA / "template")
    import django

    django.setup()
    bomb = sharedstrings_bomb()
    makers = {
        REFUSED[0]: lambda n: bomb,
        REFUSED[1]: lambda n: bomb,
        REFUSED[2]: lambda n: b"ref,kind,title:en\n" + b"R-1,feature,Film\n" * 2_700_000,
        "catalogue CSV": works_csv,
        "catalogue XLSX": works_xlsx,
        "avails XLSX": avails_xlsx,
    }
    for name, rows in cases:
        if name in makers:
            file_of(name).write_bytes(makers[name](rows))


def run(name: str, rows: int, template: Path) -> dict:
    with tempfile.TemporaryDirectory(dir=DATA) as folder:
        shutil.copy(template, Path(folder) / "kinomost.sqlite3")
        env = dict(os.environ, KINOMOST_DATA_DIR=folder)
        env.pop("KINOMOST_DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, __file__, "--case", name, "--rows", str(rows)], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode:
            sys.exit(f"{name} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.splitlines()[-1])


# --- the files -------------------------------------------------------------------------------------


def sharedstrings_bomb(expanded: int = 1 << 30) -> bytes:
    """A valid workbook whose sharedStrings.xml unzips to `expanded` bytes of 1,000-letter strings."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ref", "kind"])
    plain = io.BytesIO()
    book.save(plain)
    source, out = zipfile.ZipFile(plain), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            target.writestr(info, body)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            part.write(head)
            chunk = (b"<si><t>" + b"A" * 1000 + b"</t></si>") * 1000
            for _ in range((expanded - len(head)) // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")
    return out.getvalue()


def works_rows(count: int) -> list[list[str]]:
    header = ["ref", "kind", "title:ru", "title:zh-Hans", "title:en", "year", "runtime", "countries", "genres", "rating:RU"]
    return [header] + [
        [f"B-{n}", "feature", f"Фильм номер {n}", f"电影{n}号", f"Film number {n}", "2001", "95", "RU", "drama", "12+"]
        for n in range(count)
    ]


def works_csv(count: int) -> bytes:
    return "".join(",".join(row) + "\n" for row in works_rows(count)).encode()


def works_xlsx(count: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("works")
    for row in works_rows(count):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def avails_xlsx(count: int) -> bytes:
    sys.path.insert(0, str(ROOT / "bench"))
    from avails_import import rows

    from kinomost.rights.avails.export import write_xlsx

    out = io.BytesIO()
    write_xlsx(rows(count), out)
    return out.getvalue()


# --- one case, in its own interpreter ------------------------------------------------------------------


def worker(case: str, count: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinomost.settings")
    django.setup()
    from kinomost.catalog.io import import_works
    from kinomost.core.errors import ImportRejected
    from kinomost.rights.avails.records import import_avails, read_avails

    data, action = b"", None
    if case != "anchor":
        data = file_of(case).read_bytes()
    if case == REFUSED[0]:
        action = lambda: import_works(data, "bomb.xlsx", None)  # noqa: E731 — refused before the owner matters
    elif case == REFUSED[1]:
        action = lambda: read_avails(data, "bomb.xlsx")  # noqa: E731
    elif case == REFUSED[2]:
        action = lambda: import_works(data, "huge.csv", None)  # noqa: E731
    elif case != "anchor":
        from kinomost.parties import services as parties

        org = parties.create_organisation(slug="bench-memory", name="Bench", kind="platform", country="RU")
        name = {"catalogue CSV": "works.csv", "catalogue XLSX": "works.xlsx"}.get(case, "avails.xlsx")
        importer = import_avails if case == "avails XLSX" else lambda o, d, n: import_works(d, n, o)
        action = lambda: importer(org, data, name)  # noqa: E731
    outcome = "nothing read"
    if action is not None:
        try:
            action()
            outcome = "accepted"
        except ImportRejected as exc:
            outcome = "refused: " + (exc.problems[0].get("limit") or exc.message)[:27]
    print(json.dumps({"outcome": outcome, "file_mb": len(data) / 1e6, "peak_mb": peak_mb()}))


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    from the parent across fork and exec, so a child would report at least its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
