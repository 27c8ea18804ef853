"""Language tags stored before tags were canonicalised by langcodes (`rus`, `chi`, `iw`,
`cmn-Hans`, `ja-Jpan-JP` …) rewritten in their canonical form, so that `rus` and `ru` are one
language. Two localizations of a work that become the same language are merged: the one already
canonical (else the first) is kept and an empty title or synopsis is filled from the other, so
nothing written is lost. A stored value that is no tag at all is left as it was."""

from django.db import migrations

from kinomost.core.languages import canonical_or_unchanged


def canonicalise(apps, schema_editor):
    Work = apps.get_model("catalog", "Work")
    WorkLocalization = apps.get_model("catalog", "WorkLocalization")
    for work in Work.objects.exclude(original_language="").only("id", "original_language").iterator():
        tag = canonical_or_unchanged(work.original_language)
        if tag != work.original_language:
            Work.objects.filter(pk=work.pk).update(original_language=tag)
    by_work: dict[int, list] = {}
    for loc in WorkLocalization.objects.order_by("work_id", "id").iterator():
        if canonical_or_unchanged(loc.language) != loc.language:
            by_work.setdefault(loc.work_id, [])
    for work_id in by_work:
        groups: dict[str, list] = {}
        for loc in WorkLocalization.objects.filter(work_id=work_id).order_by("id"):
            groups.setdefault(canonical_or_unchanged(loc.language), []).append(loc)
        for tag, locs in groups.items():
            keep = next((loc for loc in locs if loc.language == tag), locs[0])
            for other in locs:
                if other.pk == keep.pk:
                    continue
                keep.title = keep.title or other.title
                keep.synopsis = keep.synopsis or other.synopsis
                other.delete()
            keep.language = tag
            keep.save(update_fields=["language", "title", "synopsis"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_hangram_starts_with_index"),
    ]

    operations = [
        migrations.RunPython(canonicalise, migrations.RunPython.noop),
    ]
