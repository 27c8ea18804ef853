"""On SQLite only: an index over the sessions in the order royalty statements group them.

SQLite groups by sorting: the statement's aggregate of a platform-month (cinema.selectors.
qualifying_viewing, grouped by work and contract) sorted every qualifying session of the month,
which was most of the gap to the hand-written SQL it is benchmarked against. With this index
(work, contract, then the month's range and every column the aggregate reads) SQLite skip-scans
it: one seek per (work, contract) into the month's range, rows already in group order, no sort
(docs/royalties.md, "Benchmarks"). PostgreSQL groups by hashing, so the index would buy it nothing
and cost every heartbeat fold one more index entry: it is not made there.

It is made by SQL, not declared on the model (the model cannot declare an index for one database
only), so a later migration that makes SQLite rebuild the table would drop it:
tests/royalties/test_session_index.py fails if it is missing. The skip-scan is chosen only with
planner statistics, so the table is analysed here (as the bench's build does).
"""

from django.db import migrations

NAME = "cinema_session_royalties_by_work"
COLUMNS = "work_id, contract_id, started_at, viewer_id, seconds_watched, media, territory"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "cinema_playbacksession" ({COLUMNS})')
        cursor.execute('ANALYZE "cinema_playbacksession"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cinema", "0012_playbacksession_recent_beats"),
    ]

    operations = [migrations.RunPython(create, drop)]
