"""Spreadsheet avails: the MovieLabs conformance sheets, and generated sheets for the error paths."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kinomost.core.errors import ImportRejected
from kinomost.rights.avails import layout
from kinomost.rights.avails.xlsx import read_xlsx

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / ".." / "shared" / "conformance" / "avails"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"shared conformance fixtures not present: {FIXTURES.resolve()}")


def fixture(name: str) -> Path:
    return FIXTURES / name


def movie(**overrides) -> dict:
    """A valid Movies v1.9 row."""
    row = {
        "DisplayName": "Rockstar Films",
        "Territory": "US",
        "WorkType": "Movie",
        "EntryType": "Full Extract",
        "TitleInternalAlias": "View from a Mountain, The",
        "LicenseType": "EST",
        "FormatProfile": "HD",
        "Start": dt.datetime(2013, 6, 14),
        "End": "Open",
        "PriceType": "Tier",
        "PriceValue": 4,
        "ContentID": "md:cid:org:rockstar:view",
        "ALID": "md:alid:org:rockstar:view",
        "AvailID": "A-1",
    }
    row.update(overrides)
    return row


def make_sheet(path: Path, rows: list[dict], *, columns: list[str] | None = None, version="1.9") -> Path:
    """A workbook in the template layout: class row, field row, version row, then data."""
    names = columns or [name for name, _, _ in layout.MOVIES]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Avail"] * len(names))
    sheet.append(names)
    sheet.append([version] + ["//Opt"] * (len(names) - 1))
    for row in rows:
        sheet.append([row.get(name) for name in names])
    workbook.save(path)
    return path


# --- conformance files ---------------------------------------------------------------------------------


@needs_fixtures
def test_movies_1_9_reads_every_row_with_its_facts():
    result = read_xlsx(fixture("Movies_v1.9.xlsx"))
    assert result.version == "1.9" and len(result.rows) == 26
    first = result.rows[0]
    assert (first.title_alias, first.territory, first.license_type, first.format_profile) == (
        "View from a Mountain, The",
        "US",
        "EST",
        "HD",
    )
    assert first.start == dt.date(2013, 6, 14) and first.open_ended and first.end_condition == "Open"
    assert first.exclusive is True and first.runtime == dt.timedelta(hours=1, minutes=56, seconds=20)
    assert first.release_year == 2006 and first.rating_value == "PG" and first.price_value == "4"
    preorder = result.rows[2]
    assert preorder.license_type == "POEST" and preorder.end is None and preorder.end_condition == "ESTStart"
    assert not preorder.open_ended and preorder.exclusive is False
    assert preorder.suppression_lift_date == dt.date(2012, 12, 10)
    early = result.rows[4]
    assert (early.start, early.end) == (dt.date(2013, 5, 14), dt.date(2013, 5, 28))
    spain = [row for row in result.rows if row.territory == "ES"]
    assert len(spain) == 8 and spain[0].title_display == "El primer baile" and spain[0].price_currency == "USD"
    assert {row.license_type for row in result.rows} == {"EST", "VOD", "POEST"}


@needs_fixtures
def test_fake_eidrs_in_movies_1_9_are_kept_and_warned_about_never_refused():
    result = read_xlsx(fixture("Movies_v1.9.xlsx"))
    assert result.rows[0].title_id == "10.5240/1489-49A2-3956-4B2D-BEFK-6"
    assert {"row": 4, "column": "TitleID", "sheet": "Template-Movies"}.items() <= result.warnings[0].items()


@needs_fixtures
def test_tv_1_9_reads_seasons_and_episodes_with_their_numbers():
    result = read_xlsx(fixture("TV_v1.9.xlsx"))
    assert len(result.rows) == 38
    seasons = [row for row in result.rows if row.work_type == "Season"]
    episodes = [row for row in result.rows if row.work_type == "Episode"]
    assert len(seasons) == 4 and len(episodes) == 34
    assert seasons[0].season_number == 1 and seasons[0].episode_number is None and seasons[0].episode_count == 8
    assert seasons[0].content_id == "md:cid:eidr-s:AAAA-AAAA-AAAA-AAAA-1111-A"
    third = next(row for row in episodes if row.episode_number == 3 and row.territory == "US")
    assert third.series_title_alias == "Detectives, The" and third.episode_title_alias == "Elemental Five, The"
    assert third.season_number == 1 and third.open_ended and third.runtime == dt.timedelta(minutes=56, seconds=20)
    assert {row.territory for row in result.rows} == {"US", "FR"}


@needs_fixtures
@pytest.mark.parametrize(
    "name, count, version",
    [
        ("Movies_v1.8.xlsx", 27, "1.8"),
        ("TV_v1.8.xlsx", 38, "1.8"),
        ("Movies_v1.7.3.xlsx", 6, None),
    ],
)
def test_older_templates_read(name, count, version):
    result = read_xlsx(fixture(name))
    assert len(result.rows) == count and result.version == version


@needs_fixtures
def test_movies_1_8_full_delete_and_tv_1_8_season_without_alid():
    movies = read_xlsx(fixture("Movies_v1.8.xlsx"))
    deleted = [row for row in movies.rows if row.entry_type == "Full Delete"]
    assert len(deleted) == 1 and deleted[0].territory == "DE" and deleted[0].end == dt.date(2000, 1, 1)
    tv = read_xlsx(fixture("TV_v1.8.xlsx"))
    stand_ins = [w for w in tv.warnings if w["column"] == "ALID"]
    assert [w["row"] for w in stand_ins] == [24, 25]


@needs_fixtures
def test_1_7_3_world_territory_keywords_and_lags():
    rows = read_xlsx(fixture("Movies_v1.7.3.xlsx")).rows
    star_farce = rows[1]
    assert star_farce.territory == "001" and star_farce.territory_exclusions == ("US",)
    assert star_farce.start is None and star_farce.start_condition == "Theatrical" and star_farce.start_lag == "-PT12H"
    assert star_farce.end_condition == "Broadcast" and star_farce.end_lag == "-P5DT10H"
    assert rows[0].territory_exclusions == ("US", "CA") and rows[0].asset_language == "en"
    assert rows[0].allowed_languages == ("es", "fr") and rows[0].end == dt.date(2019, 6, 20)


@needs_fixtures
def test_bonus_sheet_is_skipped_with_a_reason():
    result = read_xlsx(fixture("Bonus_v1.9.xlsx"))
    assert result.rows == [] and "Bonus" in result.warnings[0]["message"]


@needs_fixtures
@pytest.mark.parametrize("name", ["Movies_v1.9.xlsx", "TV_v1.9.xlsx", "Movies_v1.8.xlsx", "TV_v1.8.xlsx", "Movies_v1.7.3.xlsx"])
def test_fast_cell_scanner_agrees_with_openpyxl(name):
    fast, reference = read_xlsx(fixture(name)), read_xlsx(fixture(name), engine="openpyxl")
    assert fast.rows == reference.rows and fast.warnings == reference.warnings


# --- generated files --------------------------------------------------------------------------------------


def test_one_bad_row_among_many_names_row_and_column_and_nothing_is_returned(tmp_path):
    rows = [movie(AvailID=f"A-{i}") for i in range(50)]
    rows[2] = movie(Territory="Atlantis", AvailID="A-2")  # third data row = spreadsheet row 6
    with pytest.raises(ImportRejected) as refused:
        read_xlsx(make_sheet(tmp_path / "bad.xlsx", rows))
    assert refused.value.problems == [
        {"sheet": "Sheet", "row": 6, "column": "Territory", "message": "'ATLANTIS' is not an ISO 3166-1 country code"}
    ]


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    rows = [
        movie(),
        movie(LicenseType="PVOD", Start="soon"),
        movie(End=dt.datetime(2010, 1, 1)),
        movie(ALID=None, ContentID=None, TitleInternalAlias=None),
    ]
    with pytest.raises(ImportRejected) as refused:
        read_xlsx(make_sheet(tmp_path / "bad.xlsx", rows))
    found = {(p["row"], p["column"]) for p in refused.value.problems}
    assert found == {(5, "LicenseType"), (5, "Start"), (6, "End"), (7, "ALID"), (7, "TitleInternalAlias")}


def test_excel_serials_and_iso_text_read_as_the_same_dates(tmp_path):
    rows = [
        movie(Start=41439, End=41500),
        movie(Start="2013-06-14", End="2013-08-14"),
        movie(Start=dt.datetime(2013, 6, 14), End=dt.date(2013, 8, 14)),
    ]
    result = read_xlsx(make_sheet(tmp_path / "dates.xlsx", rows))
    assert {(row.start, row.end) for row in result.rows} == {(dt.date(2013, 6, 14), dt.date(2013, 8, 14))}


def test_formulas_are_refused_but_template_booleans_are_values(tmp_path):
    rows = [movie(Exclusive="=TRUE()"), movie(PriceValue="=2+2")]
    with pytest.raises(ImportRejected) as refused:
        read_xlsx(make_sheet(tmp_path / "formula.xlsx", rows))
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [(5, "PriceValue")]
    assert "formula" in refused.value.problems[0]["message"]


def test_columns_in_any_order_empty_rows_skipped_and_extensions_read(tmp_path):
    columns = [
        "ALID",
        "End",
        "Start",
        "LicenseType",
        "FormatProfile",
        "TitleInternalAlias",
        "EntryType",
        "WorkType",
        "Territory",
        "DisplayName",
        "PriceType",
        "PriceValue",
        "Exclusive",
        "TotalRunTime",
    ]
    rows = [
        movie(LicenseType="AVOD", PriceType=None, PriceValue=None, Exclusive="Yes", TotalRunTime="1:56:20"),
        {},
        {},
        movie(LicenseType="FVOD", PriceType=None, PriceValue=None, Exclusive=0),
        movie(LicenseType="TVOD", Territory="ru"),
    ]
    result = read_xlsx(make_sheet(tmp_path / "order.xlsx", rows, columns=columns))
    assert [row.license_type for row in result.rows] == ["AVOD", "FVOD", "TVOD"]
    assert [row.exclusive for row in result.rows] == [True, False, None]
    assert result.rows[2].territory == "RU" and result.rows[2].source.endswith("!8")
    assert result.rows[0].runtime == dt.timedelta(hours=1, minutes=56, seconds=20)


def test_price_is_required_except_for_unpriced_licenses(tmp_path):
    rows = [movie(LicenseType="SVOD", PriceType=None, PriceValue=None), movie(PriceType=None, PriceValue=None)]
    with pytest.raises(ImportRejected) as refused:
        read_xlsx(make_sheet(tmp_path / "price.xlsx", rows))
    assert {(p["row"], p["column"]) for p in refused.value.problems} == {(5, "PriceType"), (5, "PriceValue")}


def test_a_workbook_without_avails_sheet_is_refused(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["just", "a", "table"])
    workbook.save(tmp_path / "other.xlsx")
    with pytest.raises(ImportRejected, match="problem") as refused:
        read_xlsx(tmp_path / "other.xlsx")
    assert "no avails sheet" in refused.value.problems[0]["message"]


def test_scanner_agrees_with_openpyxl_across_chunk_boundaries_and_odd_text(tmp_path, monkeypatch):
    from kinomost.rights.avails import xlsx

    rows = [
        movie(
            TitleInternalAlias=f'Tom & Jerry <{i}> "quoted" ёжик',
            AvailID=f"A-{i}",
            PriceValue=i + 0.99,
            End=dt.datetime(2030, 1, 1, 23, 59, 59) if i % 2 else "Open",
            Exclusive=bool(i % 3),
        )
        for i in range(300)
    ]
    path = make_sheet(tmp_path / "odd.xlsx", rows)
    monkeypatch.setattr(xlsx, "_CHUNK", 997)  # rows and characters split across reads
    fast, reference = read_xlsx(path), read_xlsx(path, engine="openpyxl")
    assert fast.rows == reference.rows and len(fast.rows) == 300
    assert fast.rows[7].title_alias == 'Tom & Jerry <7> "quoted" ёжик' and fast.rows[7].price_value == "7.99"
    assert fast.rows[7].end == dt.datetime(2030, 1, 1, 23, 59, 59)


def episode(**overrides) -> dict:
    row = movie(
        WorkType="Episode",
        TitleInternalAlias=None,
        SeriesTitleInternalAlias="Detectives, The",
        SeasonNumber=1,
        EpisodeNumber=3,
        EpisodeTitleInternalAlias="Elemental Five, The",
        EpisodeContentID="md:cid:org:rockstar:e3",
        ContentID=None,
    )
    row.update(overrides)
    return row


def test_merged_all_avails_layout_reads_movies_and_episodes_from_one_sheet(tmp_path):
    names = list(dict.fromkeys([n for n, _, _ in layout.MOVIES] + [n for n, _, _ in layout.TV]))
    result = read_xlsx(make_sheet(tmp_path / "all.xlsx", [movie(), episode()], columns=names, version="1.8"))
    film, show = result.rows
    assert (film.work_type, film.title_alias, film.content_id) == ("Movie", "View from a Mountain, The", "md:cid:org:rockstar:view")
    assert (show.work_type, show.season_number, show.episode_number) == ("Episode", 1, 3)
    assert show.content_id == "md:cid:org:rockstar:e3" and show.title_alias is None and result.version == "1.8"


def test_tv_rows_need_their_numbers_and_episode_title(tmp_path):
    names = [n for n, _, _ in layout.TV]
    rows = [episode(), episode(SeasonNumber=None, EpisodeTitleInternalAlias=None), episode(EpisodeNumber="three")]
    with pytest.raises(ImportRejected) as refused:
        read_xlsx(make_sheet(tmp_path / "tv.xlsx", rows, columns=names))
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [
        (5, "EpisodeTitleInternalAlias"),
        (5, "SeasonNumber"),
        (6, "EpisodeNumber"),
    ]
    assert refused.value.problems[2]["message"] == "'three' is not a whole number"
