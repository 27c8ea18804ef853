"""Availability: free sub-windows and the reason for every gap; series inheritance; search;
tenancy of the selectors; the storefront's licence check."""

from datetime import date

import pytest

from kinomost.core.errors import Conflict
from kinomost.core.periods import Period
from kinomost.rights import ledger
from kinomost.rights.availability import (
    CONFLICTING_GRANT,
    HOLDBACK,
    MISSING_HOLDING,
    availability,
    find_available,
    grants_by,
    grants_to,
    holdbacks_of,
    holdings_of,
)
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.rights.licensed import is_licensed
from tests.factories import give, hold, make_work

D = date
WINDOW = (D(2027, 1, 1), D(2030, 1, 1))


@pytest.fixture
def series(org_a):
    """A series with one season of two episodes."""
    show = make_work(org_a, "s", kind="series")
    season = make_work(org_a, "s1", kind="season", parent_ref="s")
    e1 = make_work(org_a, "s1e1", kind="episode", parent_ref="s1")
    e2 = make_work(org_a, "s1e2", kind="episode", parent_ref="s1")
    return show, season, e1, e2


def cell(result, work, territory="CN", media="svod"):
    return next(c for c in result[work.pk].cells if (c.territory, c.media) == (territory, media))


def test_free_sub_windows_and_reasons_for_every_gap(org_a, org_b, org_c, film):
    hold(org_a, [film], start="2026-01-01", end="2029-07-01")
    give(org_a, org_b, [film], start="2027-06-01", end="2028-01-01", exclusive=False, ref="LIC-B")
    ledger.record_holdback(
        org_a,
        TermInput(works=[film], territories="CN", media="svod", start="2028-03-01", end="2028-04-01"),
        contract=ContractInput(reference="HB"),
    )
    result = availability(org_a, [film], ["CN"], ["svod"], WINDOW, exclusive=True)
    c = cell(result, film)
    assert not result[film.pk].available
    assert c.free == [Period(D(2027, 1, 1), D(2027, 6, 1)), Period(D(2028, 1, 1), D(2028, 3, 1)), Period(D(2028, 4, 1), D(2029, 7, 1))]
    assert [(g.reason, g.period) for g in c.gaps] == [
        (CONFLICTING_GRANT, Period(D(2027, 6, 1), D(2028, 1, 1))),
        (HOLDBACK, Period(D(2028, 3, 1), D(2028, 4, 1))),
        (MISSING_HOLDING, Period(D(2029, 7, 1), D(2030, 1, 1))),
    ]
    grant_gap = c.gaps[0]
    assert (grant_gap.contract_ref, grant_gap.licensee, grant_gap.licensee_id) == ("LIC-B", org_b.name, org_b.pk)


def test_a_non_exclusive_request_ignores_non_exclusive_grants(org_a, org_b, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], exclusive=False)
    assert availability(org_a, [film], ["CN"], ["svod"], WINDOW, exclusive=False)[film.pk].available
    assert not availability(org_a, [film], ["CN"], ["svod"], WINDOW, exclusive=True)[film.pk].available


def test_groups_are_expanded_and_every_cell_reported(org_a, film):
    hold(org_a, [film], territories="CN", media="vod")
    result = availability(org_a, [film], ["GREATER_CHINA"], ["vod"], WINDOW, exclusive=False)
    cn = [c for c in result[film.pk].cells if c.territory == "CN"]
    assert cn and all(c.available for c in cn)
    assert all(not c.available for c in result[film.pk].cells if c.territory != "CN")


def test_open_request_window(org_a, film):
    hold(org_a, [film], start="2026-01-01", end=None)
    assert availability(org_a, [film], ["CN"], ["svod"], (D(2027, 1, 1), None), exclusive=True)[film.pk].available


def test_a_package_is_answered_in_a_few_queries(org_a, film, django_assert_max_num_queries):
    works = [make_work(org_a, f"film-{i}") for i in range(30)]
    hold(org_a, works, territories="CN, RU", media="vod")
    with django_assert_max_num_queries(3):
        result = availability(org_a, works, ["CN", "RU"], ["vod"], WINDOW, exclusive=True)
    assert len(result) == 30 and all(r.available for r in result.values())


# ---------------------------------------------------------------- series


def test_episodes_inherit_the_series_holding(org_a, org_b, series):
    show, season, e1, e2 = series
    hold(org_a, [show], territories="CN", media="svod")
    assert availability(org_a, [e1, e2, season], ["CN"], ["svod"], WINDOW, True)[e1.pk].available
    give(org_a, org_b, [e1])  # an episode granted on its own, from the series' holding
    assert is_licensed(org_b, e1, "CN", "svod", D(2027, 5, 1))
    assert not is_licensed(org_b, e2, "CN", "svod", D(2027, 5, 1))


def test_an_episode_with_its_own_holdings_does_not_inherit(org_a, series):
    show, season, e1, e2 = series
    hold(org_a, [show], territories="CN", media="svod")
    hold(org_a, [e1], territories="CN", media="svod", start="2028-01-01", end=None, ref="ACQ-E1")
    result = availability(org_a, [e1, e2], ["CN"], ["svod"], WINDOW, True)
    assert [g.reason for g in cell(result, e1).gaps] == [MISSING_HOLDING]
    assert cell(result, e1).free == [Period(D(2028, 1, 1), D(2030, 1, 1))]
    assert result[e2.pk].available


def test_a_series_grant_blocks_its_episodes_and_an_episode_grant_blocks_the_series(org_a, org_b, org_c, series):
    show, season, e1, e2 = series
    hold(org_a, [show], territories="CN", media="svod")
    give(org_a, org_b, [e1], ref="LIC-E1")
    result = availability(org_a, [show, season, e1, e2], ["CN"], ["svod"], WINDOW, True)
    assert not result[show.pk].available and not result[season.pk].available and not result[e1.pk].available
    assert result[e2.pk].available
    assert cell(result, show).gaps[0].work_id == e1.pk
    give(org_a, org_c, [e2], ref="LIC-E2")


def test_a_season_grant_is_seen_by_the_storefront_on_its_episodes(org_a, org_b, series):
    show, season, e1, e2 = series
    hold(org_a, [show], territories="CN", media="svod")
    give(org_a, org_b, [season])
    assert is_licensed(org_b, e2, "CN", "svod", D(2028, 1, 1))
    assert not is_licensed(org_b, e2, "CN", "svod", D(2030, 1, 1))  # end is exclusive
    assert not is_licensed(org_b, e2, "RU", "svod", D(2028, 1, 1))
    with pytest.raises(Conflict, match="LIC-1"):
        give(org_a, org_b, [e1], ref="LIC-AGAIN")


# ---------------------------------------------------------------- find_available


def test_find_available_lists_works_free_for_the_whole_request(org_a, org_b, series):
    show, season, e1, e2 = series
    free = make_work(org_a, "free")
    sold = make_work(org_a, "sold")
    short = make_work(org_a, "short-holding")
    unheld = make_work(org_a, "unheld")
    hold(org_a, [free, sold, show], territories="CN", media="svod")
    hold(org_a, [short], territories="CN", media="svod", end="2028-01-01", ref="ACQ-2")
    give(org_a, org_b, [sold], exclusive=False)
    found = find_available(org_a, "CN", "svod", WINDOW, exclusive=True)
    assert free.pk in found and show.pk in found and e1.pk in found
    assert sold.pk not in found and short.pk not in found and unheld.pk not in found
    assert find_available(org_a, "CN", "svod", WINDOW, exclusive=True, kinds=["feature"]) == [free.pk]
    assert sold.pk in find_available(org_a, "CN", "svod", WINDOW, exclusive=False)
    assert find_available(org_a, "RU", "svod", WINDOW, exclusive=False) == []


def test_find_available_through_a_received_grant(org_a, org_b, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], sublicensable=True)
    assert find_available(org_b, "CN", "svod", (D(2027, 1, 1), D(2028, 1, 1)), exclusive=True) == [film.pk]
    assert find_available(org_b, "CN", "svod", (D(2029, 1, 1), D(2031, 1, 1)), exclusive=True) == []


# ---------------------------------------------------------------- tenancy


def test_each_organisation_sees_only_its_own_positions(org_a, org_b, org_c, actor_a, actor_b, film):
    hold(org_a, [film])
    give(org_a, org_b, [film])
    ledger.record_holdback(
        org_a, TermInput(works=[film], territories="RU", media="svod", start="2027-01-01"), contract=ContractInput(reference="HB")
    )
    assert set(holdings_of(actor_a).values_list("kind", flat=True)) == {"holding"}
    assert set(holdings_of(actor_b).values_list("kind", flat=True)) == {"grant"}
    assert grants_by(actor_a).count() == 1 and not grants_by(actor_b).exists()
    assert grants_to(actor_b).count() == 1 and not grants_to(actor_a).exists()
    assert holdbacks_of(actor_a).count() == 1 and not holdbacks_of(actor_b).exists()
    assert not any(q.exists() for q in (holdings_of(org_c), grants_by(org_c), grants_to(org_c), holdbacks_of(org_c)))


def test_availability_is_computed_from_the_licensors_own_positions(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], exclusive=True)
    # org_c holds nothing: everything is missing, and org_a's grant is not shown to it
    result = availability(org_c, [film], ["CN"], ["svod"], WINDOW, True)
    assert [g.reason for g in cell(result, film).gaps] == [MISSING_HOLDING]


def test_is_licensed_by_date_and_holder(org_a, org_b, org_c, film):
    hold(org_a, [film], territories="RU", media="svod", start="2026-01-01", end=None)
    assert is_licensed(org_a, film, "RU", "svod", D(2040, 1, 1))
    assert not is_licensed(org_a, film, "RU", "svod", D(2025, 12, 31))
    assert not is_licensed(org_c, film, "RU", "svod", D(2027, 1, 1))
    assert not is_licensed(org_a, film, "RU", "avod", D(2027, 1, 1))
    term = give(org_a, org_b, [film], territories="RU", start="2027-01-01", end=None, exclusive=False)
    assert is_licensed(org_b, film, "RU", "svod", D(2027, 1, 1))
    ledger.terminate(org_a, term, "2028-01-01")
    assert not is_licensed(org_b, film, "RU", "svod", D(2028, 1, 1))
    assert not is_licensed(org_b, 10**9, "RU", "svod", D(2027, 1, 1))
