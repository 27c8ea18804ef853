"""Writing avails: what is written reads back as equal rows, in both encodings."""

import dataclasses
import datetime as dt
import io

import openpyxl
import pytest

from kinomost.rights.avails.export import derived_content_id, write_xlsx, write_xml
from kinomost.rights.avails.model import AvailRow
from kinomost.rights.avails.xlsx import read_xlsx
from kinomost.rights.avails.xml import read_xml

from tests.rights.avails_schema import SAMPLES as FIXTURES
from tests.rights.avails_schema import needs_samples as needs_fixtures


def written(rows, writer) -> io.BytesIO:
    buffer = io.BytesIO()
    writer(rows, buffer)
    buffer.seek(0)
    return buffer


def sample_rows() -> list[AvailRow]:
    """Movies and TV, keyword and dated windows, extensions, world rights with exclusions."""
    base = dict(
        licensor="Mosfilm",
        alid="md:alid:org:mosfilm:stalker",
        content_id="md:cid:org:mosfilm:stalker",
        work_type="Movie",
        title_alias="Stalker",
        title_display="Сталкер",
        format_profile="HD",
        price_type="WSP",
        price_value="9.99",
        price_currency="EUR",
        release_year=1979,
        runtime=dt.timedelta(hours=2, minutes=42),
        rating_system="MKRF",
        rating_value="12+",
        asset_language="ru",
        allowed_languages=("en", "zh-Hans"),
        title_id="10.5240/77C5-ED35-8FC2-7D9D-9531-1",
    )
    tv = dict(
        licensor="Mosfilm",
        work_type="Episode",
        alid="md:alid:org:mosfilm:s1e2",
        content_id="md:cid:e2",
        series_title_alias="Seventeen Moments",
        season_number=1,
        episode_number=2,
        episode_count=12,
        episode_title_alias="Part 2",
        series_content_id="md:cid:s",
        season_content_id="md:cid:s1",
        format_profile="SD",
        license_type="SVOD",
        territory="RU",
        start=dt.date(2024, 1, 1),
        end_condition="Open",
    )
    return [
        AvailRow(
            **base,
            territory="RU",
            license_type="EST",
            start=dt.date(2024, 1, 1),
            end_condition="Open",
            exclusive=True,
            avail_id="1",
            terms=(("SRP", "14.99"),),
        ),
        AvailRow(
            **base,
            territory="001",
            territory_exclusions=("CN", "US"),
            license_type="AVOD",
            start=dt.datetime(2024, 3, 1, 12, 30),
            end=dt.datetime(2025, 3, 1, 23, 59, 59),
            avail_id="2",
        ),
        AvailRow(
            **base, territory="KZ", license_type="FVOD", start_condition="Immediate", end_condition="TBD", exclusive=False, avail_id="3"
        ),
        AvailRow(
            **base,
            territory="CN",
            license_type="POEST",
            start=dt.date(2024, 5, 1),
            end_condition="ESTStart",
            suppression_lift_date=dt.date(2024, 4, 1),
            avail_id="4",
        ),
        AvailRow(**tv, avail_id="5"),
        AvailRow(
            **{
                **tv,
                "work_type": "Season",
                "episode_number": None,
                "episode_title_alias": None,
                "content_id": "md:cid:s1",
                "alid": "md:alid:org:mosfilm:s1",
            },
            avail_id="6",
        ),
    ]


@pytest.mark.parametrize("writer, reader", [(write_xlsx, read_xlsx), (write_xml, read_xml)])
def test_round_trip_of_generated_rows(writer, reader):
    rows = sample_rows()
    once = reader(written(rows, writer)).rows
    assert once == rows
    assert reader(written(once, writer)).rows == rows


def test_spreadsheet_has_the_v1_9_templates_movies_and_tv():
    workbook = openpyxl.load_workbook(written(sample_rows(), write_xlsx), read_only=True)
    movies, tv = workbook["Movies"], workbook["TV"]
    header = [cell.value for cell in next(movies.iter_rows(min_row=2, max_row=2))]
    assert len(header) == 78 and header[:4] == ["DisplayName", "Licensee", "AssetLanguage", "Territory"]
    assert movies["A3"].value == "1.9" and len(list(tv.iter_rows(min_row=2, max_row=2))[0]) == 102
    assert [row[0] for row in movies.iter_rows(min_row=4, values_only=True)] == ["Mosfilm"] * 4


def test_tvod_is_written_as_vod_and_the_other_extensions_as_they_are():
    rows = [
        AvailRow(
            licensor="L",
            work_type="Movie",
            alid="A",
            title_alias="T",
            territory="RU",
            license_type=lt,
            format_profile="HD",
            start=dt.date(2024, 1, 1),
            end_condition="Open",
            price_type="Tier",
            price_value="1",
        )
        for lt in ("TVOD", "AVOD", "FVOD")
    ]
    for writer, reader in ((write_xlsx, read_xlsx), (write_xml, read_xml)):
        assert [row.license_type for row in reader(written(rows, writer)).rows] == ["VOD", "AVOD", "FVOD"]


@needs_fixtures
@pytest.mark.parametrize("name", ["Movies_v1.9.xlsx", "TV_v1.9.xlsx", "Movies_v1.8.xlsx", "TV_v1.8.xlsx", "Movies_v1.7.3.xlsx"])
def test_spreadsheet_fixtures_round_trip_through_both_encodings(name):
    rows = read_xlsx(FIXTURES / name).rows
    again = read_xlsx(written(rows, write_xlsx)).rows
    assert again == rows
    assert read_xlsx(written(again, write_xlsx)).rows == rows
    assert read_xml(written(rows, write_xml)).rows == with_content_ids(rows)


def with_content_ids(rows):
    """The rows as XML gives them back: the schema requires a content ID on every asset, so one the
    row lacked is derived from its ALID (Movies_v1.8 and TV_v1.8 leave some empty)."""
    return [row if row.content_id else dataclasses.replace(row, content_id=derived_content_id(row.alid)) for row in rows]


@needs_fixtures
@pytest.mark.parametrize("name", ["Avails_noErrors_v2.4.xml", "Avails_Volume_no-err_v2.4.xml", "TPT-test_v1.9_v2.5.xml"])
def test_xml_fixtures_round_trip(name):
    rows = read_xml(FIXTURES / name).rows
    again = read_xml(written(rows, write_xml)).rows
    assert again == rows
    assert read_xml(written(again, write_xml)).rows == rows
