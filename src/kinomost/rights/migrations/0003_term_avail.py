from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rights", "0002_exclusive_grant_constraint")]

    operations = [
        migrations.AddField(
            model_name="term",
            name="avail",
            field=models.JSONField(blank=True, default=dict, verbose_name="avail details"),
        ),
    ]
