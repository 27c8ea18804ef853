import pytest

from kinomost.core.errors import InvalidInput
from kinomost.core.identifiers import eidr_check_character, normalise_eidr


@pytest.mark.parametrize("suffix, check", [("77C5ED358FC27D9D9531", "1"), ("6FE75382637F2E347518", "O")])
def test_check_character_of_real_ids(suffix, check):
    assert eidr_check_character(suffix) == check


@pytest.mark.parametrize(
    "spelling",
    [
        "10.5240/77C5-ED35-8FC2-7D9D-9531-1",
        "urn:eidr:10.5240:77c5-ed35-8fc2-7d9d-9531-1",
        "https://doi.org/10.5240/77C5-ED35-8FC2-7D9D-9531-1",
        "77C5ED358FC27D9D95311",
    ],
)
def test_every_usual_spelling_normalises_to_the_doi_form(spelling):
    assert normalise_eidr(spelling) == "10.5240/77C5-ED35-8FC2-7D9D-9531-1"


def test_wrong_check_character_is_refused_with_the_expected_one():
    with pytest.raises(InvalidInput, match="expected 1"):
        normalise_eidr("10.5240/77C5-ED35-8FC2-7D9D-9531-2")


def test_garbage_is_refused():
    with pytest.raises(InvalidInput):
        normalise_eidr("tt0111161")
