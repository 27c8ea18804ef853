"""The scale generator's rights ledger obeys the ledger's own rules, so benchmarks measure a
ledger the services could have written: atoms match their terms, grants lie inside
sublicensable holdings, exclusive grants never overlap, and the services and selectors read the
bulk-written rows exactly as they read their own.

Generated once per module (about 200 works) inside a transaction rolled back at the end.
"""

from collections import defaultdict
from itertools import combinations

import pytest
from django.db import transaction

from kinomost.core import media as media_taxonomy
from kinomost.core import territories
from kinomost.core.errors import Conflict
from kinomost.core.periods import Period
from kinomost.demo import scale
from kinomost.parties.models import Organisation
from kinomost.rights import availability as avail
from kinomost.rights import ledger
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.rights.models import OPEN_END, AtomKind, RightAtom, Term


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        scale.generate(films=150, series=50)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def owner(generated, db):
    return Organisation.objects.get(slug=scale.OWNER)


def _atoms(**filters):
    return list(
        RightAtom.objects.filter(**filters).values(
            "id",
            "kind",
            "work_id",
            "territory",
            "media",
            "start",
            "end",
            "ends_early_on",
            "effective_end",
            "holder_id",
            "licensee_id",
            "exclusive",
            "sublicensable",
            "term_id",
        )
    )


def _live(atom):
    return atom["effective_end"] > atom["start"]


def _window(atom) -> Period:
    return Period(atom["start"], atom["effective_end"])


def test_every_kind_of_position_is_generated(owner):
    kinds = set(RightAtom.objects.values_list("kind", flat=True))
    assert kinds == {AtomKind.HOLDING, AtomKind.GRANT, AtomKind.HOLDBACK}
    assert RightAtom.objects.filter(kind=AtomKind.GRANT, exclusive=True).exists()
    assert RightAtom.objects.filter(kind=AtomKind.GRANT, exclusive=False).exists()
    assert Term.objects.filter(ends_early_on__isnull=False).exists()


def test_atoms_are_their_terms_exploded(owner):
    """Exactly one atom per work × country × media leaf of each term, with the term's window."""
    by_term = defaultdict(set)
    for a in _atoms():
        by_term[a["term_id"]].add((a["work_id"], a["territory"], a["media"], a["start"], a["end"]))
    for term in Term.objects.prefetch_related("works"):
        countries = territories.expand(term.territories, term.territories_excluded)
        leaves = media_taxonomy.expand(term.media)
        expected = {(w.pk, c, m, term.start, term.end or OPEN_END) for w in term.works.all() for c in countries for m in leaves}
        assert by_term[term.pk] == expected, term.pk


def test_effective_end_follows_termination(owner):
    for a in _atoms():
        early = a["ends_early_on"]
        assert a["effective_end"] == (a["end"] if early is None else max(a["start"], min(a["end"], early)))


def _pairs_of_live_grants_in_a_cell():
    grants = defaultdict(list)
    for a in filter(_live, _atoms(kind=AtomKind.GRANT)):
        grants[(a["holder_id"], a["work_id"], a["territory"], a["media"])].append(a)
    return [(cell, one, other) for cell, rows in grants.items() for one, other in combinations(rows, 2)]


def test_exclusive_grants_never_overlap_any_grant(owner):
    """Every pair of live grants of a cell (not only neighbours by start: a long non-exclusive grant
    can reach past the next one) overlaps only if neither is exclusive — and the library has such
    pairs of both kinds, so the rule is exercised, not only checked."""
    pairs = _pairs_of_live_grants_in_a_cell()
    overlapping = [(cell, one, other) for cell, one, other in pairs if _window(one).overlaps(_window(other))]
    assert overlapping, "no cell is granted twice in overlapping windows: the rule was never exercised"
    for cell, one, other in overlapping:
        assert not one["exclusive"] and not other["exclusive"], (cell, one["id"], other["id"])
    successive = [(one, other) for _cell, one, other in pairs if one["exclusive"] and other["exclusive"]]
    assert successive, "no cell is granted exclusively twice: exclusive grants were never checked against each other"


def test_every_grant_lies_inside_a_sublicensable_holding(owner):
    held = defaultdict(list)
    for a in _atoms(kind=AtomKind.HOLDING):
        held[(a["holder_id"], a["work_id"], a["territory"], a["media"])].append(a)
    granted = _atoms(kind=AtomKind.GRANT)
    assert granted and held, "the generator made no grants or holdings: nothing was checked"
    for g in granted:
        cover = [
            h
            for h in held[(g["holder_id"], g["work_id"], g["territory"], g["media"])]
            if h["sublicensable"]
            and (h["exclusive"] or not g["exclusive"])
            and _live(h)
            and _window(h).contains(Period(g["start"], g["end"]))
        ]
        assert cover, g


def _exclusive_grant(owner):
    return RightAtom.objects.filter(kind=AtomKind.GRANT, exclusive=True, holder=owner, ends_early_on__isnull=True).order_by("id").first()


def test_grant_of_an_exclusively_granted_cell_is_refused(owner):
    taken = _exclusive_grant(owner)
    other = Organisation.objects.filter(slug__startswith="scale-lic-").exclude(pk=taken.licensee_id).first()
    term = TermInput(
        works=[taken.work_id],
        territories=[taken.territory],
        media=[taken.media],
        start=taken.start,
        end=None if taken.end == OPEN_END else taken.end,
        exclusive=False,
    )
    with pytest.raises(Conflict) as refused:
        ledger.grant(owner, other, term, contract=ContractInput(reference="TRY-AGAIN"))
    assert {d["atom"] for d in refused.value.details if d["reason"] == avail.CONFLICTING_GRANT} == {taken.pk}


def test_availability_agrees_with_the_atoms(owner):
    """A granted cell shows the grant as its gap; a cell held and never granted or held back is free."""
    taken = _exclusive_grant(owner)
    window = (taken.start, None if taken.effective_end == OPEN_END else taken.effective_end)
    cell = avail.availability(owner, [taken.work_id], [taken.territory], [taken.media], window, exclusive=False)[taken.work_id].cells[0]
    assert not cell.available and [g.atom_id for g in cell.gaps] == [taken.pk]

    blocked = set(RightAtom.objects.exclude(kind=AtomKind.HOLDING).values_list("work_id", "territory", "media"))
    free = next(a for a in _atoms(kind=AtomKind.HOLDING, sublicensable=True) if (a["work_id"], a["territory"], a["media"]) not in blocked)
    window = (free["start"], None if free["effective_end"] == OPEN_END else free["effective_end"])
    result = avail.availability(owner, [free["work_id"]], [free["territory"]], [free["media"]], window, exclusive=free["exclusive"])
    assert result[free["work_id"]].available


def test_held_back_cells_are_not_available(owner):
    held_back = RightAtom.objects.filter(kind=AtomKind.HOLDBACK).order_by("id").first()
    window = (held_back.start, held_back.effective_end)
    cell = avail.availability(owner, [held_back.work_id], [held_back.territory], [held_back.media], window, exclusive=False)[
        held_back.work_id
    ].cells[0]
    assert avail.HOLDBACK in {g.reason for g in cell.gaps}


def test_find_available_lists_free_works_only(owner):
    """Every work find_available returns for a cell is free by availability; a granted one is not listed."""
    taken = _exclusive_grant(owner)
    window = (taken.start, taken.effective_end)
    found = avail.find_available(owner, taken.territory, taken.media, window, exclusive=False, kinds=["feature", "series"])
    assert taken.work_id not in found
    for wid, result in avail.availability(owner, found, [taken.territory], [taken.media], window, exclusive=False).items():
        assert result.available, wid
