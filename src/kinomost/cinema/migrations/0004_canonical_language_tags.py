"""Language tags of platforms, handed-in files and playlist tracks rewritten in their canonical
form (`rus` → `ru`, `chi` → `zh`), as core.languages now stores every tag; a value that is no
tag is left as it was."""

from django.db import migrations

from kinomost.core.languages import canonical_or_unchanged


def canonicalise(apps, schema_editor):
    Platform = apps.get_model("cinema", "Platform")
    for platform in Platform.objects.only("id", "languages").iterator():
        tags = list(dict.fromkeys(canonical_or_unchanged(t) if isinstance(t, str) else t for t in platform.languages or []))
        if tags != platform.languages:
            Platform.objects.filter(pk=platform.pk).update(languages=tags)
    for name in ("AssetSource", "Track"):
        model = apps.get_model("cinema", name)
        for row in model.objects.exclude(language="").only("id", "language").iterator():
            tag = canonical_or_unchanged(row.language)
            if tag != row.language:
                model.objects.filter(pk=row.pk).update(language=tag)


class Migration(migrations.Migration):
    dependencies = [
        ("cinema", "0003_purchases_est_pvod"),
    ]

    operations = [
        migrations.RunPython(canonicalise, migrations.RunPython.noop),
    ]
