"""Which works an organisation may read rights on (own, listed, or with a position on the work
or its season or series), resolving the references a person types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from django.db.models import Q, QuerySet

from kinomost.catalog import selectors as catalog
from kinomost.core.errors import InvalidInput
from kinomost.core.ids import record_id
from kinomost.rights import availability as avail
from kinomost.rights.models import AtomKind, RightAtom

if TYPE_CHECKING:
    from kinomost.catalog.models import Work


def work_for(actor, work_id: int) -> Work:
    """A work the organisation may read in the catalogue or has a position on (on it or on its
    season or series; a grant received on another's unlisted work included); else NotFound."""
    found = _readable(actor, catalog.among([work_id]))
    if not found:
        raise catalog.no_such_work()
    return catalog.titled([work_id]).select_related("owner", "parent", "parent__parent").get()


def resolve_works(actor, refs: Iterable) -> list[Work]:
    """Ids or references → works the organisation may ask about (as for `work_for`). Unknown and
    hidden ones are refused together, in the same words, so nothing confirms another's work."""
    oid = avail.org_id(actor)
    wanted = [str(r).strip() for r in refs if str(r).strip()]
    if not wanted:
        raise InvalidInput("At least one work is needed.", details={"works": "required"})
    ids = [i for i in map(record_id, wanted) if i is not None]
    found = _readable(actor, catalog.by_id_or_ref(ids, wanted))
    by_id = {w.pk: w for w in found}
    by_ref: dict[str, Work] = {}
    for w in sorted(found, key=lambda w: (w.owner_id != oid, w.pk)):  # own works win a shared ref
        by_ref.setdefault(w.ref, w)
    out, missing = [], []
    for r in wanted:
        w = by_id.get(record_id(r)) or by_ref.get(r)
        (out if w else missing).append(w or r)
    if missing:
        raise catalog.no_such_work(*missing, details=[{"field": "works", "missing": missing}])
    return list({w.pk: w for w in out}.values())


def _readable(actor, candidates: QuerySet[Work]) -> list[Work]:
    """The candidates the organisation owns, sees listed, or has a position on (directly or on
    their season or series). Positions are looked up only for these few candidates."""
    oid = avail.org_id(actor)
    works = list(candidates)
    hidden = [w for w in works if not catalog.may_see(oid, w)]
    family = {wid: set(chain) for wid, chain in catalog.lineage([w.pk for w in hidden]).items()} if hidden else {}
    others = set().union(*family.values()) if family else set()
    positioned = set(positions_of(oid).filter(work_id__in=others).values_list("work_id", flat=True).distinct()) if others else set()
    return [w for w in works if catalog.may_see(oid, w) or family[w.pk] & positioned]


def held_work_ids(actor) -> list[int]:
    """Every work the organisation holds or received anything on: "the whole catalogue"."""
    return sorted(set(avail.holdings_of(actor).values_list("work_id", flat=True).distinct()))


def positions_of(org_id: int) -> QuerySet[RightAtom]:
    return RightAtom.objects.filter(Q(holder_id=org_id) | Q(kind=AtomKind.GRANT, licensee_id=org_id))


def work_levels(work: Work) -> list[int]:
    """The work and its season and series: rights on them cover it."""
    return list(catalog.lineage([work.pk]).get(work.pk, (work.pk,)))
