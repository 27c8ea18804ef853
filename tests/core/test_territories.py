import pycountry
import pytest

from kinomost.core.errors import InvalidInput
from kinomost.core.territories import expand, group_members, normalise_country
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
