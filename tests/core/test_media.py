import pytest

from kinomost.core.errors import InvalidInput
from kinomost.core.media import LEAVES, expand


def test_a_group_covers_its_children():
    assert expand(["vod"]) == sorted(["tvod", "pvod", "est", "poest", "svod", "avod", "fvod"])
    assert expand("svod; free_tv") == ["free_tv", "svod"]
    assert expand(["all"]) == sorted(LEAVES)


def test_unknown_media_is_refused_by_name():
    with pytest.raises(InvalidInput, match="unknown media 'netflix'"):
        expand(["svod", "netflix"])
