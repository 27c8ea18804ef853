"""Cross-script search of the catalogue (design and measurements: docs/search.md).

- `index_works(work_ids)`: (re)build the search keys of these works; catalog.services calls it.
- `search_works(query, *, actor=None, scope=None, limit=20, language=None)` → [SearchHit].
"""

from kinomost.catalog.search.index import index_works, reindex_all  # noqa: F401
from kinomost.catalog.search.query import SearchHit, search_works  # noqa: F401
