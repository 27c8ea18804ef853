import pytest

from kinomost.core.errors import InvalidInput
from kinomost.core.languages import fallback_chain, normalise_tag, pick


@pytest.mark.parametrize("raw, canonical", [("ru", "ru"), ("zh-hans", "zh-Hans"), ("ZH_hant", "zh-Hant"), ("pt-br", "pt-BR"), ("EN", "en")])
def test_tags_are_stored_in_canonical_case(raw, canonical):
    assert normalise_tag(raw) == canonical


@pytest.mark.parametrize("bad", ["", "xx", "english", "zh-Hans-CN-x"])
def test_unknown_tags_are_refused(bad):
    with pytest.raises(InvalidInput):
        normalise_tag(bad)


def test_fallback_prefers_viewer_then_original_then_english():
    titles = {"en": "Stalingrad", "ru": "Сталинград"}
    assert pick(titles, "zh-Hans", original="ru") == ("ru", "Сталинград")
    assert pick(titles, "zh-Hans", original="de") == ("en", "Stalingrad")
    assert pick({"zh-Hant": "斯大林格勒"}, "zh-Hans") == ("zh-Hant", "斯大林格勒")
    assert fallback_chain("ru", "zh-Hans")[:3] == ["ru", "zh-Hans", "en"]
