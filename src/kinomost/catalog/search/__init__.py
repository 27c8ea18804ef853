"""Cross-script search of the catalogue. Public interface:

- `index_works(work_ids)`: (re)build the search keys of these works; called by catalog.services.
- `search_works(query, *, actor=None, scope=None, limit=20, language=None)` → list of SearchHit.
"""

from kinomost.catalog.search.api import SearchHit, index_works, search_works  # noqa: F401
