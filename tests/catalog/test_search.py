"""Cross-script search: every way a person may type a title finds the work, best match first."""

import json
import unicodedata

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from kinomost.catalog import search, services
from kinomost.catalog.search.normalise import basic_fold, query_forms, title_keys, transliterate


def add(org, ref, titles, **kw):
    return services.save_work(org, services.WorkInput(ref=ref, kind=kw.pop("kind", "feature"), titles=titles, **kw))[0]


@pytest.fixture
def catalogue(org_a):
    return {
        "stalingrad": add(
            org_a,
            "RU-1",
            {"ru": "Сталинград", "zh-Hans": "斯大林格勒", "zh-Hant": "斯大林格勒", "en": "Stalingrad"},
            year=2013,
            popularity=50,
        ),
        "yangtze": add(
            org_a,
            "CN-1",
            {"zh-Hans": "长江之歌", "zh-Hant": "長江之歌", "en": "Song of the Yangtze", "ru": "Песня Янцзы"},
            year=2019,
            popularity=10,
        ),
        "don": add(org_a, "RU-2", {"ru": "Тихий Дон", "en": "Quiet Flows the Don", "zh-Hans": "静静的顿河"}, year=1958, popularity=30),
        "yolki": add(org_a, "RU-3", {"ru": "Ёлки", "en": "Six Degrees of Celebration", "zh-Hans": "圣诞树"}, year=2010, popularity=5),
        "shchukin": add(org_a, "RU-4", {"ru": "Щукин и сыновья", "en": "Shchukin and Sons"}, year=2021),
        "lianhe": add(org_a, "CN-2", {"zh-Hans": "江湖", "en": "Rivers and Lakes"}, year=2004, popularity=20),
    }


def first(query, **kw):
    hits = search.search_works(query, **kw)
    return hits[0].work_id if hits else None


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Сталинград", "stalingrad"),  # Cyrillic
        ("сталинград", "stalingrad"),  # case
        ("stalingrad", "stalingrad"),  # Latin transliteration / English
        ("斯大林格勒", "stalingrad"),  # simplified
        ("sidalinggele", "stalingrad"),  # pinyin joined
        ("si da lin ge le", "stalingrad"),  # pinyin spaced
        ("sī dà lín gé lè", "stalingrad"),  # pinyin with tone marks
        ("si4 da4 lin2 ge2 le4", "stalingrad"),  # pinyin with tone digits
        ("sdlgl", "stalingrad"),  # initials
        ("長江之歌", "yangtze"),  # traditional
        ("长江", "yangtze"),  # two characters
        ("changjiang", "yangtze"),  # pinyin prefix
        ("Song of the Yangtze", "yangtze"),  # English
        ("tikhiy don", "don"),  # one transliteration
        ("tihij don", "don"),  # another
        ("Елки", "yolki"),  # е for ё
        ("yolki", "yolki"),  # ё transliterated
        ("Schukin", "shchukin"),  # German-style transliteration
        ("stalingard", "stalingrad"),  # Latin typo
        ("Сталингрд", "stalingrad"),  # Cyrillic typo
        ("Stålingrad", "stalingrad"),  # accents
    ],
)
def test_every_script_and_spelling_finds_the_work(catalogue, query, expected):
    assert first(query) == catalogue[expected].pk, query


def test_one_character_chinese_query(catalogue):
    ids = [h.work_id for h in search.search_works("江")]
    assert set(ids) == {catalogue["yangtze"].pk, catalogue["lianhe"].pk}
    assert ids[0] == catalogue["lianhe"].pk  # 江湖 starts with 江: prefix beats substring


def test_ranking_exact_then_prefix_then_substring_then_popularity(org_a):
    exact = add(org_a, "X-1", {"en": "Don"}, popularity=1)
    prefix_popular = add(org_a, "X-2", {"en": "Don Quixote"}, popularity=100)
    prefix = add(org_a, "X-3", {"en": "Donbass"}, popularity=10)
    substring = add(org_a, "X-4", {"en": "Quiet Don"}, popularity=1000)
    ids = [h.work_id for h in search.search_works("don")]
    assert ids[:4] == [exact.pk, prefix_popular.pk, prefix.pk, substring.pk]


def test_nothing_unrelated_comes_back(catalogue):
    assert search.search_works("zzzzqqq") == []
    assert search.search_works("   ") == []


def test_search_sees_only_own_and_listed_works(org_a, org_b, actor_a, actor_b):
    private_b = add(org_b, "B-1", {"zh-Hans": "明珠传奇", "en": "Pearl Legend"})
    listed_b = add(org_b, "B-2", {"zh-Hans": "明珠之夜", "en": "Pearl Night"}, is_listed=True)
    found_by_a = {h.work_id for h in search.search_works("明珠", actor=actor_a)}
    assert found_by_a == {listed_b.pk}
    assert {h.work_id for h in search.search_works("pearl", actor=actor_b)} == {private_b.pk, listed_b.pk}
    assert {h.work_id for h in search.search_works("pearl", actor=actor_a)} == {listed_b.pk}


def test_listing_a_work_makes_it_findable_for_others(org_b, actor_a, actor_b):
    work = add(org_b, "B-3", {"en": "Jade Mountain"})
    assert search.search_works("jade", actor=actor_a) == []
    services.set_listed(actor_b, work, True)
    assert [h.work_id for h in search.search_works("jade", actor=actor_a)] == [work.pk]


def test_renaming_updates_the_index(org_a):
    work = add(org_a, "R-1", {"en": "Working Title"})
    add(org_a, "R-1", {"en": "Final Cut"}, original_title="Final Cut")
    assert first("final cut") == work.pk
    assert first("working title") is None


def test_api_shape_and_tenancy(client_a, catalogue, org_b):
    add(org_b, "B-9", {"en": "Stalingrad Secret"})
    r = client_a.get("/api/v1/search", {"q": "sidalinggele", "limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert list(body) == ["results"]
    hit = body["results"][0]
    assert set(hit) == {"id", "ref", "kind", "year", "titles"}
    assert hit["ref"] == "RU-1" and hit["titles"]["zh-Hans"] == "斯大林格勒" and hit["year"] == 2013
    refs = [h["ref"] for h in client_a.get("/api/v1/search", {"q": "stalingrad"}).json()["results"]]
    assert "B-9" not in refs


def test_api_limit_is_bounded(client_a):
    assert client_a.get("/api/v1/search", {"q": "x", "limit": 1000}).status_code == 422


def test_search_page_lists_results_in_the_interface_language(client_a, catalogue):
    client_a.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client_a.get("/studio/search/", {"q": "Сталинград"}).content.decode()
    assert "斯大林格勒" in page


def test_cli_json(catalogue, capsys):
    call_command("search", "斯大林", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["results"][0]["ref"] == "RU-1"


def test_keys_and_query_forms_agree():
    assert query_forms("Si Da Lin Ge Le")[1] in [k for _, k in title_keys("斯大林格勒")]
    assert query_forms("Щукин")[1] == query_forms("Shchukin")[1] == query_forms("Schukin")[1]


def test_numbered_parts_are_told_apart(org_a):
    part2 = add(org_a, "P-2", {"zh-Hans": "城市与大海第2部", "en": "The City and the Sea, Part 2"})
    part3 = add(org_a, "P-3", {"zh-Hans": "城市与大海第3部", "en": "The City and the Sea, Part 3"})
    assert first("城市与大海第3部") == part3.pk
    assert first("chengshiyudahaidi2bu") == part2.pk


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_ascii_titles_fold_as_the_unicode_path_does(text):
    """basic_fold and transliterate take a shortcut for ASCII (most avails titles); it must give
    the key the full NFKC/NFD path gives, or a title and its query would stop matching."""
    full = unicodedata.normalize(
        "NFC",
        "".join(
            ch for ch in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold()) if unicodedata.category(ch) != "Mn"
        ),
    )
    assert basic_fold(text) == full
    assert transliterate(text) == text


# --- The typo index (SymSpell's deletion neighbourhood) -------------------------------------------

from hypothesis import settings  # noqa: E402

from kinomost.catalog.search import engines  # noqa: E402
from kinomost.catalog.search.normalise import typo_variants  # noqa: E402

_letters = st.text(alphabet="abcdefghiklmnoprsuvz0123456789", min_size=5, max_size=30)


@st.composite
def _one_edit(draw):
    key = draw(_letters)
    i = draw(st.integers(0, len(key) - 2))
    letter = draw(st.sampled_from("aeioubdk"))
    kind = draw(st.sampled_from(["substitute", "insert", "delete", "swap"]))
    edited = {
        "substitute": key[:i] + letter + key[i + 1 :],
        "insert": key[:i] + letter + key[i:],
        "delete": key[:i] + key[i + 1 :],
        "swap": key[:i] + key[i + 1] + key[i] + key[i + 2 :],
    }[kind]
    return key, edited


@given(_one_edit())
@settings(max_examples=300, deadline=None)
def test_a_key_and_its_one_edit_typo_share_a_typo_index_entry(pair):
    key, typo = pair
    if len(typo) >= 4:
        assert typo_variants(key) & typo_variants(typo)


def test_a_mistyped_title_is_found_through_the_typo_index_without_the_similarity_scan(monkeypatch, catalogue):
    def no_scan(*args, **kwargs):
        raise AssertionError("the trigram similarity scan ran")

    monkeypatch.setattr(engines, "similar_rows", no_scan)
    for typo in ("stalingard", "Stalnigrad", "Sralingrad", "Staliingrad", "Stalingra d", "Сталингрд"):
        assert first(typo) == catalogue["stalingrad"].pk, typo
