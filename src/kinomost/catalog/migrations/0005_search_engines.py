"""The engine-specific half of the search index.

SQLite: an FTS5 trigram table over the keys (external content, kept in step by triggers).
PostgreSQL: pg_trgm and a GIN trigram index on the keys. Each runs only on its own database.
Note for later migrations: SQLite rebuilds a table on most ALTERs, which drops these triggers;
a migration that alters catalog_searchkey must recreate them (run this one's SQL again).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_searchkey_fts USING fts5(key, content='catalog_searchkey', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER catalog_searchkey_ai AFTER INSERT ON catalog_searchkey BEGIN "
    "INSERT INTO catalog_searchkey_fts(rowid, key) VALUES (new.id, new.key); END",
    "CREATE TRIGGER catalog_searchkey_ad AFTER DELETE ON catalog_searchkey BEGIN "
    "INSERT INTO catalog_searchkey_fts(catalog_searchkey_fts, rowid, key) VALUES ('delete', old.id, old.key); END",
    "CREATE TRIGGER catalog_searchkey_au AFTER UPDATE ON catalog_searchkey BEGIN "
    "INSERT INTO catalog_searchkey_fts(catalog_searchkey_fts, rowid, key) VALUES ('delete', old.id, old.key); "
    "INSERT INTO catalog_searchkey_fts(rowid, key) VALUES (new.id, new.key); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_searchkey_ai",
    "DROP TRIGGER IF EXISTS catalog_searchkey_ad",
    "DROP TRIGGER IF EXISTS catalog_searchkey_au",
    "DROP TABLE IF EXISTS catalog_searchkey_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_searchkey_key_trgm ON catalog_searchkey USING gin (key gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS catalog_searchkey_key_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_index")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
