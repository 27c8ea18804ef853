"""Value rules shared by both avails encodings: dates and keywords, running times, vocabularies."""

import datetime as dt

import pytest

from kinomost.core.errors import InvalidInput
from kinomost.rights.avails import values as v
from kinomost.rights.avails.build import LICENSE_TYPE


@pytest.mark.parametrize(
    "cell", [41439, 41439.0, "41439", "2013-06-14", "2013-06-14T00:00:00", dt.datetime(2013, 6, 14), dt.date(2013, 6, 14)]
)
def test_excel_serial_and_iso_spellings_give_the_same_date(cell):
    assert v.when(cell, is_end=False) == (dt.date(2013, 6, 14), None)


def test_a_time_of_day_is_kept_and_an_offset_too():
    assert v.when("2017-12-11T23:59:59", is_end=True) == (dt.datetime(2017, 12, 11, 23, 59, 59), None)
    assert v.when(41439.5, is_end=True) == (dt.datetime(2013, 6, 14, 12, 0), None)
    moment, _ = v.when("2019-10-25T00:00:00Z", is_end=False)
    assert moment.tzinfo is not None and moment.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("keyword", ["Open", "open", "ESTStart", "Immediate", "TBD", "Theatrical"])
def test_end_keywords_leave_the_date_empty_and_name_the_condition(keyword):
    moment, condition = v.when(keyword, is_end=True)
    assert moment is None and condition.lower() == keyword.lower()


def test_open_cannot_start_a_window_and_nonsense_is_named():
    with pytest.raises(InvalidInput, match="Open"):
        v.when("Open", is_end=False)
    with pytest.raises(InvalidInput, match="'someday'"):
        v.when("someday", is_end=True)
    with pytest.raises(InvalidInput, match="2013-13-01"):
        v.when("2013-13-01", is_end=True)


@pytest.mark.parametrize(
    "cell, seconds",
    [
        (dt.time(1, 56, 20), 6980),
        (0.0807, 6972),
        ("1:56:20", 6980),
        ("1:56", 6960),
        ("PT1H56M20S", 6980),
    ],
)
def test_running_time_spellings(cell, seconds):
    duration, note = v.runtime(cell)
    assert duration.total_seconds() == seconds and note is None


def test_two_part_running_time_of_ten_or_more_is_minutes_and_seconds_with_a_warning():
    duration, note = v.runtime("56:20")
    assert duration == dt.timedelta(minutes=56, seconds=20)
    assert "56 min 20 s" in note


@pytest.mark.parametrize(
    "cell, expected", [(1, True), (0, False), ("Yes", True), ("no", False), ("TRUE", True), ("=FALSE()", False), (True, True), ("y", True)]
)
def test_booleans(cell, expected):
    assert v.boolean(cell) is expected


@pytest.mark.parametrize("value", ["AVOD", "fvod", "TVOD", "EST", "svod", "POEST"])
def test_license_types_include_our_extensions(value):
    assert LICENSE_TYPE(value) == value.upper()


def test_unknown_license_type_lists_the_allowed_ones():
    with pytest.raises(InvalidInput, match="AVOD, FVOD, TVOD"):
        LICENSE_TYPE("PVOD")


def test_languages_are_checked_beyond_their_shape():
    assert v.language("EN:audio") == "en"
    assert v.language_list("es:subdub, fr:subdub") == ("es", "fr")
    with pytest.raises(InvalidInput, match="use 'en'"):
        v.language("ENg")  # not in the IANA registry, which has only `en`: a validator flags it
    assert v.language("cmn-Hans") == "zh-Hans" and v.language("iw") == "he"
    with pytest.raises(InvalidInput, match="'XX'"):
        v.language("fr-xx")


def test_world_territory_and_regions():
    assert v.territory("ZZ")[0] == "001" and "whole world" in v.territory("ZZ")[1]
    assert v.territory("150") == ("150", None)
    assert v.territory("rus") == ("RU", None)
    assert v.country_list("US, CA;DE") == ("US", "CA", "DE")


def test_fake_eidr_is_kept_with_a_warning_and_a_real_one_normalised():
    assert v.eidr("urn:eidr:10.5240:F926-336C-2666-0201-54E9-I") == ("10.5240/F926-336C-2666-0201-54E9-I", None)
    raw, note = v.eidr("10.5240/1489-49A2-3956-4B2D-BEFK-6")
    assert raw == "10.5240/1489-49A2-3956-4B2D-BEFK-6" and "kept as given" in note
