"""Normalisation of titles and queries into search keys — the one owner of it.

Titles and queries go through the same functions, so whatever a key forgives (case, accents,
ё/е, traditional characters, transliteration variants) a query forgives too:

- Han text → simplified characters (OpenCC t2s), kept as a Han key, plus pinyin joined
  (`sidalinggele`), spaced (`si da lin ge le`) and initials (`sdlgl`).
- Everything else → lower case, accents stripped, Cyrillic transliterated to Latin, then
  *folded*: spellings that transliteration schemes disagree on are made equal
  (`kh`/`h`, `ts`/`c`, `shch`/`sch`/`sh`, `y`/`j`/`i`, `w`/`v`, doubled letters).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TONE_DIGITS = re.compile(r"(?<=[a-z])[1-5](?=\s|$|[a-z])")

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian, Belarusian and Kazakh letters that titles of the region use
    "і": "i",
    "ї": "i",
    "є": "e",
    "ґ": "g",
    "ў": "u",
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
}
# Applied in order to Latin text: several schemes' spellings of one sound become one.
_FOLDS = [
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("kh", "h"),
    ("tz", "c"),
    ("ts", "c"),
    ("x", "ks"),
    ("w", "v"),
    ("ph", "f"),
    ("j", "i"),
    ("y", "i"),
    ("ie", "e"),
]
_DOUBLES = re.compile(r"([a-z])\1+")

_t2s = None


def _to_simplified(text: str) -> str:
    global _t2s
    if _t2s is None:
        from opencc import OpenCC

        _t2s = OpenCC("t2s")
    return _t2s.convert(text)


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def basic_fold(text: str) -> str:
    """NFKC, lower case, accents (and the diaeresis of ё, the breve of й) removed."""
    if text.isascii():  # every ASCII text is its own NFKC and NFD form, with no accent to strip
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))


def transliterate(text: str) -> str:
    if text.isascii():
        return text
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


def fold_latin(text: str) -> str:
    """The comparable, compact form of any non-Han text: `Щукин`, `Shchukin`, `Schukin` → `shukin`."""
    # Spaces go first: "si da lin" and "sidalin" must fold alike, letter runs across words too.
    text = _NON_WORD.sub("", transliterate(basic_fold(text)))
    for old, new in _FOLDS:
        text = text.replace(old, new)
    return _DOUBLES.sub(r"\1", text)


_HAN_OR_DIGIT = re.compile(_HAN.pattern[:-1] + "0-9]")


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """Han characters and digits, simplified: `長江之歌 2！` → `长江之歌2` (第2部 and 第3部 stay apart)."""
    return "".join(_HAN_OR_DIGIT.findall(_to_simplified(unicodedata.normalize("NFKC", text))))


_PINYIN_FIXES = {
    # pypinyin reads 勒 in 格勒 as "lei"; in the transliterated place names that end in -grad
    # (斯大林格勒, 列宁格勒) it is "le", which is what people type.
    "格勒": [["gé"], ["lè"]],
}
_pinyin_ready = False


def pinyin_syllables(han: str) -> list[str]:
    global _pinyin_ready
    from pypinyin import lazy_pinyin, load_phrases_dict

    if not _pinyin_ready:
        load_phrases_dict(_PINYIN_FIXES)
        _pinyin_ready = True
    return [s for s in lazy_pinyin(han) if s.strip()]


def title_keys(title: str) -> list[tuple[str, str]]:
    """All search keys of one title as (kind, key); kinds `han`, `latin`, `pinyin`, `initials`.

    Latin-script keys are folded and compact (no spaces), so a query matches them however it
    spaces its words; Han keys are simplified characters.
    """
    keys: list[tuple[str, str]] = []
    if has_han(title):
        han = simplified(title)
        syllables = pinyin_syllables(_to_simplified(title))  # digits and Latin kept: 第2部 → di 2 bu
        keys.append(("han", han))
        keys.append(("pinyin", fold_latin("".join(syllables))))
        if any("v" in s for s in syllables):  # ü: typed "lv" by input-method users, "lu" from "lǜ"
            keys.append(("pinyin", fold_latin("".join(syllables).replace("v", "u"))))
        keys.append(("initials", fold_latin("".join(s[0] for s in syllables))))
        rest = fold_latin(_HAN.sub(" ", title))
        if rest:
            keys.append(("latin", rest))
    else:
        keys.append(("latin", fold_latin(title)))
        if "ё" in title.casefold():
            # «Ёлки» is found as «Елки» (the key above) and as its transliteration "Yolki".
            keys.append(("latin", fold_latin(title.replace("ё", "йо").replace("Ё", "Йо"))))
    return list(dict.fromkeys(k for k in keys if k[1]))


def query_forms(query: str) -> tuple[str, str]:
    """(han, latin) forms of a query, one of them empty. Tone marks and tone digits are dropped."""
    if has_han(query):
        return simplified(query), ""
    return "", fold_latin(_TONE_DIGITS.sub("", basic_fold(query)))


TYPO_PREFIX = 12  # characters of a key the typo index covers (SymSpell's prefix length)
TYPO_MIN = 4  # shorter keys and queries are not looked up for typos (too many neighbours)


def typo_variants(key: str) -> set[int]:
    """The typo index's entries for a Latin-script key or query: its first TYPO_PREFIX characters,
    and each of those with one character deleted, as signed 64-bit hashes. Two strings one edit
    apart (substitution, insertion, deletion, adjacent swap) within the prefix share an entry;
    an edit beyond it leaves the prefixes equal. Hashes keep the index narrow; a collision only
    adds a candidate, which ranking then checks against the key itself."""
    head = key[:TYPO_PREFIX]
    if len(head) < TYPO_MIN:
        return set()
    forms = {head} | {head[:i] + head[i + 1 :] for i in range(len(head))}
    return {_hash64(form) for form in forms}


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)
