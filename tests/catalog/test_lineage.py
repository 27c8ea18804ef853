import pytest
from kinomost.catalog import selectors
from kinomost.catalog.models import Work
from kinomost.parties.models import Organisation

pytestmark = pytest.mark.django_db


def test_lineage_and_descendants():
    org = Organisation.objects.create(name="O", slug="o", country="RU")
    s = Work.objects.create(owner=org, kind="series", original_title="S", ref="s", year=2020)
    se = Work.objects.create(owner=org, kind="season", original_title="S1", ref="s1", parent=s, number=1, year=2020)
    e = Work.objects.create(owner=org, kind="episode", original_title="E1", ref="e1", parent=se, number=1, year=2020)
    assert selectors.lineage([e.id, se.id, s.id]) == {e.id: (e.id, se.id, s.id), se.id: (se.id, s.id), s.id: (s.id,)}
    assert selectors.descendants([s.id]) == {se.id: s.id, e.id: s.id}
