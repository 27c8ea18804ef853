"""The availability rules, pure: given the atoms of a licensor's family of works (fetched by
`availability`), what is free in each cell and why each gap is not (missing holding,
conflicting grant, holdback, language). No query here: the rules are tested and read apart
from the SQL that fetches, and `availability`'s two fetch paths share them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from kinomost.core import periods
from kinomost.core.periods import Period
from kinomost.rights.models import AtomKind


MISSING_HOLDING = "missing_holding"
CONFLICTING_GRANT = "conflicting_grant"
HOLDBACK = "holdback"
ALL_LANGUAGES = "all languages"


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
    # Set when the window is held, but not for this language: "zh-Hans subtitled", or
    # ALL_LANGUAGES when a request naming no language meets holdings that name some.
    language: str = ""

    def as_dict(self) -> dict:
        """The refusal detail's shape; `language` only on a gap due to language alone."""
        found = {
            "reason": self.reason,
            "window": str(self.period),
            "atom": self.atom_id,
            "on_work": self.work_id,
            "contract": self.contract_ref,
            "licensee": self.licensee,
            "licensee_id": self.licensee_id,
            "exclusive": self.exclusive,
        }
        if self.language:
            found["language"] = self.language
        return found


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


class Atom(NamedTuple):
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


@dataclass
class LanguageRule:
    """Rule 1 by language: the pairs asked for, and each fetched holding's term languages by atom id."""

    wanted: tuple[tuple[str, str], ...]
    of_atom: dict[int, frozenset]

    def needs(self):
        """(label, covers(atom)) per requirement: one per pair, or "no language named"."""
        if not self.wanted:
            return [(ALL_LANGUAGES, lambda a: not self.of_atom.get(a.id))]
        return [
            (f"{tag} {use}", lambda a, pair=(tag, use): not self.of_atom.get(a.id) or pair in self.of_atom[a.id])
            for tag, use in self.wanted
        ]


@dataclass
class Family:
    ancestors: dict[int, list[int]]  # work → [parent, grandparent]
    descendants: dict[int, list[int]]  # work → its seasons and episodes that carry atoms


def is_holding_of(atom: Atom, licensor_id: int) -> bool:
    return (atom.kind == AtomKind.HOLDING and atom.holder_id == licensor_id) or (
        atom.kind == AtomKind.GRANT and atom.licensee_id == licensor_id
    )


def work_availability(licensor_id, work_id, family, atoms, countries, leaves, wanted, exclusive, rule=None) -> WorkAvailability:
    levels = [work_id, *family.ancestors.get(work_id, [])]
    related = levels + family.descendants.get(work_id, [])
    result = WorkAvailability(work_id)
    for country in countries:
        for leaf in leaves:
            result.cells.append(cell(licensor_id, levels, related, atoms, country, leaf, wanted, exclusive, rule))
    return result


def cell(licensor_id, levels, related, atoms, country, leaf, wanted, exclusive, rule: LanguageRule | None = None) -> Cell:
    found = [(wid, atoms[key]) for wid in related if (key := (wid, country, leaf)) in atoms]
    if not found:  # nothing held, granted or held back on this cell in the window
        return Cell(country, leaf, [], [Gap(MISSING_HOLDING, wanted)])
    held = inherited_holdings(licensor_id, levels, found)
    if rule is not None:
        gaps = language_gaps([a for a in held if a.sublicensable and (a.exclusive or not exclusive)], rule, wanted)
    else:
        usable = [a.period for a in held if a.sublicensable and (a.exclusive or not exclusive)]
        if any(p.contains(wanted) for p in usable):
            gaps = []  # the common case, without the interval arithmetic
        else:
            gaps = [Gap(MISSING_HOLDING, p) for p in periods.gaps(usable, wanted)]
    for _, cell_atoms in found:
        for atom in cell_atoms:
            if atom.holder_id == licensor_id and atom.kind != AtomKind.HOLDING:
                gap = blocking(atom, licensor_id, wanted, exclusive)
                if gap:
                    gaps.append(gap)
    if not gaps:
        return Cell(country, leaf, [wanted], [])
    blocked = [g.period for g in gaps]
    return Cell(country, leaf, periods.difference([wanted], blocked), sorted(gaps, key=lambda g: (g.period.lo, g.reason)))


def language_gaps(usable: list[Atom], rule: LanguageRule, wanted: Period) -> list[Gap]:
    """Rule 1 with languages: what no usable holding covers is a plain missing holding; what is
    held, but not for a pair asked for (pairs may be covered by different holdings), is a
    missing holding naming that pair."""
    held = [a.period for a in usable]
    missing = [] if any(p.contains(wanted) for p in held) else periods.gaps(held, wanted)
    gaps = [Gap(MISSING_HOLDING, p) for p in missing]
    for label, covers in rule.needs():
        covering = [a.period for a in usable if covers(a)]
        if any(p.contains(wanted) for p in covering):
            continue
        gaps += [Gap(MISSING_HOLDING, p, language=label) for p in periods.difference(periods.gaps(covering, wanted), missing)]
    return gaps


def inherited_holdings(licensor_id, levels, found) -> list[Atom]:
    """The nearest level (episode, then season, then series) with holdings of its own decides.
    `found`: the cell's atoms per work of the family, levels first and in their order."""
    for wid, cell_atoms in found:
        if wid not in levels:
            break
        own = [a for a in cell_atoms if is_holding_of(a, licensor_id)]
        if own:
            return own
    return []


def blocking(atom: Atom, licensor_id: int, wanted: Period, exclusive: bool) -> Gap | None:
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
