"""Why a work is not available: for each work of a licensor's catalogue that a request (country,
medium, window, exclusivity, languages) does not find, what blocks it — granted to X under
contract Y until Z, held back under Y until Z, or not held (or not for that language) — so "find
available" can say why a work a licensing manager expected is missing instead of leaving it out.

A read over the ledger's own rule (`availability.availability`, the same gaps a grant would be
refused with); this module only groups the gaps per work and adds when each blocking right ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from kinomost.catalog import selectors as catalog
from kinomost.catalog.choices import TOP_LEVEL_KINDS
from kinomost.parties.selectors import organisation_names
from kinomost.rights import availability as avail
from kinomost.rights.models import AtomKind, RightAtom

GRANTED = avail.CONFLICTING_GRANT
HELD_BACK = avail.HOLDBACK
NOT_HELD = avail.MISSING_HOLDING
_OPEN_END = date(9999, 12, 31)


@dataclass(frozen=True)
class Blocker:
    """One reason a work is not available: `licensee`, `contract` and `until` name the blocking
    grant or holdback (`until` None: open-ended); `language` is set when only a language is missing."""

    reason: str
    licensee: str = ""
    contract: str = ""
    until: date | None = None
    language: str = ""


def blockers(licensor, work_ids, territories, media, window, exclusive: bool, languages=None) -> dict[int, list[Blocker]]:
    """Per work not free for the whole request (territory and media codes or groups, as
    `availability` takes them), its distinct blockers; a free work is not in the answer."""
    ids = list(work_ids)
    if not ids:
        return {}
    found = avail.availability(licensor, ids, territories, media, window, exclusive, languages)
    gaps = {wid: [g for cell in result.problems() for g in cell.gaps] for wid, result in found.items()}
    ends = _ends({g.atom_id for found_gaps in gaps.values() for g in found_gaps if g.atom_id})
    # The licensee as the reader names it (the ledger's query carries the name as stored).
    licensees = organisation_names({g.licensee_id for found_gaps in gaps.values() for g in found_gaps if g.reason == GRANTED})
    out = {}
    for wid, found_gaps in gaps.items():
        distinct = dict.fromkeys(
            Blocker(
                g.reason,
                licensees.get(g.licensee_id, g.licensee) if g.reason == GRANTED else "",
                g.contract_ref if g.reason != NOT_HELD else "",
                ends.get(g.atom_id) if g.reason != NOT_HELD else None,
                g.language,
            )
            for g in found_gaps
        )
        if distinct:
            out[wid] = list(distinct)
    return out


def catalogue_works(licensor, *, kinds=None) -> list[int]:
    """The top-level works of the licensor's catalogue (owned, or held in any cell), by year and
    reference: those a find is expected to consider, so each one it leaves out has its reason."""
    lid = avail.org_id(licensor)
    held = RightAtom.objects.filter(kind=AtomKind.HOLDING, holder_id=lid).values("work_id")
    works = catalog.owned_or_among(lid, held).filter(kind__in=list(kinds or TOP_LEVEL_KINDS))
    return list(works.order_by("year", "ref").values_list("pk", flat=True))


def _ends(atom_ids: set[int]) -> dict[int, date | None]:
    rows = RightAtom.objects.filter(pk__in=atom_ids).values_list("pk", "effective_end")
    return {pk: None if end is None or end >= _OPEN_END else end for pk, end in rows}
