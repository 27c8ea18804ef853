"""Reads of the rights ledger: availability, holdings and grants, the storefront's licence check.

Availability of a cell (work, country, media leaf) for a licensor L and a requested window W:

    free = (W ∩ L's qualifying holdings) − L's conflicting grants − L's holdbacks

A holding qualifies when it may be sublicensed (and is exclusive, for an exclusive request); a
grant *received* by L counts as L's holding, so chains A → B → C need no copied rows. A grant
by L conflicts when either it or the request is exclusive. Episodes inherit the holdings of
their season or series unless they have holdings of their own for that cell; grants and holdbacks
anywhere in the family (ancestors and descendants) conflict, since granting a series grants its
episodes. Everything is fetched in a few queries and computed with `core.periods`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from django.db.models import Q, QuerySet

from kinomost.catalog.models import Work
from kinomost.core import media as media_taxonomy
from kinomost.core import periods, territories
from kinomost.core.periods import Period
from kinomost.rights.models import OPEN_END, AtomKind, RightAtom

MISSING_HOLDING = "missing_holding"
CONFLICTING_GRANT = "conflicting_grant"
HOLDBACK = "holdback"


@dataclass(frozen=True)
class Gap:
    """Why part of a requested window is not free."""

    reason: str
    period: Period
    atom_id: int | None = None
    work_id: int | None = None  # the work the blocking atom is on (may be a series or an episode)
    contract_ref: str = ""
    licensee_id: int | None = None
    licensee: str = ""
    exclusive: bool | None = None

    def as_dict(self) -> dict:
        return {
            "reason": self.reason,
            "window": str(self.period),
            "atom": self.atom_id,
            "on_work": self.work_id,
            "contract": self.contract_ref,
            "licensee": self.licensee,
            "licensee_id": self.licensee_id,
            "exclusive": self.exclusive,
        }


@dataclass
class Cell:
    territory: str
    media: str
    free: list[Period]
    gaps: list[Gap]

    @property
    def available(self) -> bool:
        return not self.gaps


@dataclass
class WorkAvailability:
    work_id: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return all(c.available for c in self.cells)

    def problems(self) -> list[Cell]:
        return [c for c in self.cells if not c.available]


@dataclass(frozen=True)
class _Atom:
    id: int
    kind: str
    work_id: int
    territory: str
    media: str
    period: Period
    holder_id: int
    licensee_id: int | None
    licensee: str
    exclusive: bool
    sublicensable: bool
    contract_ref: str


def org_id(actor_or_org) -> int:
    """An Actor, an Organisation or an id → the organisation id (tenancy key)."""
    value = getattr(actor_or_org, "organisation_id", None) or getattr(actor_or_org, "pk", None) or actor_or_org
    return int(value)


def to_period(window) -> Period:
    if isinstance(window, Period):
        return window
    start, end = window
    return Period(periods.parse_date(start), periods.parse_date(end))


def availability(licensor, works: Iterable, territory_codes, media_codes, window, exclusive: bool) -> dict[int, WorkAvailability]:
    """Per work: is the whole request free, the free sub-windows per cell, and every gap's reason.

    `territory_codes` and `media_codes` may be groups (expanded here); `window` is a Period or
    (start, end). A 300-work package costs three queries whatever the number of cells.
    """
    wanted = to_period(window)
    countries = territories.expand(territory_codes) if territory_codes else []
    leaves = media_taxonomy.expand(media_codes) if media_codes else []
    work_ids = [w.pk if isinstance(w, Work) else int(w) for w in works]
    family = _family(work_ids)
    atoms = _atoms(org_id(licensor), family.all_ids(), countries, leaves, wanted)
    return {
        wid: _work_availability(org_id(licensor), wid, family, atoms, countries, leaves, wanted, exclusive)
        for wid in work_ids
    }


@dataclass
class _Family:
    ancestors: dict[int, list[int]]  # work → [parent, grandparent]
    descendants: dict[int, list[int]]

    def all_ids(self) -> set[int]:
        ids = set(self.ancestors)
        for group in (*self.ancestors.values(), *self.descendants.values()):
            ids.update(group)
        return ids


def _family(work_ids: list[int]) -> _Family:
    """Ancestors and descendants of the works, in two queries (the tree is three levels deep)."""
    ancestors = {
        wid: [a for a in (parent, grandparent) if a]
        for wid, parent, grandparent in Work.objects.filter(pk__in=work_ids).values_list("id", "parent_id", "parent__parent_id")
    }
    descendants: dict[int, list[int]] = defaultdict(list)
    rows = Work.objects.filter(Q(parent_id__in=work_ids) | Q(parent__parent_id__in=work_ids)).values_list("id", "parent_id", "parent__parent_id")
    for wid, parent, grandparent in rows:
        for ancestor in (parent, grandparent):
            if ancestor in ancestors:
                descendants[ancestor].append(wid)
    return _Family(ancestors, dict(descendants))


def _atoms(licensor_id: int, work_ids: set[int], countries: list[str], leaves: list[str], wanted: Period) -> dict:
    """The licensor's atoms (held, granted, held back, received) on these cells overlapping `wanted`."""
    qs = RightAtom.objects.filter(
        Q(holder_id=licensor_id) | Q(kind=AtomKind.GRANT, licensee_id=licensor_id),
        work_id__in=work_ids,
        territory__in=countries,
        media__in=leaves,
        start__lt=wanted.hi if wanted.end else OPEN_END,
        effective_end__gt=wanted.lo,
    )
    by_cell: dict[tuple, list[_Atom]] = defaultdict(list)
    for row in qs.values(
        "id", "kind", "work_id", "territory", "media", "start", "effective_end", "holder_id",
        "licensee_id", "licensee__name", "exclusive", "sublicensable", "contract__reference",
    ):
        if row["effective_end"] <= row["start"]:
            continue  # terminated before it began
        atom = _Atom(
            row["id"], row["kind"], row["work_id"], row["territory"], row["media"],
            Period(row["start"], None if row["effective_end"] == OPEN_END else row["effective_end"]),
            row["holder_id"], row["licensee_id"], row["licensee__name"] or "", row["exclusive"],
            row["sublicensable"], row["contract__reference"],
        )
        by_cell[(atom.work_id, atom.territory, atom.media)].append(atom)
    return by_cell


def _is_holding_of(atom: _Atom, licensor_id: int) -> bool:
    return (atom.kind == AtomKind.HOLDING and atom.holder_id == licensor_id) or (
        atom.kind == AtomKind.GRANT and atom.licensee_id == licensor_id
    )


def _work_availability(licensor_id, work_id, family, atoms, countries, leaves, wanted, exclusive) -> WorkAvailability:
    levels = [work_id, *family.ancestors.get(work_id, [])]
    related = levels + family.descendants.get(work_id, [])
    result = WorkAvailability(work_id)
    for country in countries:
        for leaf in leaves:
            result.cells.append(_cell(licensor_id, levels, related, atoms, country, leaf, wanted, exclusive))
    return result


def _cell(licensor_id, levels, related, atoms, country, leaf, wanted, exclusive) -> Cell:
    held = _inherited_holdings(licensor_id, levels, atoms, country, leaf)
    usable = [a.period for a in held if a.sublicensable and (a.exclusive or not exclusive)]
    gaps = [Gap(MISSING_HOLDING, p) for p in periods.gaps(usable, wanted)]
    for wid in related:
        for atom in atoms.get((wid, country, leaf), ()):
            gap = _blocking(atom, licensor_id, wanted, exclusive)
            if gap:
                gaps.append(gap)
    blocked = [g.period for g in gaps]
    return Cell(country, leaf, periods.difference([wanted], blocked), sorted(gaps, key=lambda g: (g.period.lo, g.reason)))


def _inherited_holdings(licensor_id, levels, atoms, country, leaf) -> list[_Atom]:
    """The nearest level (episode, then season, then series) with holdings of its own decides."""
    for wid in levels:
        own = [a for a in atoms.get((wid, country, leaf), ()) if _is_holding_of(a, licensor_id)]
        if own:
            return own
    return []


def _blocking(atom: _Atom, licensor_id: int, wanted: Period, exclusive: bool) -> Gap | None:
    if atom.holder_id != licensor_id:
        return None
    part = atom.period.intersection(wanted)
    if part is None:
        return None
    if atom.kind == AtomKind.HOLDBACK:
        return Gap(HOLDBACK, part, atom.id, atom.work_id, atom.contract_ref)
    if atom.kind == AtomKind.GRANT and (exclusive or atom.exclusive):
        return Gap(CONFLICTING_GRANT, part, atom.id, atom.work_id, atom.contract_ref, atom.licensee_id, atom.licensee, atom.exclusive)
    return None


def find_available(licensor, territory: str, media: str, window, exclusive: bool, kinds: Iterable[str] | None = None) -> list[int]:
    """Ids of works free for the whole request ("features free for exclusive SVOD in CN 2027–29").

    One indexed query finds the works (or their series/seasons) the licensor holds anything on
    for that cell; their episodes join them; `availability` then decides with the same rules
    as a grant. A handful of queries in all.
    """
    wanted = to_period(window)
    lid = org_id(licensor)
    country = territories.normalise_country(territory)
    leaf = media_taxonomy.expand([media])
    held = set(
        RightAtom.objects.filter(
            Q(kind=AtomKind.HOLDING, holder_id=lid) | Q(kind=AtomKind.GRANT, licensee_id=lid),
            territory=country,
            media__in=leaf,
            start__lt=wanted.hi if wanted.end else OPEN_END,
            effective_end__gt=wanted.lo,
            sublicensable=True,
        ).values_list("work_id", flat=True)
    )
    candidates = Work.objects.filter(Q(pk__in=held) | Q(parent_id__in=held) | Q(parent__parent_id__in=held))
    if kinds:
        candidates = candidates.filter(kind__in=list(kinds))
    ids = list(candidates.values_list("id", flat=True))
    found = availability(lid, ids, [country], leaf, wanted, exclusive)
    return sorted(wid for wid, result in found.items() if result.available)


def holdings_of(actor) -> QuerySet[RightAtom]:
    """Rights the organisation holds: its acquisitions and the grants made to it."""
    lid = org_id(actor)
    return RightAtom.objects.filter(Q(kind=AtomKind.HOLDING, holder_id=lid) | Q(kind=AtomKind.GRANT, licensee_id=lid))


def grants_by(actor) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(kind=AtomKind.GRANT, holder_id=org_id(actor))


def grants_to(actor) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(kind=AtomKind.GRANT, licensee_id=org_id(actor))


def holdbacks_of(actor) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(kind=AtomKind.HOLDBACK, holder_id=org_id(actor))


def is_licensed(organisation, work, territory: str, media: str, on_date: date) -> bool:
    """Does the organisation hold (or was it granted) this right on that day — on the work or on
    its season or series? The storefront's question; one query for the family, one for atoms."""
    work_id = work.pk if isinstance(work, Work) else int(work)
    lid = org_id(organisation)
    row = Work.objects.filter(pk=work_id).values_list("id", "parent_id", "parent__parent_id").first()
    if row is None:
        return False
    return RightAtom.objects.filter(
        Q(kind=AtomKind.HOLDING, holder_id=lid) | Q(kind=AtomKind.GRANT, licensee_id=lid),
        work_id__in=[w for w in row if w],
        territory=territories.normalise_country(territory),
        media=media,
        start__lte=on_date,
        effective_end__gt=on_date,
    ).exists()
