"""Reads behind the rights pages and API, one read model per page: an organisation's contracts, a work's rights matrix and
timeline, and a paged "find available".

Tenancy: an organisation sees only its own positions — its holdings (acquisitions), the grants
it made, the grants it received, and the holdbacks that bind it. A contract in which it has no
such position does not exist for it (NotFound), whoever else can see the work.

The matrix answers "what is our position in each country and medium on this day", compressed
for reading: countries with identical rows share one row named as a group where possible
("WORLD excluding CN"), and media groups whose leaves all read the same share one column.
Availability itself (free sub-windows, gap reasons) is always `availability.py`'s answer.
"""

from kinomost.rights.overview.contracts import (
    ContractView,
    GRANT,
    HOLDBACK,
    HOLDING,
    LanguageLine,
    RECEIVED,
    SIDES,
    TermView,
    can_terminate,
    contract_detail,
    contract_for,
    contracts_of,
    counterparty,
    language_lines,
    languages_text,
    side_of,
    term_end,
    territory_text,
)
from kinomost.rights.overview.works import held_work_ids, resolve_works, work_for
from kinomost.rights.overview.matrix import Mark, Matrix, MatrixCell, MatrixRow, work_matrix
from kinomost.rights.overview.timeline import Bar, Timeline, work_timeline
from kinomost.rights.overview.find import Found, FoundPage, MAX_CELLS, check_size, countries_of, find_available_page
from kinomost.core.territories import describe_territories

__all__ = [
    "ContractView",
    "GRANT",
    "HOLDBACK",
    "HOLDING",
    "LanguageLine",
    "RECEIVED",
    "SIDES",
    "TermView",
    "can_terminate",
    "contract_detail",
    "contract_for",
    "contracts_of",
    "counterparty",
    "language_lines",
    "languages_text",
    "side_of",
    "term_end",
    "territory_text",
    "held_work_ids",
    "resolve_works",
    "work_for",
    "Mark",
    "Matrix",
    "MatrixCell",
    "MatrixRow",
    "work_matrix",
    "Bar",
    "Timeline",
    "work_timeline",
    "Found",
    "FoundPage",
    "MAX_CELLS",
    "check_size",
    "countries_of",
    "find_available_page",
    "describe_territories",
]
