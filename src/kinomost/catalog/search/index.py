"""Writing the search index: the keys and Han bigrams of works, rebuilt per work."""

from __future__ import annotations

from typing import Iterable

from django.db import transaction

from kinomost.catalog.models import TOP_LEVEL_KINDS, HanGram, SearchKey, SearchTypoVariant, Work, WorkLocalization
from kinomost.catalog.search.normalise import title_keys, typo_variants

TYPO_KINDS = ("latin", "pinyin")  # the keys people mistype; initials are too short, Han is not typed letter by letter

BATCH = 2000


def _titles_by_work(work_ids: list[int]) -> dict[int, set[str]]:
    titles: dict[int, set[str]] = {wid: set() for wid in work_ids}
    for wid, title in WorkLocalization.objects.filter(work_id__in=work_ids).values_list("work_id", "title"):
        titles[wid].add(title)
    return titles


def _rows_for(work: dict, titles: set[str]) -> tuple[list[SearchKey], list[HanGram]]:
    common = {"work_id": work["id"], "owner_id": work["owner_id"], "is_listed": work["is_listed"], "popularity": work["popularity"]}
    keys: dict[tuple[str, str], None] = {}
    for title in titles | {work["original_title"]}:
        for kind_key in title_keys(title):
            keys[kind_key] = None
    key_rows = [SearchKey(kind=kind, key=key[:500], year=work["year"], **common) for kind, key in keys]
    gram_rows = []
    for kind, han in keys:
        if kind != "han":
            continue
        codes = [ord(ch) for ch in han] + [0]
        for pos in range(len(han)):
            gram_rows.append(HanGram(a=codes[pos], b=codes[pos + 1], position=min(pos, 32767), **common))
    return key_rows, gram_rows


def _typo_rows(key_rows: list[SearchKey]) -> list[SearchTypoVariant]:
    return [
        SearchTypoVariant(variant=variant, key_id=row.pk, work_id=row.work_id)
        for row in key_rows
        if row.kind in TYPO_KINDS
        for variant in typo_variants(row.key)
    ]


def index_works(work_ids: Iterable[int]) -> int:
    """(Re)build the index of these works; works that are not top-level are left out. Returns keys written."""
    ids = list(work_ids)
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        works = list(
            Work.objects.filter(pk__in=chunk, kind__in=TOP_LEVEL_KINDS).values(
                "id", "owner_id", "is_listed", "popularity", "year", "original_title"
            )
        )
        titles = _titles_by_work([w["id"] for w in works])
        key_rows: list[SearchKey] = []
        gram_rows: list[HanGram] = []
        for work in works:
            keys, grams = _rows_for(work, titles[work["id"]])
            key_rows += keys
            gram_rows += grams
        with transaction.atomic():
            SearchTypoVariant.objects.filter(work_id__in=chunk).delete()
            SearchKey.objects.filter(work_id__in=chunk).delete()
            HanGram.objects.filter(work_id__in=chunk).delete()
            SearchKey.objects.bulk_create(key_rows, batch_size=5000)  # ids set on both databases (RETURNING)
            HanGram.objects.bulk_create(gram_rows, batch_size=5000)
            SearchTypoVariant.objects.bulk_create(_typo_rows(key_rows), batch_size=10000)
        written += len(key_rows)
    return written


def reindex_all(progress=None) -> int:
    ids = list(Work.objects.filter(kind__in=TOP_LEVEL_KINDS).order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), BATCH):
        written += index_works(ids[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return written
