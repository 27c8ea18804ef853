"""A work's rights matrix: "what is our position in each country and medium on this day",
compressed for reading (countries with identical rows share one row named by
`core.territories.describe_territories`; media groups whose leaves read the same share a column)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from kinomost.core import media as media_taxonomy
from kinomost.rights import availability as avail
from kinomost.rights.models import AtomKind
from kinomost.core.territories import describe_territories
from kinomost.rights.overview.contracts import GRANT, HOLDBACK, HOLDING, RECEIVED
from kinomost.rights.overview.works import work_levels, positions_of

if TYPE_CHECKING:
    from kinomost.catalog.models import Work


@dataclass(frozen=True, order=True)
class Mark:
    """One position in a cell: held, granted (to whom, exclusive?) or held back."""

    state: str  # holding | grant | received | holdback
    party: str
    exclusive: bool
    sublicensable: bool
    contract_id: int
    contract_ref: str
    inherited: bool  # recorded on the season or series, not the work itself


@dataclass(frozen=True)
class MatrixCell:
    marks: tuple[Mark, ...]

    @property
    def status(self) -> str:
        """The cell's headline: held back, granted exclusively, free to license, or just held."""
        states = {m.state for m in self.marks}
        if not states:
            return "none"
        if HOLDBACK in states:
            return "held_back"
        if any(m.state == GRANT and m.exclusive for m in self.marks):
            return "granted"
        held = [m for m in self.marks if m.state in (HOLDING, RECEIVED)]
        if not held:
            return "granted"  # a grant with no holding left under it (terminated holding)
        if any(m.sublicensable for m in held):
            return "free_shared" if GRANT in states else "free"
        return "held"


@dataclass
class MatrixRow:
    label: str
    countries: list[str]
    cells: list[MatrixCell]


@dataclass
class Matrix:
    on: date
    columns: list[tuple[str, str]]  # (code, name): media groups or leaves
    rows: list[MatrixRow] = field(default_factory=list)


def work_matrix(actor, work: Work, on: date) -> Matrix:
    """The organisation's position per country × medium on `on`, compressed for reading."""
    oid = avail.org_id(actor)
    levels = work_levels(work)
    cells: dict[tuple[str, str], set[Mark]] = defaultdict(set)
    rows = (
        positions_of(oid)
        .filter(work_id__in=levels, start__lte=on, effective_end__gt=on)
        .values_list(
            "kind",
            "territory",
            "media",
            "holder_id",
            "licensee__name",
            "exclusive",
            "sublicensable",
            "contract_id",
            "contract__reference",
            "contract__licensor__name",
            "contract__licensor_name",
            "work_id",
        )
    )
    for kind, country, leaf, holder, licensee, exclusive, sublicensable, cid, cref, licensor, licensor_name, wid in rows:
        if kind == AtomKind.GRANT and holder != oid:
            state, party = RECEIVED, licensor or licensor_name
        else:
            state, party = (GRANT, licensee or "") if kind == AtomKind.GRANT else (kind, "")
        cells[(country, leaf)].add(Mark(state, party, exclusive, sublicensable, cid, cref, wid != work.pk))
    return _compress(on, cells)


def _compress(on: date, cells: dict[tuple[str, str], set[Mark]]) -> Matrix:
    leaves = [leaf for leaf in media_taxonomy.LEAVES if any(k[1] == leaf for k in cells)]
    countries = sorted({k[0] for k in cells})
    grid = {c: {leaf: MatrixCell(tuple(sorted(cells.get((c, leaf), ())))) for leaf in leaves} for c in countries}
    columns = _columns(leaves, grid)
    by_signature: dict[tuple, list[str]] = defaultdict(list)
    for country in countries:
        by_signature[tuple(grid[country][members[0]] for _code, members in columns)].append(country)
    matrix = Matrix(on, [(code, media_taxonomy.name(code)) for code, _m in columns])
    for signature, group in sorted(by_signature.items(), key=lambda item: -len(item[1])):
        matrix.rows.append(MatrixRow(describe_territories(group), group, list(signature)))
    return matrix


def _columns(leaves: list[str], grid: dict) -> list[tuple[str, list[str]]]:
    """A media group becomes one column when all its leaves are present and read the same."""
    columns: list[tuple[str, list[str]]] = []
    for group, members in media_taxonomy.TREE.items():
        present = [leaf for leaf in members if leaf in leaves]
        if present and len(present) == len(members) and all(len({row[leaf] for leaf in members}) == 1 for row in grid.values()):
            columns.append((group, present))
        else:
            columns.extend((leaf, [leaf]) for leaf in present)
    groups = [code for code, _m in columns]
    if groups == list(media_taxonomy.TREE) and all(len({row[m[0]] for _c, m in columns}) == 1 for row in grid.values()):
        return [("all", [leaf for _c, m in columns for leaf in m])]
    return columns
