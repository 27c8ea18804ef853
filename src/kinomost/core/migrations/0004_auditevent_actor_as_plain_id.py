"""The audit trail's actor becomes a plain user id (core depends on no other app). The column
`actor_id` keeps its name and its rows: only the foreign-key constraint goes, then the column
widens to bigint like the other ids."""

from django.db import migrations, models
from django.conf import settings
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_auditevent_api_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True, null=True, db_constraint=False, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditevent", name="actor"),
                migrations.AddField(
                    model_name="auditevent", name="actor_id", field=models.IntegerField(blank=True, null=True, db_index=True)
                ),
            ],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
    ]
