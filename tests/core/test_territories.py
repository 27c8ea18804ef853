import pycountry
import pytest

from kinomost.core.errors import InvalidInput
from kinomost.core.territories import (
    country_name,
    expand,
    group_members,
    normalise_country,
    normalise_origin_country,
    read_country,
    successors,
)
from kinomost.core.territory_groups import M49_SUBREGIONS


def test_every_country_but_antarctica_is_in_exactly_one_m49_subregion():
    seen: dict[str, str] = {}
    for code, (_name, members) in M49_SUBREGIONS.items():
        for country in members.split():
            assert country not in seen, f"{country} in {seen.get(country)} and {code}"
            seen[country] = code
    assert set(seen) == {c.alpha_2 for c in pycountry.countries} - {"AQ"}


@pytest.mark.parametrize("code", ["ru", "RUS", "643", " Ru "])
def test_country_codes_normalise(code):
    assert normalise_country(code) == "RU"


def test_groups_expand_with_exclusions():
    assert expand("GREATER_CHINA") == ["CN", "HK", "MO", "TW"]
    world = expand("WORLD excluding CN")
    assert set(world) == ({c.alpha_2 for c in pycountry.countries} | {"XK"}) - {"CN"}
    assert expand("GREATER_CHINA; -TW") == ["CN", "HK", "MO"]
    assert expand(["EU"], exclude=["DE", "FR"]) == sorted(group_members("EU") - {"DE", "FR"})
    assert "RU" in expand("151") and "RU" in expand("150") and "CN" in expand("030")
    assert set(expand("CIS")) >= {"RU", "KZ", "BY"}


def test_unknown_territory_is_refused_by_name():
    with pytest.raises(InvalidInput, match="'XX'"):
        expand("EU; XX")


@pytest.mark.parametrize(
    "written, stored",
    [
        ("SU", "SUHH"),
        ("SUN", "SUHH"),
        ("suhh", "SUHH"),
        ("YU", "YUCS"),
        ("YUG", "YUCS"),
        ("CS", "CSHH"),
        ("CSK", "CSHH"),
        ("SCG", "CSXX"),
        ("CSXX", "CSXX"),
        ("DD", "DDDE"),
        ("DDR", "DDDE"),
        ("AN", "ANHH"),
        ("ANT", "ANHH"),
        ("RU", "RU"),
        ("BY", "BY"),
        ("GE", "GE"),
        ("XK", "XK"),
        ("UK", "GB"),
    ],
)
def test_countries_of_origin_include_former_countries(written, stored):
    """A back catalogue's Soviet, Yugoslav, Czechoslovak or East German film keeps its country;
    an alpha-2 code in use today (BY, GE) is today's country, not the former one."""
    assert normalise_origin_country(written) == stored


def test_every_former_country_of_iso_3166_3_has_a_name_in_every_interface_language():
    for country in pycountry.historic_countries:
        assert normalise_origin_country(country.alpha_4) == country.alpha_4
        names = {lang: country_name(country.alpha_4, lang) for lang in ("en", "ru", "zh-Hans")}
        assert len(set(names.values())) == 3 and country.alpha_4 not in names.values(), names
    assert [country_name("SUHH", lang) for lang in ("en", "ru", "zh-Hans")] == ["USSR", "СССР", "苏联"]
    assert [country_name("XK", lang) for lang in ("en", "ru", "zh-Hans")] == ["Kosovo", "Косово", "科索沃"]


@pytest.mark.parametrize(
    "code, successors",
    [
        ("SU", ["RU", "UA", "KZ", "EE", "CIS"]),
        ("YU", ["RS", "HR", "SI", "XK"]),
        ("CS", ["CZ", "SK"]),
        ("DD", ["DE"]),
        ("AN", ["CW", "SX", "BQ"]),
        ("SUHH", ["RU"]),
        ("ZR", ["CD"]),
    ],
)
def test_a_former_country_in_a_licence_is_refused_naming_what_to_write(code, successors):
    with pytest.raises(InvalidInput) as refused:
        expand(f"{code}; FR")
    assert f"'{code}'" in refused.value.message and all(s in refused.value.message for s in successors)
    assert set(refused.value.details[0]["successors"]) >= set(successors) - {"CIS"}


def test_every_successor_named_is_a_licence_territory():
    for country in pycountry.historic_countries:
        assert all(normalise_country(code) == code for code in successors(country.alpha_4)), country.alpha_4
        assert successors(country.alpha_4), f"{country.alpha_4} names nothing to write instead"


def test_kosovo_is_a_territory_and_part_of_the_world():
    assert expand("XK") == ["XK"] and normalise_country("xkx") == "XK"
    assert "XK" in expand("WORLD") and "XK" not in expand("WORLD excluding XK")


def test_uk_is_read_as_gb_with_a_note():
    code, note = read_country("UK")
    assert code == "GB" and "'UK'" in note and "GB" in note
    assert read_country("GB") == ("GB", None)
    assert expand("UK; FR") == ["FR", "GB"]


def test_zz_is_the_whole_world_here_as_in_the_avails_reader():
    from kinomost.rights.avails import values

    world = expand("WORLD")
    assert expand("ZZ") == expand("WW") == expand("001") == world
    assert values.territory("ZZ")[0] == "001" and expand(values.territory("ZZ")[0]) == world
