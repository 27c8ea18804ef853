"""What an organisation may exploit on a day (or within a window): the storefront's question, and
the quotas' "the platform's catalogue that year". The one owner of "licensed": every caller
(the storefront, playback, royalties, the exchange's quotas) asks here.

A storefront asks it for every work it has a package of, so this reads the organisation's
holdings and received grants for one country and some media in one query (per chunk of works),
rights on a series or season counting for its seasons and episodes (granting a series grants its
episodes; the family comes from `catalog.selectors.lineage`/`descendants`). Terminations count:
every read is of `effective_end`. Holdbacks count too: a holdback binding the organisation (its
promise not to exploit these cells in a window, `ledger.record_holdback`), on the work or its
season or series, takes those days out of what it may exploit — read in the same statement.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable

from django.db.models import F, Q

from kinomost.catalog.selectors import descendants, lineage
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
    return licensed_within(organisation, territory, media_leaves, _day(on_date), works)


def licensed_within(organisation, territory: str, media_leaves, window: Period, works: Iterable | None = None) -> dict[int, set[str]]:
    """As `licensed_media`, for a licence running at some time within `window` (a quota's year)."""
    org_id = getattr(organisation, "pk", organisation)
    leaves = list(media_leaves)
    if not leaves:
        return {}
    country = territories.normalise_country(territory)
    if works is None:
        works = _candidates(org_id, country, leaves, window)
    ids = [getattr(w, "pk", w) for w in works]
    result: dict[int, set[str]] = {}
    for start in range(0, len(ids), _CHUNK):
        family = lineage(ids[start : start + _CHUNK])
        licences, held_back = _cells(org_id, country, leaves, window, {a for chain in family.values() for a in chain})
        for wid, chain in family.items():
            media = {leaf for leaf in leaves if _exploitable(chain, leaf, window, licences, held_back)}
            if media:
                result[wid] = media
    return result


def _cells(org_id: int, country: str, leaves: list[str], window: Period, work_ids):
    """(licences, holdbacks): work id → leaf → the periods of its licences (holdings, received
    grants) and of the holdbacks binding the organisation, meeting `window` — one statement."""
    licences: dict = defaultdict(lambda: defaultdict(list))
    held_back: dict = defaultdict(lambda: defaultdict(list))
    for work_id, leaf, begin, end, kind, *_ in _licence_atoms(org_id, country, leaves, window, work_ids, with_holdbacks=True):
        (held_back if kind == AtomKind.HOLDBACK else licences)[work_id][leaf].append(_period(begin, end))
    return licences, held_back


def _exploitable(chain, leaf: str, window: Period, licences: dict, held_back: dict) -> bool:
    """Some day of `window` licensed for `leaf` on the work or its family, and not held back."""
    licensed = [p for a in chain for p in licences.get(a, {}).get(leaf, ())]
    if not licensed:
        return False
    blocked = [p for a in chain for p in held_back.get(a, {}).get(leaf, ())]
    return bool(periods.difference(periods.intersection(licensed, [window]), blocked))


def _period(begin: date, end: date) -> Period:
    return Period(begin, None if end == OPEN_END else end)


def licensed_work_ids(organisation, territory: str, media_leaves, on_date: date, works: Iterable | None = None) -> set[int]:
    return set(licensed_media(organisation, territory, media_leaves, on_date, works))


def is_licensed(organisation, work, territory: str, media: str, on_date: date) -> bool:
    """Does the organisation hold (or was it granted) this right on that day — on the work or on
    its season or series? The question for one work."""
    work_id = getattr(work, "pk", work)
    return media in licensed_media(organisation, territory, [media], on_date, works=[int(work_id)]).get(int(work_id), set())


def _day(on_date: date) -> Period:
    return Period(on_date, on_date + timedelta(days=1))


def _licence_atoms(org_id: int, country: str, leaves: list[str], window: Period, work_ids, with_holdbacks: bool = False):
    """The organisation's holdings and received grants (and, `with_holdbacks`, the holdbacks
    binding it) meeting `window`, with the dates checked again in Python: SQLite 3.40 can return
    rows outside `start < end-of-window` for `media IN (...)` over the (territory, media, start,
    ...) index (see docs/rights.md)."""
    atoms = (_position_atoms if with_holdbacks else _licensing_atoms)(org_id).filter(
        territory=country, media__in=leaves, start__lt=window.hi, effective_end__gt=window.lo
    )
    if work_ids is not None:
        atoms = atoms.filter(work_id__in=list(work_ids))
    for row in atoms.values_list("work_id", "media", "start", "effective_end", "kind", "contract_id", "term_id"):
        if row[3] > row[2] and window.overlaps(Period(row[2], row[3])):  # (a term ended before it began: never)
            yield row


def licensed_windows(organisation, countries, media_leaves, works) -> dict[int, dict[tuple[str, str], list[Period]]]:
    """work id → (country, media leaf) → the disjoint windows in which the organisation may
    exploit it: `licensed_media` for every day at once (the same atoms: its holdings and received
    grants, on the work or its season or series, to their effective end, less the days a holdback
    binding it covers). What the cinema's
    visibility set stores, so that a day passing needs no update."""
    org_id = getattr(organisation, "pk", organisation)
    leaves, countries = list(media_leaves), list(countries)
    ids = [getattr(w, "pk", w) for w in works]
    result: dict[int, dict[tuple[str, str], list[Period]]] = {}
    if not leaves or not countries:
        return result
    for start in range(0, len(ids), _CHUNK):
        family = lineage(ids[start : start + _CHUNK])
        held: dict[int, dict[tuple[str, str], list[Period]]] = defaultdict(lambda: defaultdict(list))
        held_back: dict[int, dict[tuple[str, str], list[Period]]] = defaultdict(lambda: defaultdict(list))
        wanted = {a for chain in family.values() for a in chain}
        rows = _position_atoms(org_id).filter(territory__in=countries, media__in=leaves, effective_end__gt=F("start"))
        for first in range(0, len(wanted), _CHUNK):
            chunk = list(wanted)[first : first + _CHUNK]
            for work_id, country, leaf, begin, end, kind in rows.filter(work_id__in=chunk).values_list(
                "work_id", "territory", "media", "start", "effective_end", "kind"
            ):
                (held_back if kind == AtomKind.HOLDBACK else held)[work_id][(country, leaf)].append(_period(begin, end))
        for wid, chain in family.items():
            cells: dict[tuple[str, str], list[Period]] = defaultdict(list)
            blocked: dict[tuple[str, str], list[Period]] = defaultdict(list)
            for ancestor in chain:
                for cell, windows in held.get(ancestor, {}).items():
                    cells[cell] += windows
                for cell, windows in held_back.get(ancestor, {}).items():
                    blocked[cell] += windows
            free = {cell: periods.difference(windows, blocked.get(cell, ())) for cell, windows in cells.items()}
            free = {cell: windows for cell, windows in free.items() if windows}
            if free:
                result[wid] = free
    return result


def _licensing_atoms(org_id: int):
    """The atoms that let an organisation exploit a work: its holdings and the grants it received."""
    return RightAtom.objects.filter(Q(kind=AtomKind.HOLDING, holder_id=org_id) | Q(kind=AtomKind.GRANT, licensee_id=org_id))


def _position_atoms(org_id: int):
    """Those, and the holdbacks binding the organisation (a holdback's holder is the bound one)."""
    return RightAtom.objects.filter(
        Q(kind__in=[AtomKind.HOLDING, AtomKind.HOLDBACK], holder_id=org_id) | Q(kind=AtomKind.GRANT, licensee_id=org_id)
    )


def _candidates(org_id: int, country: str, leaves: list[str], window: Period) -> list[int]:
    """The works a licence may reach: those licensed directly in the window, and their seasons
    and episodes (two levels). Only candidates — `_cells` gives the exact answer, holdbacks and
    all, so the atoms are read one way."""
    direct = {row[0] for row in _licence_atoms(org_id, country, leaves, window, None)}
    return [*direct, *(child for child in descendants(list(direct)) if child not in direct)]


def licence_of(organisation, work, territory: str, media: str, on_date: date) -> tuple[int, int] | None:
    """(contract id, term id) of the licence under which the organisation exploits `work` in
    `territory` under `media` on `on_date`: its holding or a grant it received, on the work
    itself or else on its season or series (an episode played under a series grant names that
    grant). Among several, the most specific work, then a received grant before a holding, then
    the latest start. None when nothing licenses it — the storefront would not have shown it."""
    org_id = getattr(organisation, "pk", organisation)
    work_id = getattr(work, "pk", work)
    chain = lineage([work_id]).get(work_id, ())
    if not chain:
        return None
    found = list(_licence_atoms(org_id, territories.normalise_country(territory), [media], _day(on_date), chain, with_holdbacks=True))
    if any(row[4] == AtomKind.HOLDBACK for row in found):
        return None  # held back that day: the storefront does not show it either
    if not found:
        return None
    best = min(found, key=lambda r: (chain.index(r[0]), r[4] != AtomKind.GRANT, -r[2].toordinal()))
    return best[5], best[6]
