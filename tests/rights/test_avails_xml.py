"""XML avails 2.x: the MovieLabs conformance files, the error file, and generated documents."""

import datetime as dt
import io

import pytest

from kinomost.core.errors import ImportRejected
from kinomost.rights.avails.xml import read_xml

from tests.rights.avails_schema import SAMPLES as FIXTURES
from tests.rights.avails_schema import needs_samples as needs_fixtures

DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<avails:AvailList xmlns:avails="http://www.movielabs.com/schema/avails/v2.{minor}/avails"
                  xmlns:md="http://www.movielabs.com/schema/md/v2.8/md">
  <avails:Avail>
    <avails:ALID>md:alid:org:example:film</avails:ALID>
    <avails:Disposition><avails:EntryType>Full Extract</avails:EntryType></avails:Disposition>
    <avails:Licensor><md:DisplayName>Example Films</md:DisplayName></avails:Licensor>
    <avails:AvailType>single</avails:AvailType>
    <avails:Asset contentID="md:cid:org:example:film">
      <avails:WorkType>Movie</avails:WorkType>
      <avails:Metadata><avails:TitleInternalAlias>Film, The</avails:TitleInternalAlias></avails:Metadata>
    </avails:Asset>
    <avails:Transaction TransactionID="T1">
      <avails:LicenseType>{license}</avails:LicenseType>
      <avails:Territory><md:country>RU</md:country></avails:Territory>
      <avails:Territory><md:country>KZ</md:country></avails:Territory>
      <avails:Start>{start}</avails:Start>
      {end}
      <avails:FormatProfile>HD</avails:FormatProfile>
      <avails:Term termName="Exclusive"><avails:Boolean>true</avails:Boolean></avails:Term>
    </avails:Transaction>
  </avails:Avail>
</avails:AvailList>"""


def document(minor=5, license="SVOD", start="2024-01-01T00:00:00", end="<avails:EndCondition>Open</avails:EndCondition>") -> io.BytesIO:
    return io.BytesIO(DOCUMENT.format(minor=minor, license=license, start=start, end=end).encode())


@needs_fixtures
def test_no_errors_2_4_reads_movies_collection_and_tv():
    result = read_xml(FIXTURES / "Avails_noErrors_v2.4.xml")
    assert result.version == "2.4" and len(result.rows) == 24 and result.warnings == []
    bravados = result.rows[0]
    assert (bravados.title_alias, bravados.territory, bravados.license_type) == ("Bravados, The", "US", "EST")
    assert bravados.start == dt.datetime(1917, 9, 24, 23, 59, 59) and bravados.open_ended
    assert bravados.edit_id == "10.5240/77C5-ED35-8FC2-7D9D-9531-1"
    assert (bravados.price_type, bravados.price_value, bravados.price_currency) == ("SRP", "1000.00", "XTS")
    assert bravados.runtime == dt.timedelta(hours=1, minutes=37, seconds=49) and bravados.release_year == 1958
    assert len(bravados.allowed_languages) > 5 and "zh" in bravados.allowed_languages  # the sample's `cmn`: Mandarin is written zh
    sith = next(row for row in result.rows if row.alid == "33603_OV")
    assert sith.end == dt.datetime(2017, 12, 11, 23, 59, 59) and sith.contract_id == "16623"
    assert ("AnnounceDate", "2015-04-06") in sith.terms and sith.suppression_lift_date == dt.date(2015, 4, 6)
    assert [row.work_type for row in result.rows].count("Collection") == 2
    episode = next(row for row in result.rows if row.alid == "md:alid:disney.com:jake-s01e02")
    assert (episode.license_type, episode.season_number, episode.episode_number) == ("SVOD", 1, 2)
    assert episode.series_title_alias == "Jake and the Neverland Pirates" and episode.price_type == "NA"
    season = next(row for row in result.rows if row.work_type == "Season")
    assert season.season_number == 1 and season.season_content_id == "md:cid:disney.com:jake-s01"


@needs_fixtures
def test_volume_file_reads_volumes_and_episodes_without_season_numbers():
    result = read_xml(FIXTURES / "Avails_Volume_no-err_v2.4.xml")
    assert len(result.rows) == 9
    volumes = [row for row in result.rows if row.work_type == "Volume"]
    assert sorted(row.volume_number for row in volumes) == [1, 2] and volumes[0].season_number == 1
    episode = next(row for row in result.rows if row.episode_number == 6)
    assert episode.season_number is None and episode.episode_count == 7 and episode.price_value == "4.99"
    assert all(w["field"] == "VolumeID" for w in result.warnings)  # fake all-zero volume EIDRs


@needs_fixtures
def test_tpr_2_5_keeps_campaign_terms():
    rows = read_xml(FIXTURES / "TPT-test_v1.9_v2.5.xml").rows
    assert [row.format_profile for row in rows] == ["UHD", "HD", "SD"]
    assert rows[0].price_type == "TPR-WSP" and rows[0].price_value == "2.99" and rows[0].price_currency == "USD"
    assert dict(rows[0].terms) == {"CampaignID": "12345", "TPRType": "Conditional"} and rows[0].avail_id is None


@needs_fixtures
def test_error_file_is_refused_naming_each_element():
    with pytest.raises(ImportRejected) as refused:
        read_xml(FIXTURES / "Avails_withErrors.xml")
    problems = {(p["field"], p["path"]): p["message"] for p in refused.value.problems}
    avail1, avail2 = "/AvailList/Avail[1]", "/AvailList/Avail[2]"
    assert "'JJ'" in problems[("Territory", f"{avail1}/Transaction[1]/Territory[1]/country")]
    assert "MPAA" in problems[("RatingValue", f"{avail1}/Asset/Metadata/Ratings/Rating/Value")]
    assert "'XYZ'" in problems[("AllowedLanguages", f"{avail1}/Transaction[1]/AllowedLanguage")]
    assert "'fr-xx'" in problems[("AllowedLanguages", f"{avail1}/Transaction[2]/AllowedLanguage")]
    assert "'ENg'" in problems[("AssetLanguage", f"{avail1}/Transaction[2]/AssetLanguage")]
    assert "'Librry'" in problems[("LicenseRightsDescription", f"{avail2}/Transaction[2]/LicenseRightsDescription")]
    assert len(problems) == 6


def test_one_row_per_territory_in_any_2_x_namespace():
    for minor in (2, 5, 7):
        result = read_xml(document(minor=minor))
        assert [row.territory for row in result.rows] == ["RU", "KZ"] and result.version == f"2.{minor}"
        assert result.rows[0].exclusive is True and result.rows[0].open_ended and result.rows[0].price_type is None


@pytest.mark.parametrize("license", ["AVOD", "FVOD", "TVOD"])
def test_extension_license_types(license):
    assert {row.license_type for row in read_xml(document(license=license)).rows} == {license}


def test_bad_window_is_refused_once_per_transaction_not_per_territory():
    with pytest.raises(ImportRejected) as refused:
        read_xml(document(start="2024-02-01", end="<avails:End>2024-01-01</avails:End>"))
    assert refused.value.problems == [
        {"path": "/AvailList/Avail[1]/Transaction[1]/End", "field": "End", "message": "End 2024-01-01 is not after Start 2024-02-01"}
    ]


def test_missing_end_and_foreign_documents_are_refused():
    with pytest.raises(ImportRejected) as refused:
        read_xml(document(end=""))
    assert refused.value.problems[0]["message"] == "End is required"
    with pytest.raises(ImportRejected, match="problem") as refused:
        read_xml(io.BytesIO(b"<feed xmlns='http://www.w3.org/2005/Atom'/>"))
    assert "not an Avails 2.x document" in refused.value.problems[0]["message"]
    with pytest.raises(ImportRejected) as refused:
        read_xml(io.BytesIO(b"<avails:AvailList"))
    assert "not well-formed" in refused.value.problems[0]["message"]


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(b'<!ENTITY %c "%s">' % (bytes([ord("a") + i + 1]), (b"&%c;" % (ord("a") + i)) * 10) for i in range(7))
    + b']><avails:AvailList xmlns:avails="http://www.movielabs.com/schema/avails/v2.5/avails">'
    b"<avails:Avail><avails:ALID>&h;</avails:ALID></avails:Avail></avails:AvailList>"
)


@pytest.mark.skipif(__import__("pyexpat").version_info < (2, 4, 0), reason="expat < 2.4 has no amplification limit")
def test_entity_expansion_bombs_and_external_entities_are_refused():
    with pytest.raises(ImportRejected) as refused:
        read_xml(io.BytesIO(BOMB))
    assert "amplification" in refused.value.problems[0]["message"]
    external = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<avails:AvailList xmlns:avails="http://www.movielabs.com/schema/avails/v2.5/avails">'
        b"<avails:Avail><avails:ALID>&x;</avails:ALID></avails:Avail></avails:AvailList>"
    )
    with pytest.raises(ImportRejected, match="problem"):
        read_xml(io.BytesIO(external))
