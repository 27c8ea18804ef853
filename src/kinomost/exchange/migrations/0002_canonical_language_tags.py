"""The languages of proposed terms (offers and deal versions) rewritten in their canonical form
(`rus` → `ru`), as core.languages now stores every tag; a value that is no tag is left as it was."""

from django.db import migrations

from kinomost.core.languages import canonical_language_uses


def canonicalise(apps, schema_editor):
    for name in ("Offer", "DealVersion"):
        model = apps.get_model("exchange", name)
        for row in model.objects.only("id", "terms").iterator():
            terms = [
                {**t, "languages": canonical_language_uses(t.get("languages"))} if isinstance(t, dict) and t.get("languages") else t
                for t in row.terms or []
            ]
            if terms != row.terms:
                model.objects.filter(pk=row.pk).update(terms=terms)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(canonicalise, migrations.RunPython.noop),
    ]
