from django.db import migrations

from kinomost.core.genres import GENRES


def add_genres(apps, schema_editor):
    Genre = apps.get_model("catalog", "Genre")
    for slug in GENRES:
        Genre.objects.get_or_create(slug=slug)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(add_genres, migrations.RunPython.noop)]
