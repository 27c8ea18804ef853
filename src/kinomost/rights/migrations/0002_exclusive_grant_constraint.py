"""PostgreSQL only: no two exclusive grants by one licensor may overlap on a cell.

`BtreeGistExtension` is itself a no-op off PostgreSQL; the constraint is added by a guarded
RunPython because SQLite has no GiST (there IMMEDIATE transactions serialise the ledger's
writers instead). The constraint is not in Django's model state on purpose: SQLite must keep
the same models.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "rights_exclusive_grant_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE rights_rightatom ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ("
        " holder_id WITH =, work_id WITH =, territory WITH =, media WITH =,"
        " daterange(start, effective_end, '[)') WITH &&"
        ") WHERE (kind = 'grant' AND exclusive)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE rights_rightatom DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("rights", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
