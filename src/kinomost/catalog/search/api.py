"""Placeholder until the search index lands: indexing is a no-op, searching finds nothing."""

from dataclasses import dataclass


@dataclass
class SearchHit:
    work_id: int
    score: float


def index_works(work_ids) -> None:
    return None


def search_works(query, *, actor=None, scope=None, limit=20, language=None):
    return []
