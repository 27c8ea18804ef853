"""People search (catalog.search.people): a person is found by the start of any word of any
spelling kept for them, anywhere inside a Han name, by an index lookup that does not grow with
the catalogue; the keys follow every save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinomost.catalog import selectors as catalog
from kinomost.catalog.models import Credit, Person, PersonNameKey, Work
from kinomost.catalog.search.people import index_people, name_keys, people_named, reindex_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def balabanov():
    return Person.objects.create(name="Aleksei Balabanov", names={"ru": "Алексей Балабанов", "zh-Hans": "阿列克谢·巴拉巴诺夫"})


@pytest.fixture
def zhang():
    return Person.objects.create(name="张艺谋", names={"en": "Zhang Yimou", "ru": "Чжан Имоу"})


def test_a_word_start_of_any_spelling_in_any_case_finds_the_person(balabanov, zhang):
    for query in ("балабанов", "БАЛАБ", "Balabanov", "aleksei bal", "  Алексей   Балабанов ", "巴拉巴诺夫", "拉巴诺", "阿列克谢·巴拉"):
        assert people_named(query) == [balabanov.pk], query
    for query in ("艺谋", "张艺谋", "zhang yi", "имоу"):
        assert people_named(query) == [zhang.pk], query


def test_what_does_not_match(balabanov):
    assert people_named("alabanov") == []  # the middle of a Latin or Cyrillic word: not a name anyone types
    assert people_named("b") == [] and people_named("") == [] and people_named("--") == []
    assert people_named("balabanov sergei") == []  # every word of the query must be in one spelling


def test_keys_follow_a_rename_a_bulk_insert_and_a_rebuild(balabanov):
    balabanov.names = {"ru": "Алексей Октябринович Балабанов"}
    balabanov.save()
    assert people_named("октябр") == [balabanov.pk] and people_named("巴拉巴诺夫") == []
    bulk = Person.objects.bulk_create([Person(name="Renata Litvinova")])  # no post_save
    assert people_named("litvinova") == []
    index_people(p.pk for p in bulk)
    assert people_named("litvinova") == [bulk[0].pk]
    PersonNameKey.objects.all().delete()
    assert reindex_people() == 2 and people_named("balab") == [balabanov.pk]
    assert set(PersonNameKey.objects.filter(person=balabanov).values_list("key", flat=True)) == name_keys(balabanov.name, balabanov.names)


def test_works_crediting_reads_the_matches_not_the_catalogue(org_a, balabanov):
    from kinomost.catalog.services import WorkInput, save_work

    works = [save_work(org_a, WorkInput(ref=f"w{i}", kind="feature", titles={"en": f"W{i}"}))[0] for i in range(40)]
    other = Person.objects.create(name="Sergei Bodrov")
    Credit.objects.bulk_create([Credit(work=w, person=other, role="actor") for w in works])
    Credit.objects.create(work=works[7], person=balabanov, role="director", order=1)
    Credit.objects.create(work=works[3], person=balabanov, role="director", order=0)
    Credit.objects.create(work=works[5], person=balabanov, role="writer")  # not a role asked for
    shown = [w.pk for w in works[:7]]  # works[7] is not among them

    def among(work):
        return Work.objects.filter(pk=work, pk__in=shown)

    with CaptureQueriesContext(connection) as captured:
        assert catalog.works_crediting("балабанов", ["actor", "director"], among, limit=50) == [works[3].pk]
    assert len(captured) == 3  # keys → people, their spellings, their credits among the works
    assert all(len(q["sql"]) < 2000 for q in captured)  # no list of every work or credit in the SQL
    assert "EXISTS" in captured[-1]["sql"]  # each credit probes the shown set; the set is never read whole
    assert catalog.works_crediting("bodrov", ["actor"], lambda work: Work.objects.filter(pk=work), limit=5) == [w.pk for w in works[:5]]
