"""Languages and countries as film catalogues write them: former countries of origin, tags in
their BCP 47 form, and the migration that brings tags stored before into that form."""

import importlib

import pytest
from django.apps import apps

from kinomost.catalog import services
from kinomost.catalog.io import export_works, import_works
from kinomost.catalog.models import Work, WorkLocalization
from kinomost.core.errors import ImportRejected, InvalidInput
from tests.catalog.test_import_export import csv_bytes

HEADER = "ref,kind,title:ru,title:en,original_language,year,countries"


def test_a_soviet_film_imports_with_its_country_and_exports_it_again(org_a):
    rows = [
        "SU-1,feature,Летят журавли,The Cranes Are Flying,rus,1957,SU",
        "YU-1,feature,Битка на Неретви,The Battle of Neretva,sh,1969,YU;DE;IT",
        "CS-1,feature,Поезда под пристальным наблюдением,Closely Watched Trains,cze,1966,CS",
    ]
    result = import_works(csv_bytes(rows, header=HEADER), "back-catalogue.csv", org_a)
    assert result.created == 3
    cranes = Work.objects.get(owner=org_a, ref="SU-1")
    assert cranes.countries == ["SUHH"] and cranes.original_language == "ru"
    assert Work.objects.get(ref="YU-1").countries == ["YUCS", "DE", "IT"]
    assert Work.objects.get(ref="YU-1").original_language == "sr-Latn"
    assert Work.objects.get(ref="CS-1").countries == ["CSHH"]
    exported = export_works(org_a, "csv").decode("utf-8-sig")
    assert "SUHH" in exported and "YUCS;DE;IT" in exported
    assert import_works(exported.encode(), "again.csv", org_a).updated == 3  # the export reads back
    assert Work.objects.get(ref="SU-1").countries == ["SUHH"]


def test_a_country_that_never_was_still_refuses_the_row_by_name(org_a):
    with pytest.raises(ImportRejected) as refused:
        import_works(csv_bytes(["X-1,feature,Фильм,Film,ru,1990,QQ"], header=HEADER), "bad.csv", org_a)
    assert [(p["row"], p["column"]) for p in refused.value.problems] == [(2, "countries")]
    assert "'QQ'" in refused.value.problems[0]["message"]
    assert not Work.objects.filter(owner=org_a).exists()


def test_three_letter_and_legacy_tags_are_one_language_with_two_letter_ones(org_a):
    work = services.save_work(
        org_a, services.WorkInput(ref="R-1", kind="feature", titles={"rus": "Брат", "iw": "אח"}, original_language="rus")
    )[0]
    assert sorted(loc.language for loc in work.localizations.all()) == ["he", "ru"]
    services.save_work(org_a, services.WorkInput(ref="R-1", kind="feature", titles={"ru": "Брат 2"}))
    assert list(Work.objects.get(pk=work.pk).localizations.filter(language__in=["ru", "rus"]).values_list("title", flat=True)) == ["Брат 2"]


def test_a_bad_tag_is_refused_and_nothing_is_written(org_a):
    with pytest.raises(InvalidInput, match="en-XX"):
        services.save_work(org_a, services.WorkInput(ref="R-2", kind="feature", titles={"en-XX": "Brother"}))
    assert not Work.objects.filter(ref="R-2").exists()


@pytest.mark.parametrize("language, name", [("ru", "СССР"), ("zh-hans", "苏联"), ("en", "USSR")])
def test_the_work_page_names_former_countries_in_the_readers_language(client_a, org_a, language, name):
    work = services.save_work(org_a, services.WorkInput(ref="SU-2", kind="feature", titles={"ru": "Солярис"}, countries=["SU", "XK"]))[0]
    page = client_a.get(f"/studio/works/{work.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert name in page and "SUHH" not in page


def test_the_migration_canonicalises_stored_tags_and_merges_what_became_one_language(org_a):
    work = services.save_work(org_a, services.WorkInput(ref="M-1", kind="feature", titles={"ru": "Брат"}))[0]
    # rows as the old code stored them: 3-letter and legacy tags next to canonical ones
    Work.objects.filter(pk=work.pk).update(original_language="rus")
    WorkLocalization.objects.filter(work=work, language="ru").update(synopsis="")
    WorkLocalization.objects.create(work=work, language="rus", title="Брат (рус.)", synopsis="Данила возвращается из армии.")
    WorkLocalization.objects.create(work=work, language="cmn-Hans", title="兄弟")
    WorkLocalization.objects.create(work=work, language="zz-Bogus", title="?")
    migration = importlib.import_module("kinomost.catalog.migrations.0008_canonical_language_tags")
    migration.canonicalise(apps, None)
    work.refresh_from_db()
    assert work.original_language == "ru"
    stored = {loc.language: (loc.title, loc.synopsis) for loc in work.localizations.all()}
    assert stored == {"ru": ("Брат", "Данила возвращается из армии."), "zh-Hans": ("兄弟", ""), "zz-Bogus": ("?", "")}
