"""Import and export of works: any encoding, all or nothing, a report naming every bad row."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from kinomost.catalog.io import export_works, import_works
from kinomost.catalog.models import Work
from kinomost.core.errors import ImportRejected

HEADER = "ref,kind,title:ru,title:zh-Hans,title:en,original_language,year,runtime,countries,genres,eidr,series_ref,season,episode,rating:RU"
ROWS = [
    "RU-1,feature,Сталинград,斯大林格勒,Stalingrad,ru,2013,131,RU,war;Драма,10.5240/77C5-ED35-8FC2-7D9D-9531-1,,,,16+",
    "CN-1,Series,Ликвидация,清算,Liquidation,ru,2007,,RU,crime,,,,,16+",
    "CN-1-E1,episode,Серия 1,第1集,Episode 1,ru,2007,52,RU,,,CN-1,1,1,16+",
    "CN-1-E2,episode,Серия 2,第2集,Episode 2,ru,2007,52,RU,,,CN-1,1,2,16+",
]


def csv_bytes(rows, encoding="utf-8", header=HEADER):
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def test_import_creates_works_series_seasons_and_episodes(org_a):
    result = import_works(csv_bytes(ROWS), "works.csv", org_a)
    assert (result.created, result.updated) == (5, 0)  # 4 rows and the season they imply
    film = Work.objects.get(owner=org_a, ref="RU-1")
    assert {loc.language: loc.title for loc in film.localizations.all()} == {
        "ru": "Сталинград",
        "zh-Hans": "斯大林格勒",
        "en": "Stalingrad",
    }
    assert sorted(g.slug for g in film.genres.all()) == ["drama", "war"]  # a genre by its Russian name
    assert film.ratings.get().value == "16+" and film.runtime_minutes == 131
    episode = Work.objects.get(ref="CN-1-E2")
    assert episode.number == 2 and episode.parent.kind == "season" and episode.parent.number == 1
    assert episode.parent.parent.ref == "CN-1"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_russian_files_in_every_usual_encoding(org_a, encoding):
    rows = ["RU-1,feature,Тихий Дон,,Quiet Flows the Don,ru,1958,,RU,drama,,,,,12+"]
    header = HEADER.replace("title:zh-Hans,", "")
    rows = [r.replace(",,Quiet", ",Quiet") for r in rows]
    import_works(csv_bytes(rows, encoding, header=header), "w.csv", org_a)
    assert Work.objects.get(ref="RU-1").localizations.get(language="ru").title == "Тихий Дон"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_chinese_files_in_utf8_and_gb18030(org_a, encoding):
    data = "ref;kind;title:zh-Hans;title:zh-Hant;synopsis:zh-Hans\nCN-1;feature;长江之歌;長江之歌;一条大河波浪宽。\n".encode(encoding)
    import_works(data, "w.csv", org_a)
    titles = {loc.language: loc.title for loc in Work.objects.get(ref="CN-1").localizations.all()}
    assert titles == {"zh-Hans": "长江之歌", "zh-Hant": "長江之歌"}


def test_a_bad_row_9000_of_10000_changes_nothing_and_is_named(org_a):
    rows = [f"W-{n},feature,Фильм {n},,Film {n},ru,2000,90,RU,drama,,,,,12+" for n in range(2, 10002)]
    rows[8998] = rows[8998].replace(",2000,", ",двухтысячный,")  # spreadsheet row 9000
    with pytest.raises(ImportRejected) as refused:
        import_works(csv_bytes(rows), "big.csv", org_a)
    assert refused.value.problems == [{"row": 9000, "column": "year", "message": "'двухтысячный' is not a whole number"}]
    assert not Work.objects.filter(owner=org_a).exists()


def test_the_report_names_every_bad_row_and_column(org_a):
    rows = [
        "A,feature,,,,ru,2000,,XX,,,,,,",
        "B,film,Б,,,ru,,,,,,,,,",
        "C,feature,В,,,ru,,,,,10.5240/77C5-ED35-8FC2-7D9D-9531-2,,,,",
        "C,feature,Г,,,ru,,,,noir,,,,,21+",
        "D,episode,Серия,,,ru,,,,,,NOPE,1,1,",
    ]
    with pytest.raises(ImportRejected) as refused:
        import_works(csv_bytes(rows), "bad.csv", org_a)
    found = {(p["row"], p["column"]) for p in refused.value.problems}
    assert {
        (2, "title:<lang>"),
        (2, "countries"),
        (3, "kind"),
        (4, "eidr"),
        (5, "genres"),
        (5, "rating:<country>"),
        (5, "ref"),
        (6, "series_ref"),
    } <= found
    assert Work.objects.count() == 0


def test_unknown_column_refuses_the_file(org_a):
    with pytest.raises(ImportRejected) as refused:
        import_works(csv_bytes(["A,feature"], header="ref,kind,budget"), "x.csv", org_a)
    assert refused.value.problems[0]["column"] == "budget"


def test_reimport_updates_by_ref(org_a):
    import_works(csv_bytes(ROWS), "w.csv", org_a)
    result = import_works(csv_bytes([ROWS[0].replace("2013", "2014")]), "w.csv", org_a)
    assert (result.created, result.updated) == (0, 1)
    assert Work.objects.get(ref="RU-1").year == 2014 and Work.objects.filter(owner=org_a).count() == 5


def test_export_imports_back_unchanged(org_a, org_b):
    import_works(csv_bytes(ROWS), "w.csv", org_a)
    for fmt in ("csv", "xlsx"):
        first = export_works(org_a, fmt)
        Work.objects.filter(owner=org_b).delete()
        import_works(first, f"x.{fmt}", org_b)
        assert _table(export_works(org_b, fmt), fmt) == _table(first, fmt)


def _table(data, fmt):
    if fmt == "csv":
        return data.decode("utf-8-sig")
    return [tuple(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_xlsx_import_and_formulas_are_refused(org_a):
    book = Workbook()
    sheet = book.active
    sheet.append(["ref", "kind", "title:en", "year"])
    sheet.append(["X-1", "feature", "Hero", 2002])
    sheet.append(["X-2", "feature", "=A2", 2003])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportRejected) as refused:
        import_works(out.getvalue(), "w.xlsx", org_a)
    assert refused.value.problems == [{"row": 3, "column": "title:en", "message": "formulas are not imported; paste the values instead"}]


def test_cli_reports_rows_and_exits_non_zero(org_a, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(["A,film,Б,,,ru,,,,,,,,,"]))
    with pytest.raises(CommandError):
        call_command("import-works", str(bad), "--org", org_a.slug)
    assert "row 2, column kind: unknown kind 'film'" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(ROWS))
    call_command("import-works", str(good), "--org", org_a.slug)
    assert "4 rows: 5 created" in capsys.readouterr().out


def test_one_file_both_creates_in_bulk_and_updates_what_exists(org_a):
    """New films take the bulk path, existing ones go through save_work: both end up alike."""
    header = "ref,kind,title:ru,title:en,year,genres,rating:RU"
    import_works(f"{header}\nOLD-1,feature,Старый,Old,1990,drama,12+\n".encode(), "a.csv", org_a)
    data = f"{header}\nOLD-1,feature,Старый фильм,Old film,1991,comedy,16+\nNEW-1,feature,Новый,New,2020,Драма,18+\n".encode()
    result = import_works(data, "b.csv", org_a)
    assert (result.created, result.updated) == (1, 1)
    for ref, year, genre, rating in (("OLD-1", 1991, "comedy", "16+"), ("NEW-1", 2020, "drama", "18+")):
        work = Work.objects.get(owner=org_a, ref=ref)
        assert work.year == year and [g.slug for g in work.genres.all()] == [genre]
        assert work.ratings.get(territory="RU").value == rating
        assert {loc.language for loc in work.localizations.all()} == {"ru", "en"}


def test_a_column_given_twice_refuses_the_file(org_a):
    data = "ref,kind,title:ru,Title:RU\nA,feature,Брат,Брат 2\n".encode()
    with pytest.raises(ImportRejected) as refused:
        import_works(data, "w.csv", org_a)
    assert {"row": 1, "column": "Title:RU"} == {k: refused.value.problems[0][k] for k in ("row", "column")}
    assert not Work.objects.filter(owner=org_a).exists()
