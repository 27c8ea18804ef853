"""rights.blocking: why a work of the catalogue is not available for a request — granted to whom
under which contract until when, held back, or not held."""

from datetime import date

import pytest

from kinomost.rights import blocking
from kinomost.rights.ledger import ContractInput, TermInput, record_holdback
from tests.factories import give, hold, make_work

pytestmark = pytest.mark.django_db

WINDOW = (date(2027, 1, 1), date(2030, 1, 1))


def test_each_blocker_names_what_blocks_and_until_when(org_a, org_b):
    granted, held_back, free, not_held = (make_work(org_a, ref) for ref in ("granted", "held-back", "free", "not-held"))
    hold(org_a, [granted, held_back, free], territories=["CN"], media="svod")
    give(org_a, org_b, [granted], ref="KM-DEAL-7", end="2029-06-01")
    record_holdback(
        org_a,
        TermInput(works=[held_back], territories=["CN"], media=["svod"], start="2026-06-01", end=None),
        contract=ContractInput(reference="HB-1"),
    )
    found = blocking.blockers(org_a, [granted.pk, held_back.pk, free.pk, not_held.pk], ["CN"], ["svod"], WINDOW, True)
    assert free.pk not in found
    assert found[granted.pk] == [blocking.Blocker(blocking.GRANTED, org_b.name, "KM-DEAL-7", date(2029, 6, 1))]
    assert found[held_back.pk] == [blocking.Blocker(blocking.HELD_BACK, "", "HB-1", None)]
    assert found[not_held.pk] == [blocking.Blocker(blocking.NOT_HELD)]


def test_a_non_exclusive_request_is_not_blocked_by_a_non_exclusive_grant(org_a, org_b):
    work = make_work(org_a, "shared")
    hold(org_a, [work], territories=["CN"], media="svod")
    give(org_a, org_b, [work], exclusive=False)
    assert blocking.blockers(org_a, [work.pk], ["CN"], ["svod"], WINDOW, False) == {}
    assert blocking.blockers(org_a, [work.pk], ["CN"], ["svod"], WINDOW, True)[work.pk][0].reason == blocking.GRANTED


def test_the_catalogue_is_what_the_licensor_owns_or_holds_top_level(org_a, org_b):
    own, episode_parent = make_work(org_a, "own"), make_work(org_a, "series", kind="series")
    make_work(org_a, "s1", kind="season", parent_ref="series")
    acquired = make_work(org_b, "acquired")
    acquired.is_listed = True  # listed in the market, so another organisation may acquire it
    acquired.save(update_fields=["is_listed"])
    hold(org_a, [acquired], territories=["RU"], media="tv")
    assert set(blocking.catalogue_works(org_a)) == {own.pk, episode_parent.pk, acquired.pk}
    assert blocking.catalogue_works(org_a, kinds=["series"]) == [episode_parent.pk]
