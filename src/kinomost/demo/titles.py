"""Deterministic titles and names in ru, zh-Hans and en from the curated lists in `words`.

Titles are made by two patterns that read naturally in all three languages:
  adjective + noun: «Тихая река» / 寂静的河流 / The Silent River
  noun + noun:      «Песня ветра» / 风之歌 / The Song of the Wind
Each combination is used once, so generated titles never collide with each other.
"""

from __future__ import annotations

import random
from functools import lru_cache

from kinomost.demo import words

GENDER = {"m": 0, "f": 1, "n": 2}


class TitleMaker:
    """Hands out unique titles, drawn in a fixed shuffled order (one rng, same order every run)."""

    def __init__(self, rng: random.Random):
        combos = [("adj", a, n) for a in words.ADJECTIVES for n in words.NOUNS if not a[4].startswith(n[4])]
        heads = [n for n in words.NOUNS if n[0] in words.GENITIVE_HEADS]
        tails = [n for n in words.NOUNS if n[0] in words.GENITIVE_TAILS]
        combos += [("gen", a, b) for a in heads for b in tails if a is not b]
        rng.shuffle(combos)
        self._combos = iter(combos)

    def next(self) -> dict[str, str]:
        pattern, a, b = next(self._combos)
        return adjective_title(a, b) if pattern == "adj" else genitive_title(a, b)


def adjective_title(adj: tuple, noun: tuple) -> dict[str, str]:
    ru = f"{adj[GENDER[noun[1]]]} {noun[0].lower()}"
    return {"ru": ru, "zh-Hans": f"{adj[3]}的{noun[3]}", "en": f"The {adj[4]} {noun[4]}"}


def genitive_title(head: tuple, of: tuple) -> dict[str, str]:
    return {"ru": f"{head[0]} {of[2]}", "zh-Hans": f"{of[3]}之{head[3]}", "en": f"The {head[4]} of the {of[4]}"}


def documentary(subject: tuple, place: tuple) -> dict[str, str]:
    """«Путешествие: на Байкале» reads badly, so documentaries name the place plainly."""
    return {"ru": f"{subject[0]} {place[0]}", "zh-Hans": f"{place[1].removeprefix('在')}：{subject[1]}", "en": f"{subject[2]} {place[2]}"}


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # opencc-python-reimplemented: pure Python, already a dependency of search

    return opencc.OpenCC("s2t")


def with_traditional(names: dict[str, str], rng: random.Random, share: float = 0.3) -> dict[str, str]:
    """Add a zh-Hant title to some works (Hong Kong and Taiwan buyers), converted from zh-Hans."""
    if "zh-Hans" in names and "zh-Hant" not in names and rng.random() < share:
        return {**names, "zh-Hant": _s2t().convert(names["zh-Hans"])}
    return names


def russian_names(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Russian people, men and women, with Chinese and English spellings."""
    people = []
    for first, sur in _pairs(rng, words.RU_FIRST_MALE, words.RU_SURNAMES, count // 2):
        people.append({"ru": f"{first[0]} {sur[0]}", "zh-Hans": f"{first[1]}·{sur[1]}", "en": f"{first[2]} {sur[2]}"})
    for first, sur in _pairs(rng, words.RU_FIRST_FEMALE, words.RU_SURNAMES, count - count // 2):
        zh = sur[1][:-1] + "娃" if sur[1].endswith("夫") else sur[1] + "娜"
        people.append({"ru": f"{first[0]} {sur[0]}а", "zh-Hans": f"{first[1]}·{zh}", "en": f"{first[2]} {sur[2]}a"})
    return people


def chinese_names(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Chinese people: surname first in every language, as they are credited."""
    return [
        {"zh-Hans": f"{s[0]}{g[0]}", "ru": f"{s[1]} {g[1]}", "en": f"{s[2]} {g[2]}"}
        for s, g in _pairs(rng, words.CN_SURNAMES, words.CN_GIVEN, count)
    ]


def _pairs(rng: random.Random, firsts: list, seconds: list, count: int) -> list[tuple]:
    pairs = [(a, b) for a in firsts for b in seconds]
    rng.shuffle(pairs)
    return pairs[:count]
