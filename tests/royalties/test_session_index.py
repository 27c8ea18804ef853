"""The SQLite-only index the statements' aggregate skip-scans (cinema migration 0013) is there
after every migration: made by SQL rather than declared on the model, it would be dropped
silently by a later migration that makes SQLite rebuild the session table."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_sessions_index_in_the_statements_grouping_order_exists_on_sqlite_only():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "cinema_playbacksession")
    found = indexes.get("cinema_session_royalties_by_work")
    if connection.vendor == "sqlite":
        assert found is not None, "migrated away: re-create it in a migration (cinema 0013 says why)"
        assert found["columns"] == ["work_id", "contract_id", "started_at", "viewer_id", "seconds_watched", "media", "territory"]
    else:
        assert found is None  # PostgreSQL aggregates by hashing: the index would only cost heartbeats
