"""The ledger's rules: what may be granted, what is refused and why, termination, holdbacks."""

from datetime import date

import pytest

from kinomost.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kinomost.core.models import AuditEvent
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from kinomost.rights import ledger
from kinomost.rights.availability import availability, grants_by, holdings_of
from kinomost.rights.ledger import ContractInput, TermInput
from kinomost.rights.models import OPEN_END, AtomKind, RightAtom
from tests.factories import give, hold, make_work

D = date


# ---------------------------------------------------------------- holdings and atoms


def test_a_holding_explodes_into_one_atom_per_work_country_and_media_leaf(org_a, film):
    other = make_work(org_a, "stalker")
    term = hold(org_a, [film, other], territories="CIS", media="vod", start="2026-01-01", end="2031-01-01")
    atoms = RightAtom.objects.filter(term=term)
    from kinomost.core import media, territories

    assert atoms.count() == 2 * len(territories.expand("CIS")) * len(media.expand("vod"))
    atom = atoms.get(work=film, territory="KZ", media="svod")
    assert (atom.kind, atom.holder_id, atom.start, atom.end, atom.effective_end) == (
        AtomKind.HOLDING,
        org_a.pk,
        D(2026, 1, 1),
        D(2031, 1, 1),
        D(2031, 1, 1),
    )
    assert AuditEvent.objects.filter(action="rights.holding_recorded", organisation_id=org_a.pk).exists()


def test_open_end_is_stored_as_the_sentinel_and_read_back_as_none(org_a, film):
    term = hold(org_a, [film], territories="RU", media="svod")
    atom = RightAtom.objects.get(term=term)
    assert atom.end == OPEN_END and atom.period.end is None
    assert term.end is None


def test_territory_expression_with_exclusions(org_a, film):
    term = hold(org_a, [film], territories="WORLD excluding CN", media="svod")
    countries = set(RightAtom.objects.filter(term=term).values_list("territory", flat=True))
    assert "CN" not in countries and {"RU", "US", "HK"} <= countries
    term2 = hold(org_a, [film], territories=["GREATER_CHINA"], territories_excluded=["HK"], media="svod", ref="ACQ-2")
    assert "HK" not in set(RightAtom.objects.filter(term=term2).values_list("territory", flat=True))


def test_invalid_terms_are_refused_with_every_problem_named(org_a, film):
    with pytest.raises(InvalidInput) as exc:
        hold(org_a, [film], territories="XX", media="cinema", start="2027-01-01", end="2026-01-01", languages=[("ru", "whispered")])
    assert set(exc.value.field_problems()) == {"territories", "media", "window", "languages"}
    with pytest.raises(InvalidInput, match="reference"):
        ledger.record_holding(
            org_a, TermInput(works=[film], territories="RU", media="svod", start="2026-01-01"), contract=ContractInput(reference=" ")
        )


def test_languages_are_kept_on_the_term(org_a, film):
    term = hold(org_a, [film], territories="RU", media="svod", languages=[("ru", "original"), {"language": "EN", "use": "subtitled"}])
    assert term.languages == [{"language": "ru", "use": "original"}, {"language": "en", "use": "subtitled"}]


def test_holding_of_another_organisations_unlisted_work_is_not_found(org_a, org_b, film):
    with pytest.raises(NotFound):
        hold(org_b, [film], territories="CN", media="svod")


def test_a_read_only_actor_may_not_record_rights(org_a, film):
    with pytest.raises(PermissionDenied):
        hold(Actor(organisation=org_a, role=Role.READ_ONLY), [film], territories="RU", media="svod")


# ---------------------------------------------------------------- rule 1: only what is held


def test_grant_within_a_sublicensable_holding_succeeds_and_is_audited(org_a, org_b, film, actor_a):
    hold(org_a, [film])
    term = give(actor_a, org_b, [film])
    atom = RightAtom.objects.get(term=term)
    assert (atom.kind, atom.holder_id, atom.licensee_id, atom.exclusive) == (AtomKind.GRANT, org_a.pk, org_b.pk, True)
    assert term.contract.licensor == org_a and term.contract.licensee == org_b
    assert AuditEvent.objects.filter(action="rights.granted", organisation_id=org_a.pk).exists()


def test_grant_without_holding_is_refused_naming_each_cell(org_a, org_b, film):
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film], territories="CN, HK", media="svod")
    details = exc.value.details
    assert {(d["territory"], d["media"], d["reason"], d["window"]) for d in details} == {
        ("CN", "svod", "missing_holding", "[2027-01-01, 2030-01-01)"),
        ("HK", "svod", "missing_holding", "[2027-01-01, 2030-01-01)"),
    }
    assert "brother" in exc.value.message and "not held with the right to sublicense" in exc.value.message
    assert not RightAtom.objects.filter(kind=AtomKind.GRANT).exists()


def test_grant_beyond_the_holding_window_names_the_uncovered_part(org_a, org_b, film):
    hold(org_a, [film], start="2026-01-01", end="2029-01-01")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film])
    assert [(d["reason"], d["window"]) for d in exc.value.details] == [("missing_holding", "[2029-01-01, 2030-01-01)")]


def test_holding_without_sublicence_right_cannot_be_granted(org_a, org_b, film):
    hold(org_a, [film], sublicensable=False)
    with pytest.raises(Conflict, match="not held"):
        give(org_a, org_b, [film])


def test_exclusive_grant_needs_an_exclusive_holding(org_a, org_b, film):
    hold(org_a, [film], exclusive=False)
    with pytest.raises(Conflict):
        give(org_a, org_b, [film], exclusive=True)
    give(org_a, org_b, [film], exclusive=False)


def test_partial_refusal_writes_nothing(org_a, org_b, film):
    other = make_work(org_a, "stalker")
    hold(org_a, [film])
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film, other])
    assert {d["work_ref"] for d in exc.value.details} == {"stalker"}
    assert not grants_by(org_a).exists()


# ---------------------------------------------------------------- rule 2: overlapping grants


def test_exclusive_grant_may_not_overlap_another_grant(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], exclusive=False, ref="LIC-NONEX")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_c, [film], start="2029-06-01", end="2031-01-01", ref="LIC-2")
    [detail] = exc.value.details
    assert detail["reason"] == "conflicting_grant"
    assert detail["window"] == "[2029-06-01, 2030-01-01)"
    assert (detail["contract"], detail["licensee"], detail["exclusive"]) == ("LIC-NONEX", org_b.name, False)
    assert "LIC-NONEX" in exc.value.message and org_b.name in exc.value.message


def test_non_exclusive_grant_may_not_overlap_an_exclusive_one(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], exclusive=True, ref="LIC-EX")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_c, [film], exclusive=False)
    assert exc.value.details[0]["contract"] == "LIC-EX"


def test_non_exclusive_grants_may_overlap_each_other(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], exclusive=False)
    give(org_a, org_c, [film], exclusive=False, ref="LIC-2")
    assert grants_by(org_a).count() == 2


def test_adjacent_windows_do_not_overlap(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], start="2027-01-01", end="2028-01-01")
    give(org_a, org_c, [film], start="2028-01-01", end="2029-01-01", ref="LIC-2")
    assert _exclusive_grants(film) == [
        ("kazakh-film", "CN", "svod", date(2028, 1, 1), date(2029, 1, 1)),
        ("shanghai-media", "CN", "svod", date(2027, 1, 1), date(2028, 1, 1)),
    ]


def test_other_territories_and_media_are_independent(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], territories="CN", media="svod")
    give(org_a, org_c, [film], territories="HK", media="svod", ref="LIC-2")
    give(org_a, org_c, [film], territories="CN", media="avod", ref="LIC-3")
    assert [(licensee, territory, media) for licensee, territory, media, _start, _end in _exclusive_grants(film)] == [
        ("kazakh-film", "CN", "avod"),
        ("kazakh-film", "HK", "svod"),
        ("shanghai-media", "CN", "svod"),
    ]


def _exclusive_grants(work) -> list[tuple]:
    """The exclusive grant atoms of a work, as (licensee, territory, media, start, end), sorted."""
    atoms = RightAtom.objects.filter(work=work, kind=AtomKind.GRANT, exclusive=True).select_related("licensee")
    return sorted((a.licensee.slug, a.territory, a.media, a.start, a.end) for a in atoms)


def test_media_group_grant_is_checked_leaf_by_leaf(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], media="svod")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_c, [film], media="vod", ref="LIC-2")
    assert {d["media"] for d in exc.value.details} == {"svod"}


# ---------------------------------------------------------------- rule 3: holdbacks


def test_holdback_blocks_grants_in_its_window_only(org_a, org_b, film):
    hold(org_a, [film])
    ledger.record_holdback(
        org_a,
        TermInput(works=[film], territories="CN", media="vod", start="2027-01-01", end="2028-01-01"),
        contract=ContractInput(reference="HB-1"),
    )
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film])
    [detail] = exc.value.details
    assert (detail["reason"], detail["window"], detail["contract"]) == ("holdback", "[2027-01-01, 2028-01-01)", "HB-1")
    assert "held back" in exc.value.message
    give(org_a, org_b, [film], start="2028-01-01")


def test_another_organisations_holdback_does_not_bind_the_licensor(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(
        org_a, org_b, [film], territories="RU", media="svod", start="2026-01-01", end=None, sublicensable=True, exclusive=False, ref="LIC-B"
    )
    ledger.record_holdback(
        org_b, TermInput(works=[film], territories="CN", media="svod", start="2027-01-01"), contract=ContractInput(reference="HB-B")
    )
    give(org_a, org_c, [film])
    assert ("kazakh-film", "CN", "svod", date(2027, 1, 1), date(2030, 1, 1)) in _exclusive_grants(film)


# ---------------------------------------------------------------- chains


def test_a_grant_received_with_sublicence_right_can_be_granted_on(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], sublicensable=True, ref="LIC-AB")
    give(org_b, org_c, [film], start="2027-06-01", end="2028-01-01", ref="LIC-BC")
    with pytest.raises(Conflict, match="not held"):
        give(org_b, org_c, [film], start="2029-06-01", end="2031-01-01", ref="LIC-BC2")
    assert holdings_of(org_b).filter(kind=AtomKind.GRANT).count() == 1


def test_a_grant_received_without_sublicence_right_cannot(org_a, org_b, org_c, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], sublicensable=False)
    with pytest.raises(Conflict):
        give(org_b, org_c, [film], exclusive=False)


def test_grant_to_oneself_is_invalid(org_a, film):
    hold(org_a, [film])
    with pytest.raises(InvalidInput):
        give(org_a, org_a, [film])


# ---------------------------------------------------------------- termination


def test_termination_frees_the_rest_of_the_window_and_deletes_nothing(org_a, org_b, org_c, film):
    hold(org_a, [film])
    term = give(org_a, org_b, [film])
    changed = ledger.terminate(org_a, term, "2028-07-01")
    assert changed == 1
    atom = RightAtom.objects.get(term=term)
    assert (atom.end, atom.ends_early_on, atom.effective_end) == (D(2030, 1, 1), D(2028, 7, 1), D(2028, 7, 1))
    with pytest.raises(Conflict):
        give(org_a, org_c, [film], start="2028-01-01", end="2029-01-01", ref="LIC-2")
    give(org_a, org_c, [film], start="2028-07-01", end="2030-01-01", ref="LIC-3")
    assert AuditEvent.objects.filter(action="rights.terminated").exists()


def test_terminating_a_contract_before_it_starts_frees_it_all(org_a, org_b, org_c, film):
    hold(org_a, [film])
    term = give(org_a, org_b, [film], territories="CN, HK")
    assert ledger.terminate(org_a, term.contract, "2026-06-01") == 2
    result = availability(org_a, [film], ["CN", "HK"], ["svod"], (D(2027, 1, 1), D(2030, 1, 1)), True)
    assert result[film.pk].available
    assert set(RightAtom.objects.filter(term=term).values_list("effective_end", flat=True)) == {D(2027, 1, 1)}


def test_termination_ends_the_licensees_holding_too(org_a, org_b, org_c, film):
    hold(org_a, [film])
    term = give(org_a, org_b, [film], sublicensable=True)
    ledger.terminate(org_a, term, "2028-01-01")
    with pytest.raises(Conflict) as exc:
        give(org_b, org_c, [film], ref="LIC-BC")
    assert [d["window"] for d in exc.value.details] == ["[2028-01-01, 2030-01-01)"]


def test_only_the_licensor_may_terminate(org_a, org_b, film):
    hold(org_a, [film])
    term = give(org_a, org_b, [film])
    with pytest.raises(PermissionDenied):
        ledger.terminate(org_b, term, "2028-01-01")


def test_a_later_termination_never_extends_an_earlier_one(org_a, org_b, film):
    hold(org_a, [film])
    term = give(org_a, org_b, [film])
    ledger.terminate(org_a, term, "2028-01-01")
    assert ledger.terminate(org_a, term, "2029-01-01") == 0
    assert RightAtom.objects.get(term=term).effective_end == D(2028, 1, 1)


# ---------------------------------------------------------------- refusals travel well


def test_a_refusal_serialises_for_the_api(org_a, org_b, film):
    import json

    hold(org_a, [film])
    give(org_a, org_b, [film], ref="LIC-EX")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film], exclusive=False, ref="LIC-2")
    body = json.loads(json.dumps(exc.value.as_dict()))
    assert body["error"] == "conflict"
    assert body["details"][0] | {"atom": None} == {
        "work": film.pk,
        "work_ref": "brother",
        "territory": "CN",
        "media": "svod",
        "reason": "conflicting_grant",
        "window": "[2027-01-01, 2030-01-01)",
        "atom": None,
        "on_work": film.pk,
        "contract": "LIC-EX",
        "licensee": org_b.name,
        "licensee_id": org_b.pk,
        "exclusive": True,
    }


def test_holdbacks_are_audited_and_can_be_lifted_by_termination(org_a, org_b, film):
    hold(org_a, [film])
    term = ledger.record_holdback(
        org_a, TermInput(works=[film], territories="CN", media="svod", start="2027-01-01"), contract=ContractInput(reference="HB")
    )
    assert AuditEvent.objects.filter(action="rights.holdback_recorded", organisation_id=org_a.pk).exists()
    with pytest.raises(Conflict, match="held back"):
        give(org_a, org_b, [film])
    ledger.terminate(org_a, term, "2027-01-01")
    give(org_a, org_b, [film])


def test_terminating_a_holding_narrows_what_can_be_granted(org_a, org_b, film):
    term = hold(org_a, [film])
    ledger.terminate(org_a, term.contract, "2028-01-01")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film])
    assert [(d["reason"], d["window"]) for d in exc.value.details] == [("missing_holding", "[2028-01-01, 2030-01-01)")]
    give(org_a, org_b, [film], end="2028-01-01")


def test_contract_keeps_its_external_reference(org_a, org_b, film):
    hold(org_a, [film])
    term = ledger.grant(
        org_a,
        org_b,
        TermInput(works=[film], territories="CN", media="svod", start="2027-01-01"),
        contract=ContractInput(reference="LIC-9", signed_on="2026-11-01", external_ref="exchange.deal:42"),
    )
    assert (term.contract.external_ref, term.contract.signed_on, term.contract.kind) == ("exchange.deal:42", D(2026, 11, 1), "licence")
