"""People search: who is called what, in any spelling kept for them (`Person.name`, `Person.names`).

A name matches a query when one of its spellings contains the query, casefolded — looked up, not
scanned: each spelling's words are keys of `PersonNameKey` (of a Han word, every suffix, as Han
names are written without spaces), the query's longest word is looked up as a key prefix, and
the containment rule is then checked on the few candidates. So a query matches at the start of
any word of a name ("bodr", "балаб"), anywhere inside a Han name ("艺谋" in 张艺谋), and across
words ("sergei bod"); a fragment from the middle of a Latin or Cyrillic word ("odrov") does not.
"""

from __future__ import annotations

import re
from typing import Iterable

from django.db import transaction

from kinomost.catalog.models import Person, PersonNameKey
from kinomost.catalog.search.normalise import has_han

_WORD = re.compile(r"[^\W_]+")
KEY_LENGTH = 200
CANDIDATES = 2000  # people with a key in the query's range looked at; a 2-letter query could name tens of thousands


def spellings(name: str, names: dict | None) -> list[str]:
    """Every spelling of a person's name, casefolded: the name and its localised forms."""
    return [s.casefold() for s in [name, *[str(v) for v in (names or {}).values()]] if s]


def name_keys(name: str, names: dict | None) -> set[str]:
    """The index keys of a person: each word of each spelling, and every suffix of a Han word."""
    keys: set[str] = set()
    for spelling in spellings(name, names):
        for word in _WORD.findall(spelling):
            if has_han(word):
                keys.update(word[i:] for i in range(len(word)))
            else:
                keys.add(word)
    return {k[:KEY_LENGTH] for k in keys}


def index_people(person_ids: Iterable[int]) -> None:
    """(Re)write the keys of these people (called when a person is saved; after a bulk insert)."""
    ids = list(person_ids)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = [
            PersonNameKey(person_id=pid, key=key)
            for pid, name, names in Person.objects.filter(pk__in=chunk).values_list("pk", "name", "names")
            for key in name_keys(name, names)
        ]
        with transaction.atomic():
            PersonNameKey.objects.filter(person_id__in=chunk).delete()
            PersonNameKey.objects.bulk_create(rows, batch_size=5000)


def person_saved(sender, instance, raw=False, **kwargs) -> None:
    """post_save of Person (connected in CatalogConfig.ready): its keys follow every save, the
    admin's and `services.set_credits`' alike; bulk inserts call `index_people` themselves."""
    if not raw:
        index_people([instance.pk])


def reindex_people() -> int:
    """Every person's keys again (`kinomost reindex`). Returns the people indexed."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    index_people(ids)
    return len(ids)


def people_named(query: str) -> list[int]:
    """Ids of the people one of whose spellings contains the query (casefolded), found through
    the keys; empty for a query under 2 characters or without a letter or digit."""
    needle = " ".join(query.split()).casefold()
    words = _WORD.findall(needle)
    if len(needle) < 2 or not words:
        return []
    word = max(words, key=len)[:KEY_LENGTH]
    candidates = PersonNameKey.objects.filter(key__gte=word, key__lt=word + "\U0010ffff").values_list("person_id", flat=True).distinct()
    people = Person.objects.filter(pk__in=list(candidates[:CANDIDATES])).order_by("pk").values_list("pk", "name", "names")
    return [pk for pk, name, names in people if any(needle in " ".join(s.split()) for s in spellings(name, names))]
