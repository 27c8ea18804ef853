"""Every avails XML Kinomost writes validates against the official schema of the version it
declares (the MovieLabs XSDs in shared/conformance/avails/xsd): generated rows of every kind,
every sample read and written again, every sample imported and exported from the ledger, grants
recorded by hand. What the schema requires and the rows lack is filled and said in notes; an
export with nothing in it is refused. (conftest also checks each XML any rights test writes.)"""

import dataclasses
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from kinomost.catalog.models import Identifier
from kinomost.core.errors import InvalidInput
from kinomost.rights.avails import from_ledger, records
from kinomost.rights.avails.export import write_xml
from tests.rights.avails_schema import SAMPLES, VALID_SAMPLES, needs_samples, needs_schemas, round_trip_xml, validate_avails_xml
from tests.factories import give, hold, make_work
from tests.rights.test_avails_export import sample_rows

pytestmark = needs_schemas
NS = {"a": "http://www.movielabs.com/schema/avails/v2.5/avails", "md": "http://www.movielabs.com/schema/md/v2.8/md"}


def xml_of(rows) -> tuple[bytes, list[dict]]:
    out = io.BytesIO()
    notes = write_xml(rows, out)
    return out.getvalue(), notes


def texts(data: bytes, path: str) -> list[str]:
    return [element.text for element in etree.fromstring(data).iterfind(path, NS)]


def test_the_validator_finds_what_the_old_writer_got_wrong():
    """The oracle itself: a document missing ShortDescription and @contentID is refused."""
    data, _ = xml_of(sample_rows()[:1])
    broken = etree.fromstring(data)
    for element in broken.iterfind(".//a:ShortDescription", NS):
        element.getparent().remove(element)
    assert validate_avails_xml(data) == []
    assert any("ShortDescription" in error for error in validate_avails_xml(etree.tostring(broken)))


def test_generated_movies_and_tv_with_every_kind_of_field_validate():
    episode = sample_rows()[4]
    rows = sample_rows() + [
        dataclasses.replace(
            episode,
            work_type="Series",
            season_number=None,
            episode_number=None,
            episode_title_alias=None,
            alid="md:alid:org:mosfilm:series",
            content_id=None,
            rating_system="TVPG",
            rating_value="TV-14",
            release_year=1973,
        ),
        dataclasses.replace(
            episode,
            work_type="Volume",
            volume_number=None,
            volume_title_alias="Box",
            season_number=None,
            runtime=dt.timedelta(hours=9),
            alid="md:alid:org:mosfilm:box",
        ),
        dataclasses.replace(
            episode,
            work_type="Episode",
            season_content_id=None,
            series_content_id=None,
            season_number=None,
            rating_system="MKRF",
            rating_value="12+",
            runtime=dt.timedelta(minutes=64),
            localization_type="dub",
            allowed_languages=("kk",),
            price_type="NA",
            price_value="NA",
            license_type="TVOD",
            alid="md:alid:org:mosfilm:e3",
        ),
        dataclasses.replace(sample_rows()[0], price_type="Category", price_value="New Release", price_currency="USD", avail_id="9"),
    ]
    data, notes = xml_of(rows)
    assert validate_avails_xml(data) == []
    assert set(texts(data, ".//a:Metadata/a:TitleEIDR-URN")) == {"urn:eidr:10.5240:77C5-ED35-8FC2-7D9D-9531-1"}
    assert "md:cid:org:mosfilm:series" in [a.get("contentID") for a in etree.fromstring(data).iterfind(".//a:Asset", NS)]
    assert texts(data, ".//a:Transaction/a:Term[@termName='NA']/a:Text") == ["NA"]
    assert set(texts(data, ".//md:Rating/md:Region/md:country")) == {"RU"}  # MKRF's country, and TVPG offered in RU
    by_field = {note["field"]: note["count"] for note in notes}
    assert by_field["ShortDescription"] == len(etree.fromstring(data).findall("a:Avail", NS))
    assert by_field["Ratings/Rating/Region"] == 1 and by_field["PriceCurrency"] == 1
    assert by_field["Asset/@contentID"] == 1 and by_field["SeasonContentID"] == 1 and by_field["RunLength"] == 1
    assert texts(data, ".//a:Transaction/a:Term[@termName='Category']/a:Text") == ["New Release"]


def test_short_descriptions_name_what_is_offered():
    data, _ = xml_of(sample_rows())
    assert texts(data, "a:Avail/a:ShortDescription")[0] == "Сталкер"
    assert "Seventeen Moments S1 E2: Part 2" in texts(data, "a:Avail/a:ShortDescription")


def test_nothing_to_write_is_refused_not_written_invalid():
    with pytest.raises(InvalidInput, match="nothing to export"):
        xml_of([])


@needs_samples
@pytest.mark.parametrize("name", [name for name in VALID_SAMPLES if name != "Bonus_v1.9.xlsx"])
def test_every_sample_read_and_written_as_xml_validates(name):
    assert validate_avails_xml(round_trip_xml(name)) == []


@needs_samples
def test_the_bonus_sheet_grants_nothing_so_its_xml_is_refused():
    with pytest.raises(InvalidInput):
        round_trip_xml("Bonus_v1.9.xlsx")


@needs_samples
@pytest.mark.parametrize("name", [name for name in VALID_SAMPLES if name != "Bonus_v1.9.xlsx"])
def test_every_sample_imported_and_exported_from_the_ledger_validates(org_b, name):
    data = (SAMPLES / name).read_bytes()
    records.import_avails(org_b, data, name)
    for licensor in {row.licensor for row in records.read_avails(data, name).rows}:
        exported = from_ledger.export_avails(org_b, "xml", licensor=licensor)
        assert validate_avails_xml(exported.data) == []


def test_grants_of_films_and_episodes_recorded_by_hand_export_valid_with_derived_ids(org_a, org_b):
    film = make_work(org_a, "brother")
    series = make_work(org_a, "moments", kind="series")
    season = make_work(org_a, "moments-s1", kind="season", parent_ref="moments")
    episode = make_work(org_a, "moments-s1e1", kind="episode", parent_ref="moments-s1")
    Identifier.objects.create(work=season, namespace="content_id", value="md:cid:org:rmg:moments-s1")
    hold(org_a, [film, series, season, episode], territories="WORLD", media="all", start="2026-01-01")
    give(
        org_a,
        org_b,
        [film, episode],
        territories="KZ;001",
        media="svod;est",
        start="2027-01-01",
        end=None,
        exclusive=False,
        languages=[{"language": "ru", "use": "dubbed"}],
    )
    exported = from_ledger.export_avails(org_a, "xml", licensee=org_b)
    assert validate_avails_xml(exported.data) == []
    assert set(texts(exported.data, ".//a:SeasonContentID")) == {"md:cid:org:rmg:moments-s1"}
    assert set(texts(exported.data, ".//a:SeriesContentID")) == {"md:cid:org:kinomost:moments"}
    contents = {a.get("contentID") for a in etree.fromstring(exported.data).iterfind(".//a:Asset", NS)}
    assert contents == {"md:cid:org:kinomost:brother", "md:cid:org:kinomost:moments-s1e1"}
    fields = {note["field"] for note in exported.notes}
    assert {"ShortDescription", "Asset/@contentID", "SeriesContentID"} <= fields
    assert "SeasonContentID" not in fields  # the season has its own


def test_an_export_with_nothing_in_it_is_refused_by_every_interface(org_a, org_b, client_a, token_a):
    for fmt in ("xml", "xlsx"):
        with pytest.raises(InvalidInput, match="nothing to export"):
            from_ledger.export_avails(org_a, fmt, licensee=org_b)
    with pytest.raises(CommandError, match="nothing to export"):
        call_command("export-avails", "--org", org_a.slug, "--licensee", org_b.slug, "--format", "xml")
    r = client_a.get(f"/api/v1/rights/avails/export?licensee={org_b.slug}&format=xml", HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert r.status_code == 422 and r.json()["error"] == "invalid_input" and "nothing to export" in r.json()["message"]
    r = client_a.get(f"/studio/rights/avails/export/?licensee={org_b.slug}&format=xml")
    assert r.status_code == 422 and b"avails-export-refused" in r.content and b"nothing to export" in r.content


def test_the_notes_reach_the_cli_the_api_and_the_page(org_a, org_b, client_a, token_a, capsys, tmp_path):
    film = make_work(org_a, "brother")
    hold(org_a, [film], territories="WORLD", media="all", start="2026-01-01")
    give(org_a, org_b, [film], territories="KZ", media="svod", start="2027-01-01", end="2030-01-01")
    call_command("export-avails", "--org", org_a.slug, "--licensee", org_b.slug, "--format", "xml", "--output", str(tmp_path / "out.xml"))
    assert "ShortDescription" in capsys.readouterr().err
    r = client_a.get(f"/api/v1/rights/avails/export?licensee={org_b.slug}&format=xml", HTTP_AUTHORIZATION=f"Bearer {token_a}")
    assert r.status_code == 200 and validate_avails_xml(r.content) == []
    assert {note["field"] for note in json.loads(r["X-Avails-Notes"])} == {"ShortDescription", "Asset/@contentID"}
    r = client_a.get(f"/studio/rights/avails/export/?licensee={org_b.slug}&format=xml&check=1", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 200 and b"avails-export-check" in r.content and b"ShortDescription" in r.content
    assert f"licensee={org_b.slug}&amp;format=xml".encode() in r.content  # the download link, without check
