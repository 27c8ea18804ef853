"""What an organisation may exploit on a day: the storefront's question for a whole catalogue.

`availability.is_licensed` answers it for one work; a storefront asks it for every work it has a
package of, so this reads the organisation's holdings and received grants for one country and
some media on one day in one query (per chunk of works), rights on a series or season counting
for its seasons and episodes (granting a series grants its episodes). Terminations count: every
read is of `effective_end`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterable

from django.db.models import F, Q

from kinomost.catalog.models import Work
from kinomost.core import periods, territories
from kinomost.core.periods import Period
from kinomost.rights.models import OPEN_END, AtomKind, RightAtom

_CHUNK = 5000  # ids per statement, well inside SQLite's bound-parameter limit


def licensed_media(organisation, territory: str, media_leaves, on_date: date, works: Iterable | None = None) -> dict[int, set[str]]:
    """work id → the media leaves (among `media_leaves`) the organisation holds or was granted
    in `territory` on `on_date`, directly or through its season or series.

    With `works` (ids or Works), only those are answered — the storefront passes the works it
    has packages of, which keeps the query small however large the ledger. Without, every work
    licensed directly and the seasons and episodes of licensed series and seasons."""
    org_id = getattr(organisation, "pk", organisation)
    leaves = list(media_leaves)
    if not leaves:
        return {}
    country = territories.normalise_country(territory)
    if works is None:
        found = _rows(org_id, country, leaves, on_date, None)
        _inherit_down(found)
        return dict(found)
    ids = [getattr(w, "pk", w) for w in works]
    result: dict[int, set[str]] = {}
    for start in range(0, len(ids), _CHUNK):
        family = _ancestors(ids[start : start + _CHUNK])
        held = _rows(org_id, country, leaves, on_date, {a for chain in family.values() for a in chain})
        for wid, chain in family.items():
            media = set().union(*(held.get(a, set()) for a in chain))
            if media:
                result[wid] = media
    return result


def licensed_work_ids(organisation, territory: str, media_leaves, on_date: date, works: Iterable | None = None) -> set[int]:
    return set(licensed_media(organisation, territory, media_leaves, on_date, works))


def licensed_windows(organisation, countries, media_leaves, works) -> dict[int, dict[tuple[str, str], list[Period]]]:
    """work id → (country, media leaf) → the disjoint windows in which the organisation may
    exploit it: `licensed_media` for every day at once (the same atoms: its holdings and received
    grants, on the work or its season or series, to their effective end). What the cinema's
    visibility set stores, so that a day passing needs no update."""
    org_id = getattr(organisation, "pk", organisation)
    leaves, countries = list(media_leaves), list(countries)
    ids = [getattr(w, "pk", w) for w in works]
    result: dict[int, dict[tuple[str, str], list[Period]]] = {}
    if not leaves or not countries:
        return result
    for start in range(0, len(ids), _CHUNK):
        family = _ancestors(ids[start : start + _CHUNK])
        held: dict[int, dict[tuple[str, str], list[Period]]] = defaultdict(lambda: defaultdict(list))
        wanted = {a for chain in family.values() for a in chain}
        rows = _licensing_atoms(org_id).filter(territory__in=countries, media__in=leaves, effective_end__gt=F("start"))
        for first in range(0, len(wanted), _CHUNK):
            chunk = list(wanted)[first : first + _CHUNK]
            for work_id, country, leaf, begin, end in rows.filter(work_id__in=chunk).values_list("work_id", "territory", "media", "start", "effective_end"):
                held[work_id][(country, leaf)].append(Period(begin, None if end == OPEN_END else end))
        for wid, chain in family.items():
            cells: dict[tuple[str, str], list[Period]] = defaultdict(list)
            for ancestor in chain:
                for cell, windows in held.get(ancestor, {}).items():
                    cells[cell] += windows
            if cells:
                result[wid] = {cell: periods.union(windows) for cell, windows in cells.items()}
    return result


def _licensing_atoms(org_id: int):
    """The atoms that let an organisation exploit a work: its holdings and the grants it received."""
    return RightAtom.objects.filter(Q(kind=AtomKind.HOLDING, holder_id=org_id) | Q(kind=AtomKind.GRANT, licensee_id=org_id))


def _rows(org_id: int, country: str, leaves: list[str], on_date: date, work_ids: set[int] | None) -> dict[int, set[str]]:
    atoms = _licensing_atoms(org_id).filter(territory=country, media__in=leaves, start__lte=on_date, effective_end__gt=on_date)
    if work_ids is not None:
        atoms = atoms.filter(work_id__in=list(work_ids))
    found: dict[int, set[str]] = defaultdict(set)
    # The dates are checked again here: SQLite 3.40 can return rows outside `start <= on_date`
    # for `media IN (...)` over the (territory, media, start, ...) index (see docs/rights.md).
    for work_id, leaf, start, end in atoms.values_list("work_id", "media", "start", "effective_end"):
        if start <= on_date < end:
            found[work_id].add(leaf)
    return found


def _ancestors(work_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """work → (work, season or series, series): the works whose rights it inherits."""
    rows = Work.objects.filter(pk__in=work_ids).values_list("id", "parent_id", "parent__parent_id")
    return {wid: tuple(w for w in (wid, parent, grandparent) if w) for wid, parent, grandparent in rows}


def _inherit_down(found: dict[int, set[str]]) -> None:
    """Seasons of a licensed series, episodes of a licensed season (two levels)."""
    level = dict(found)
    for _depth in range(2):
        if not level:
            return
        next_level: dict[int, set[str]] = {}
        parents = list(level)
        for start in range(0, len(parents), _CHUNK):
            for child, parent in Work.objects.filter(parent_id__in=parents[start : start + _CHUNK]).values_list("id", "parent_id"):
                found[child] |= level[parent]
                next_level[child] = found[child]
        level = next_level


def licence_of(organisation, work, territory: str, media: str, on_date: date) -> tuple[int, int] | None:
    """(contract id, term id) of the licence under which the organisation exploits `work` in
    `territory` under `media` on `on_date`: its holding or a grant it received, on the work
    itself or else on its season or series (an episode played under a series grant names that
    grant). Among several, the most specific work, then a received grant before a holding, then
    the latest start. None when nothing licenses it — the storefront would not have shown it."""
    org_id = getattr(organisation, "pk", organisation)
    chain = _ancestors([getattr(work, "pk", work)]).get(getattr(work, "pk", work), ())
    if not chain:
        return None
    country = territories.normalise_country(territory)
    rows = _licensing_atoms(org_id).filter(
        work_id__in=list(chain), territory=country, media=media, start__lte=on_date, effective_end__gt=on_date,
    ).values_list("work_id", "kind", "start", "effective_end", "contract_id", "term_id")
    found = [r for r in rows if r[2] <= on_date < r[3]]  # dates re-checked: see _rows
    if not found:
        return None
    best = min(found, key=lambda r: (chain.index(r[0]), r[1] != AtomKind.GRANT, -r[2].toordinal()))
    return best[4], best[5]
