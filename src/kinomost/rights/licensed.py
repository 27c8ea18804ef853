"""What an organisation may exploit on a day: the storefront's question for a whole catalogue.

`availability.is_licensed` answers it for one work; a storefront asks it for every work at once,
so this reads the organisation's holdings and received grants for one country and some media on
one day in one query, then spreads rights on a series or season down to its seasons and
episodes (granting a series grants its episodes).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Q

from kinomost.catalog.models import Work
from kinomost.core import territories
from kinomost.rights.models import AtomKind, RightAtom


def licensed_media(organisation, territory: str, media_leaves, on_date: date) -> dict[int, set[str]]:
    """work id → the media leaves (among `media_leaves`) the organisation holds or was granted
    in `territory` on `on_date`, for works licensed directly and for the seasons and episodes
    of licensed series and seasons. Terminated rights end at their effective end."""
    org_id = getattr(organisation, "pk", organisation)
    leaves = list(media_leaves)
    if not leaves:
        return {}
    rows = RightAtom.objects.filter(
        Q(kind=AtomKind.HOLDING, holder_id=org_id) | Q(kind=AtomKind.GRANT, licensee_id=org_id),
        territory=territories.normalise_country(territory),
        media__in=leaves,
        start__lte=on_date,
        effective_end__gt=on_date,
    ).values_list("work_id", "media").distinct()
    found: dict[int, set[str]] = defaultdict(set)
    for work_id, leaf in rows:
        found[work_id].add(leaf)
    _inherit_down(found)
    return dict(found)


def licensed_work_ids(organisation, territory: str, media_leaves, on_date: date) -> set[int]:
    return set(licensed_media(organisation, territory, media_leaves, on_date))


def _inherit_down(found: dict[int, set[str]]) -> None:
    """Seasons of a licensed series, episodes of a licensed season (two levels, one query each)."""
    level = dict(found)
    for _depth in range(2):
        if not level:
            return
        children = Work.objects.filter(parent_id__in=list(level)).values_list("id", "parent_id")
        next_level: dict[int, set[str]] = {}
        for child, parent in children:
            found[child] |= level[parent]
            next_level[child] = found[child]
        level = next_level
