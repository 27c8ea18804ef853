"""The SQLite-only index the statements' aggregate skip-scans (cinema migration 0013) is there
after every migration: made by SQL rather than declared on the model, it would be dropped
silently by a later migration that makes SQLite rebuild the session table."""

import pytest
from django.db import connection

from kinomost.cinema import selectors as cinema_selectors

from .conftest import moment as world_day


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


@pytest.mark.django_db
def test_a_statement_on_sqlite_gives_the_planner_statistics_of_the_sessions_it_lacks(world, monkeypatch):
    """A database migrated empty has no statistics of the sessions, without which SQLite sorts
    the month instead of skip-scanning the index: the statement's read analyses the table then."""
    if connection.vendor != "sqlite":
        pytest.skip("planner statistics of this kind are SQLite's (PostgreSQL's autovacuum analyses)")
    monkeypatch.setattr(cinema_selectors, "_PLANNER_MIN_SESSIONS", 3)  # instead of 10,000 sessions
    film = world.works("F-1")[0]
    contract = world.licence([film], {"currency": "USD", "revenue_share": "40"})
    for day in range(1, 6):
        world.session(film, contract, seconds=3600, at=f"2027-03-0{day}T20:00:00")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'cinema_playbacksession'")
    cinema_selectors.qualifying_viewing(world.platform.pk, world_day("2027-03-01"), world_day("2027-04-01"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'cinema_playbacksession' AND idx = 'cinema_session_royalties_by_work'")
        assert int(cursor.fetchone()[0].split()[0]) == 5
