import langcodes
import pytest

from kinomost.core.errors import InvalidInput
from kinomost.core.languages import canonical_language_uses, fallback_chain, from_media_code, normalise_tag, pick

# 39 tags as catalogues, containers, browsers and avails write them, with the form BCP 47 (the IANA
# registry, CLDR) gives them — written from issue 14 and langcodes' answers; None: refused.
REAL_WORLD_TAGS = [
    ("ru", "ru"),
    ("en", "en"),
    ("zh", "zh"),
    ("zh-Hans", "zh-Hans"),
    ("zh-Hant", "zh-Hant"),
    ("zh-TW", "zh-TW"),
    ("zh-HK", "zh-HK"),
    ("zh-CN", "zh-CN"),
    ("pt-BR", "pt-BR"),
    ("es-419", "es-419"),
    ("en-GB", "en-GB"),
    ("sr-Latn", "sr-Latn"),
    ("sr-Cyrl-RS", "sr-Cyrl-RS"),
    ("ja", "ja"),
    ("ko", "ko"),
    ("de-CH", "de-CH"),
    ("fr-CA", "fr-CA"),
    ("kk", "kk"),
    ("uz-Cyrl", "uz-Cyrl"),
    ("yue-Hant-HK", "yue-Hant-HK"),
    ("ZH-HANS", "zh-Hans"),
    ("en_us", "en-US"),
    # ISO 639-2 (T and B) codes that have a 2-letter form are that language
    ("rus", "ru"),
    ("eng", "en"),
    ("zho", "zh"),
    ("chi", "zh"),
    ("ger", "de"),
    # deprecated, grandfathered and extlang tags
    ("iw", "he"),
    ("in", "id"),
    ("mo", "ro"),
    ("sh", "sr-Latn"),
    ("i-klingon", "tlh"),
    ("zh-yue", "yue"),
    # macrolanguage and suppressed script
    ("zh-cmn-Hans", "zh-Hans"),
    ("cmn-Hans", "zh-Hans"),
    ("ja-Jpan-JP", "ja-JP"),
    # no such script, no such country, private use
    ("zh-Abcd", None),
    ("en-XX", None),
    ("qaa", None),
]


def test_the_table_has_39_distinct_tags():
    assert len({raw for raw, _ in REAL_WORLD_TAGS}) == 39


@pytest.mark.parametrize("raw, canonical", REAL_WORLD_TAGS)
def test_tags_take_their_bcp47_canonical_form(raw, canonical):
    if canonical is None:
        with pytest.raises(InvalidInput, match=raw):
            normalise_tag(raw)
    else:
        assert normalise_tag(raw) == canonical
        assert langcodes.standardize_tag(raw, macro=True) == canonical  # the table agrees with the library


@pytest.mark.parametrize("bad", ["", "xx", "english", "zh-Hans-CN-x", "x-foo", "en-a-bbb"])
def test_unknown_tags_are_refused(bad):
    with pytest.raises(InvalidInput):
        normalise_tag(bad)


@pytest.mark.parametrize(
    "code", ["rus", "chi", "zho", "fre", "fra", "ger", "dut", "cze", "gre", "per", "arm", "geo", "baq", "may", "rum", "en"]
)
def test_media_codes_are_the_languages_the_catalogue_stores(code):
    """A container's ISO 639-2/B `chi` and a spreadsheet's `zh` meet (the probe calls this)."""
    assert from_media_code(code) == normalise_tag(code) and len(from_media_code(code)) == 2


def test_media_codes_without_a_language_are_empty():
    assert [from_media_code(c) for c in ("und", "UND", "zxx", "mul", "", None, "qaa", "xx")] == [""] * 8


def test_fallback_prefers_viewer_then_original_then_english():
    titles = {"en": "Stalingrad", "ru": "Сталинград"}
    assert pick(titles, "zh-Hans", original="ru") == ("ru", "Сталинград")
    assert pick(titles, "zh-Hans", original="de") == ("en", "Stalingrad")
    assert pick({"zh-Hant": "斯大林格勒"}, "zh-Hans") == ("zh-Hant", "斯大林格勒")
    assert fallback_chain("ru", "zh-Hans")[:3] == ["ru", "zh-Hans", "en"]


BOTH_SCRIPTS = {"zh-Hans": "斯大林格勒", "zh-Hant": "史達林格勒", "en": "Stalingrad", "ru": "Сталинград"}


@pytest.mark.parametrize("viewer", ["zh-TW", "zh-HK", "zh-Hant-TW", "yue-Hant-HK", "yue"])
def test_traditional_chinese_readers_get_traditional_first(viewer):
    assert pick(BOTH_SCRIPTS, viewer, original="ru") == ("zh-Hant", "史達林格勒")
    assert fallback_chain(viewer, "ru", BOTH_SCRIPTS)[1:3] == ["zh-Hant", "zh-Hans"]


@pytest.mark.parametrize("viewer", ["cmn-Hans", "zh-CN", "zh-SG", "zh"])
def test_simplified_chinese_readers_get_simplified_first(viewer):
    assert pick(BOTH_SCRIPTS, viewer, original="ru") == ("zh-Hans", "斯大林格勒")


def test_chinese_readers_fall_back_to_the_other_script_before_the_original():
    assert pick({"zh-Hans": "斯大林格勒", "ru": "Сталинград"}, "yue-Hant-HK", original="ru") == ("zh-Hans", "斯大林格勒")
    assert pick({"zh-HK": "史達林格勒", "ru": "Сталинград"}, "zh-TW", original="ru") == ("zh-HK", "史達林格勒")


def test_regional_variants_are_relatives_and_unrelated_languages_are_not():
    assert pick({"en": "Stalingrad", "ru": "Сталинград"}, "en-GB", original="ru") == ("en", "Stalingrad")
    assert pick({"pt-BR": "Estalingrado", "en": "Stalingrad"}, "pt-PT") == ("pt-BR", "Estalingrado")
    assert pick({"sr": "Стаљинград", "en": "Stalingrad"}, "ru") == ("en", "Stalingrad")


def test_stored_term_languages_are_canonicalised_without_duplicates():
    stored = [
        {"language": "rus", "use": "dubbed"},
        {"language": "ru", "use": "dubbed"},
        {"language": "chi", "use": "subtitled"},
        {"language": "??", "use": "any"},
    ]
    assert canonical_language_uses(stored) == [
        {"language": "ru", "use": "dubbed"},
        {"language": "zh", "use": "subtitled"},
        {"language": "??", "use": "any"},
    ]
