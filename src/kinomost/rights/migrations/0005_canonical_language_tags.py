"""The languages of ledger terms rewritten in their canonical form (`rus` → `ru`), as
core.languages now stores every tag; a value that is no tag is left as it was."""

from django.db import migrations

from kinomost.core.languages import canonical_language_uses


def canonicalise(apps, schema_editor):
    Term = apps.get_model("rights", "Term")
    for term in Term.objects.exclude(languages=[]).only("id", "languages").iterator():
        languages = canonical_language_uses(term.languages)
        if languages != term.languages:
            Term.objects.filter(pk=term.pk).update(languages=languages)


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0004_atoms_without_redundant_indexes"),
    ]

    operations = [
        migrations.RunPython(canonicalise, migrations.RunPython.noop),
    ]
