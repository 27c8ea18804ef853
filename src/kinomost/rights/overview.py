"""Reads behind the rights pages and API: an organisation's contracts, a work's rights matrix and
timeline, and a paged "find available".

Tenancy: an organisation sees only its own positions — its holdings (acquisitions), the grants
it made, the grants it received, and the holdbacks that bind it. A contract in which it has no
such position does not exist for it (NotFound), whoever else can see the work.

The matrix answers "what is our position in each country and medium on this day", compressed
for reading: countries with identical rows share one row named as a group where possible
("WORLD excluding CN"), and media groups whose leaves all read the same share one column.
Availability itself (free sub-windows, gap reasons) is always `availability.py`'s answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet

from kinomost.catalog import selectors as catalog
from kinomost.catalog.models import Work
from kinomost.core import media as media_taxonomy
from kinomost.core import periods, territories
from kinomost.core.errors import InvalidInput, NotFound
from kinomost.core.ids import record_id
from kinomost.core.languages import language_name
from kinomost.core.periods import Period
from kinomost.core.territory_groups import M49_REGIONS, M49_SUBREGIONS, NAMED_GROUPS
from kinomost.parties.roles import WRITE_CATALOGUE, can
from kinomost.rights import availability as avail
from kinomost.rights.models import OPEN_END, AtomKind, Contract, ContractKind, LanguageUse, RightAtom, Term

HOLDING, GRANT, RECEIVED, HOLDBACK = "holding", "grant", "received", "holdback"
SIDES = (HOLDING, GRANT, RECEIVED, HOLDBACK)
MAX_CELLS = 200_000  # one availability answer; beyond it the caller narrows the request

# ---------------------------------------------------------------- contracts


def _side_filters(org_id: int, prefix: str = "") -> dict[str, Q]:
    """Which contracts are whose position: the one rule of contract tenancy."""
    p = prefix
    return {
        HOLDING: Q(**{f"{p}kind": ContractKind.ACQUISITION, f"{p}licensee_id": org_id}),
        GRANT: Q(**{f"{p}kind": ContractKind.LICENCE, f"{p}licensor_id": org_id}),
        RECEIVED: Q(**{f"{p}kind": ContractKind.LICENCE, f"{p}licensee_id": org_id}),
        HOLDBACK: Q(**{f"{p}kind": ContractKind.HOLDBACK, f"{p}licensor_id": org_id}),
    }


def _own(org_id: int, prefix: str = "", side: str | None = None) -> Q:
    filters = _side_filters(org_id, prefix)
    if side:
        if side not in filters:
            raise InvalidInput(f"kind must be one of {', '.join(SIDES)}", details={"kind": "unknown"})
        return filters[side]
    q = Q()
    for f in filters.values():
        q |= f
    return q


def contracts_of(actor, side: str | None = None) -> QuerySet[Contract]:
    """The organisation's contracts, newest first, with their terms and works ready to show."""
    oid = avail.org_id(actor)
    return (
        Contract.objects.filter(_own(oid, side=side))
        .select_related("licensor", "licensee")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.prefetch_related(Prefetch("works", queryset=catalog.with_localizations(Work.objects.order_by("id"))))))
        .order_by("-created_at", "-id")
    )


def contract_for(actor, contract_id: int) -> Contract:
    """The contract if the organisation has a position in it; otherwise NotFound, never a hint."""
    found = contracts_of(actor).filter(pk=contract_id).first()
    if found is None:
        raise NotFound("No such contract.")
    return found


def side_of(actor, contract: Contract) -> str:
    oid = avail.org_id(actor)
    if contract.kind == ContractKind.ACQUISITION:
        return HOLDING
    if contract.kind == ContractKind.HOLDBACK:
        return HOLDBACK
    return GRANT if contract.licensor_id == oid else RECEIVED


def counterparty(actor, contract: Contract) -> str:
    """The other party as the organisation sees it (a licensor outside Kinomost by its name)."""
    side = side_of(actor, contract)
    if side in (HOLDING, RECEIVED):
        return contract.licensor.name if contract.licensor else contract.licensor_name
    return contract.licensee.name if contract.licensee else contract.licensor_name


def can_terminate(actor, contract: Contract) -> bool:
    """The party whose rows the contract wrote may end it (a licensee cannot end its grant)."""
    return side_of(actor, contract) != RECEIVED and can(getattr(actor, "role", None), WRITE_CATALOGUE)


@dataclass
class TermView:
    term: Term
    works: list[Work]
    atoms: int
    countries: int
    leaves: int
    effective_end: date | None
    territory_text: str
    media_text: str


@dataclass
class ContractView:
    contract: Contract
    side: str
    counterparty: str
    terms: list[TermView]
    can_terminate: bool


def contract_detail(actor, contract_id: int) -> ContractView:
    contract = contract_for(actor, contract_id)
    counts = {
        row["term_id"]: row
        for row in RightAtom.objects.filter(contract=contract)
        .values("term_id")
        .annotate(n=Count("id"), countries=Count("territory", distinct=True), leaves=Count("media", distinct=True))
    }
    terms = []
    for term in contract.terms.all():
        row = counts.get(term.pk, {})
        works = list(catalog.with_localizations(Work.objects.filter(rights_terms=term).order_by("id")))
        terms.append(
            TermView(term, works, row.get("n", 0), row.get("countries", 0), row.get("leaves", 0), term_end(term), territory_text(term), ", ".join(term.media))
        )
    return ContractView(contract, side_of(actor, contract), counterparty(actor, contract), terms, can_terminate(actor, contract))


def term_end(term: Term) -> date | None:
    """Where the term really ends: its signed end, or earlier if it was terminated."""
    if term.ends_early_on is None:
        return term.end
    return max(term.start, min(term.end or OPEN_END, term.ends_early_on))


def territory_text(term: Term) -> str:
    text = ", ".join(term.territories)
    return f"{text} excluding {', '.join(term.territories_excluded)}" if term.territories_excluded else text


@dataclass(frozen=True)
class LanguageLine:
    """One language a term names, with its uses, as a person reads it ("Russian: dubbed, subtitled")."""

    tag: str
    name: str  # in the reader's language; the tag itself when it has no name
    uses: tuple[str, ...]  # LanguageUse codes, in LanguageUse's order

    @property
    def use_labels(self) -> list[str]:
        return [str(LanguageUse(u).label).lower() if u in LanguageUse.values else u for u in self.uses]

    def __str__(self) -> str:
        return f"{self.name}: {', '.join(self.use_labels)}"


def language_lines(languages: list[dict], in_language: str) -> list[LanguageLine]:
    """A term's `languages` grouped by language, in the order the term names them. An empty list
    means the contract names no language (the term is not limited to any)."""
    uses: dict[str, set[str]] = {}
    for item in languages or []:
        uses.setdefault(item["language"], set()).add(item.get("use") or LanguageUse.ORIGINAL)
    order = list(LanguageUse.values)
    return [
        LanguageLine(tag, language_name(tag, in_language), tuple(sorted(found, key=lambda u: order.index(u) if u in order else len(order))))
        for tag, found in uses.items()
    ]


def languages_text(languages: list[dict], in_language: str) -> str:
    """"Russian: dubbed, subtitled; Chinese (Simplified): original"; empty when none are named."""
    return "; ".join(str(line) for line in language_lines(languages, in_language))


# ---------------------------------------------------------------- works


def work_for(actor, work_id: int) -> Work:
    """A work the organisation may read in the catalogue or has a position on (on it or on its
    season or series; a grant received on another's unlisted work included); else NotFound."""
    found = _readable(actor, Work.objects.filter(pk=work_id))
    if not found:
        raise NotFound("No such work.")
    return catalog.with_localizations(Work.objects.select_related("owner", "parent", "parent__parent")).get(pk=work_id)


def resolve_works(actor, refs: Iterable) -> list[Work]:
    """Ids or references → works the organisation may ask about (as for `work_for`). Unknown and
    hidden ones are refused together, in the same words, so nothing confirms another's work."""
    oid = avail.org_id(actor)
    wanted = [str(r).strip() for r in refs if str(r).strip()]
    if not wanted:
        raise InvalidInput("At least one work is needed.", details={"works": "required"})
    ids = [i for i in map(record_id, wanted) if i is not None]
    found = _readable(actor, Work.objects.filter(Q(pk__in=ids) | Q(ref__in=wanted)))
    by_id = {w.pk: w for w in found}
    by_ref: dict[str, Work] = {}
    for w in sorted(found, key=lambda w: (w.owner_id != oid, w.pk)):  # own works win a shared ref
        by_ref.setdefault(w.ref, w)
    out, missing = [], []
    for r in wanted:
        w = by_id.get(record_id(r)) or by_ref.get(r)
        (out if w else missing).append(w or r)
    if missing:
        raise NotFound(f"No such work: {', '.join(missing)}.", details=[{"field": "works", "missing": missing}])
    return list({w.pk: w for w in out}.values())


def _readable(actor, candidates: QuerySet[Work]) -> list[Work]:
    """The candidates the organisation owns, sees listed, or has a position on (directly or on
    their season or series). Positions are looked up only for these few candidates."""
    oid = avail.org_id(actor)
    works = list(candidates.select_related("parent"))
    family = {w.pk: {w.pk, w.parent_id, w.parent.parent_id if w.parent else None} - {None} for w in works}
    others = set().union(*(family[w.pk] for w in works if w.owner_id != oid and not w.is_listed)) if works else set()
    positioned = set(_positions(oid).filter(work_id__in=others).values_list("work_id", flat=True).distinct()) if others else set()
    return [w for w in works if w.owner_id == oid or w.is_listed or family[w.pk] & positioned]


def held_work_ids(actor) -> list[int]:
    """Every work the organisation holds or received anything on: "the whole catalogue"."""
    return sorted(set(avail.holdings_of(actor).values_list("work_id", flat=True).distinct()))


def _positions(org_id: int) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(Q(holder_id=org_id) | Q(kind=AtomKind.GRANT, licensee_id=org_id))


def _levels(work: Work) -> list[int]:
    """The work and its season and series: rights on them cover it."""
    parent = work.parent
    return [w for w in (work.pk, parent.pk if parent else None, parent.parent_id if parent else None) if w]


# ---------------------------------------------------------------- matrix


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
    levels = _levels(work)
    cells: dict[tuple[str, str], set[Mark]] = defaultdict(set)
    rows = (
        _positions(oid)
        .filter(work_id__in=levels, start__lte=on, effective_end__gt=on)
        .values_list("kind", "territory", "media", "holder_id", "licensee__name", "exclusive", "sublicensable", "contract_id", "contract__reference", "contract__licensor__name", "contract__licensor_name", "work_id")
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


def describe_territories(countries: Iterable[str], limit: int = 12) -> str:
    """Countries → the shortest readable name: WORLD, "WORLD excluding CN", "CIS", a group less
    a few countries, or the countries themselves (abbreviated past `limit`)."""
    have = frozenset(countries)
    world = frozenset(territories.all_countries())
    if have == world:
        return "WORLD"
    if len(world - have) <= 15 and len(have) > len(world) // 2:
        return "WORLD excluding " + ", ".join(sorted(world - have))
    for key in (*NAMED_GROUPS, *M49_REGIONS, *M49_SUBREGIONS):
        members = territories.group_members(key)
        if have == members:
            return _group_name(key)
        if len(members) > 5 and have < members and len(members - have) <= 3:
            return f"{_group_name(key)} excluding {', '.join(sorted(members - have))}"
    listed = sorted(have)
    if len(listed) <= limit:
        return ", ".join(listed)
    return ", ".join(listed[:limit]) + f" +{len(listed) - limit}"


def _group_name(key: str) -> str:
    return key if key in NAMED_GROUPS else f"{(M49_REGIONS.get(key) or M49_SUBREGIONS[key])[0]} ({key})"


# ---------------------------------------------------------------- timeline


@dataclass
class Bar:
    term: Term
    side: str
    counterparty: str
    start: date
    end: date | None  # effective end (None = open)
    signed_end: date | None
    terminated_on: date | None
    inherited: bool
    left: float = 0.0  # per cent of the axis
    width: float = 0.0
    cut_left: float = 0.0
    cut_width: float = 0.0  # the terminated remainder, drawn hatched


@dataclass
class Timeline:
    bars: list[Bar]
    lo: date | None = None
    hi: date | None = None
    ticks: list[tuple[int, float]] = field(default_factory=list)  # (year, per cent)
    today: float | None = None


def work_timeline(actor, work: Work, today: date | None = None) -> Timeline:
    """Every term of the organisation's holdings, grants (made and received) and holdbacks on
    the work or its season/series, as bars on one axis."""
    oid = avail.org_id(actor)
    terms = (
        Term.objects.filter(works__in=_levels(work))
        .filter(_own(oid, "contract__"))
        .select_related("contract", "contract__licensor", "contract__licensee")
        .prefetch_related("works")
        .distinct()
        .order_by("start", "id")
    )
    bars = []
    for term in terms:
        on_work = {w.pk for w in term.works.all()}
        bars.append(
            Bar(
                term, side_of(actor, term.contract), counterparty(actor, term.contract), term.start, term_end(term), term.end,
                term.ends_early_on, work.pk not in on_work,
            )
        )
    return _place(bars, today or date.today())


def _place(bars: list[Bar], today: date) -> Timeline:
    if not bars:
        return Timeline([])
    lo = min(b.start for b in bars)
    finite = [d for b in bars for d in (b.end, b.signed_end) if d]
    hi = max([*finite, today, max(b.start for b in bars)]) + timedelta(days=365)
    span = (hi - lo).days or 1

    def pct(day: date) -> float:
        return round(100 * (min(max(day, lo), hi) - lo).days / span, 2)

    for b in bars:
        b.left = pct(b.start)
        b.width = max(pct(b.end or hi) - b.left, 0.3)
        if b.terminated_on and (b.signed_end is None or b.signed_end > (b.end or hi)):
            b.cut_left = pct(b.end or hi)
            b.cut_width = pct(b.signed_end or hi) - b.cut_left
    ticks = [(y, pct(date(y, 1, 1))) for y in range(lo.year + 1, hi.year + 1)]
    step = max(1, len(ticks) // 12)
    return Timeline(bars, lo, hi, ticks[::step], pct(today) if lo <= today <= hi else None)


# ---------------------------------------------------------------- availability and search


def check_size(works: int, territory_codes, media_codes) -> None:
    """Refuse an answer too large to send (300 works × WORLD × all media is 1.9 M cells)."""
    countries = len(territories.expand(territory_codes)) if territory_codes else 0
    leaves = len(media_taxonomy.expand(media_codes)) if media_codes else 0
    if works * countries * leaves > MAX_CELLS:
        raise InvalidInput(
            f"The request has {works * countries * leaves} cells; ask for at most {MAX_CELLS} (fewer works, countries or media).",
            details=[{"cells": works * countries * leaves}],
        )


def countries_of(include, exclude=()) -> list[str]:
    return territories.expand(include, exclude)


@dataclass
class Found:
    work: Work
    free: Period | None  # the longest free stretch that contains the requested window


@dataclass
class FoundPage:
    total: int
    rows: list[Found]


def find_available_page(actor, territory: str, media: str, window: Period, exclusive: bool, kinds=None, *, limit: int = 50, offset: int = 0,
                        languages=None) -> FoundPage:
    """`availability.find_available`, one page of it, with the works' titles and how far each
    free stretch reaches beyond the request ("free 2026-01-01 → open"). `languages` as for
    `availability`: None leaves languages out of it."""
    ids = avail.find_available(actor, territory, media, window, exclusive, kinds, languages)
    page_ids = ids[offset : offset + limit]
    works = {w.pk: w for w in catalog.with_localizations(Work.objects.filter(pk__in=page_ids))}
    stretches = _free_stretches(actor, page_ids, territory, media, window, exclusive, languages)
    return FoundPage(len(ids), [Found(works[i], stretches.get(i)) for i in page_ids if i in works])


def _free_stretches(actor, work_ids: list[int], territory: str, media: str, window: Period, exclusive: bool,
                    languages=None) -> dict[int, Period]:
    if not work_ids:
        return {}
    result = avail.availability(actor, work_ids, [territory], [media], Period(None, None), exclusive, languages)
    out = {}
    for wid, work in result.items():
        free = [Period(None, None)]
        for cell in work.cells:
            free = periods.intersection(free, cell.free)
        out[wid] = next((p for p in free if p.contains(window)), None)
    return out
