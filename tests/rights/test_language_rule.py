"""Rule 1 by language: a grant names only (language, use) pairs its licensor holds, for the
whole window, in every cell; a term naming no language covers all. Rule 2 stays language-blind."""

from datetime import date

import pytest

from kinomost.core.errors import Conflict, InvalidInput
from kinomost.core.periods import Period
from kinomost.rights import ledger
from kinomost.rights.availability import ALL_LANGUAGES, MISSING_HOLDING, availability, find_available
from kinomost.rights.ledger import ContractInput, TermInput, TermRecord
from kinomost.rights.models import Term
from tests.factories import give, hold

RU_DUB = [{"language": "ru", "use": "dubbed"}]
ZH_SUB = [{"language": "zh-hans", "use": "subtitled"}]


def _refusal(exc) -> tuple[str, list[dict]]:
    return exc.value.message, exc.value.details


def test_a_grant_of_the_held_language_is_accepted(org_a, org_b, film):
    hold(org_a, [film], languages=RU_DUB)
    term = give(org_a, org_b, [film], languages=[("ru", "dubbed")])
    assert term.languages == RU_DUB


def test_a_grant_of_a_language_not_held_is_refused_naming_the_pair_cell_and_window(org_a, org_b, film):
    hold(org_a, [film], languages=RU_DUB)
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film], languages=ZH_SUB)
    message, details = _refusal(exc)
    assert "work brother, CN, svod, [2027-01-01, 2030-01-01)" in message and "for zh-Hans subtitled" in message
    assert [(d["territory"], d["media"], d["reason"], d.get("language", "")) for d in details] == [
        ("CN", "svod", MISSING_HOLDING, "zh-Hans subtitled")
    ]
    assert details[0]["window"] == str(Period(date(2027, 1, 1), date(2030, 1, 1)))
    assert not Term.objects.filter(kind="grant").exists()


def test_a_grant_naming_no_language_needs_a_holding_naming_none(org_a, org_b, film):
    hold(org_a, [film], languages=RU_DUB)
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film])
    message, details = _refusal(exc)
    assert f"for {ALL_LANGUAGES}" in message
    assert {d.get("language", "") for d in details} == {ALL_LANGUAGES}


def test_a_holding_naming_no_language_covers_every_grant(org_a, org_b, film):
    hold(org_a, [film])
    give(org_a, org_b, [film], languages=ZH_SUB, ref="LIC-ZH")
    give(org_a, org_b, [film], territories="KZ", languages=RU_DUB + [{"language": "en", "use": "original"}], ref="LIC-KZ")
    give(org_a, org_b, [film], territories="BY", ref="LIC-BY")
    assert Term.objects.filter(kind="grant").count() == 3


def test_two_holdings_may_cover_the_two_pairs_of_one_grant(org_a, org_b, film):
    hold(org_a, [film], languages=RU_DUB, ref="ACQ-RU")
    hold(org_a, [film], languages=ZH_SUB, ref="ACQ-ZH")
    give(org_a, org_b, [film], languages=RU_DUB + ZH_SUB)
    with pytest.raises(Conflict) as exc:  # but not a third pair neither names
        give(org_a, org_b, [film], territories="KZ", languages=RU_DUB + [{"language": "en", "use": "original"}], ref="LIC-EN")
    assert {d.get("language", "") for d in exc.value.details} == {"en original"}


def test_a_pair_held_for_part_of_the_window_is_refused_for_the_rest_only(org_a, org_b, film):
    hold(org_a, [film], languages=RU_DUB, start="2026-01-01", end="2040-01-01", ref="ACQ-RU")
    hold(org_a, [film], languages=ZH_SUB, start="2026-01-01", end="2028-06-01", ref="ACQ-ZH")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film], languages=RU_DUB + ZH_SUB)
    gaps = {(d.get("language", ""), d["window"]) for d in exc.value.details}
    assert gaps == {("zh-Hans subtitled", str(Period(date(2028, 6, 1), date(2030, 1, 1))))}
    found = availability(org_a, [film], ["CN"], ["svod"], Period(date(2027, 1, 1), date(2030, 1, 1)), True, RU_DUB + ZH_SUB)[film.pk]
    assert found.cells[0].free == [Period(date(2027, 1, 1), date(2028, 6, 1))]


def test_without_languages_availability_answers_as_before(org_a, film):
    hold(org_a, [film], languages=RU_DUB)
    window = Period(date(2027, 1, 1), date(2030, 1, 1))
    assert availability(org_a, [film], ["CN"], ["svod"], window, True)[film.pk].available
    assert not availability(org_a, [film], ["CN"], ["svod"], window, True, ZH_SUB)[film.pk].available
    assert availability(org_a, [film], ["CN"], ["svod"], window, True, [("ru", "dubbed")])[film.pk].available
    assert find_available(org_a, "CN", "svod", window, True, ["feature"]) == [film.pk]
    assert find_available(org_a, "CN", "svod", window, True, ["feature"], languages=ZH_SUB) == []
    assert find_available(org_a, "CN", "svod", window, True, ["feature"], languages=RU_DUB) == [film.pk]


def test_a_missing_holding_is_not_blamed_on_language(org_a, org_b, film):
    hold(org_a, [film], territories="KZ", languages=RU_DUB)
    with pytest.raises(Conflict) as exc:
        give(org_a, org_b, [film], languages=ZH_SUB)
    assert [d.get("language", "") for d in exc.value.details] == [""]
    assert "for " not in exc.value.message.split(":", 2)[2]


def test_the_bulk_path_refuses_a_language_not_held_and_records_nothing(org_a, org_b, film):
    hold(org_a, [film], languages=RU_DUB)

    def record(label, languages, territories="CN"):
        term = TermInput(works=[film], territories=territories, media="svod", start="2027-01-01", end="2030-01-01", languages=languages)
        return TermRecord(term=term, contract=ContractInput(reference=label), label=label)

    with pytest.raises(Conflict) as exc:
        ledger.record_terms(org_a, "grant", [record("row 2", RU_DUB), record("row 3", ZH_SUB, "KZ")], licensee=org_b)
    assert exc.value.message.startswith("row 3: ") and "for zh-Hans subtitled" in exc.value.message
    assert [(d["row"], d["territory"], d.get("language", "")) for d in exc.value.details] == [("row 3", "KZ", "zh-Hans subtitled")]
    assert not Term.objects.filter(kind="grant").exists()
    assert len(ledger.record_terms(org_a, "grant", [record("row 2", RU_DUB), record("row 3", RU_DUB, "KZ")], licensee=org_b)) == 2


def test_exclusive_grants_of_different_languages_still_conflict(org_a, org_b, org_c, film):
    """Rule 2 is language-blind: atoms carry no language (docs/rights.md, Languages)."""
    hold(org_a, [film])
    give(org_a, org_b, [film], languages=RU_DUB, ref="LIC-RU")
    with pytest.raises(Conflict) as exc:
        give(org_a, org_c, [film], languages=ZH_SUB, ref="LIC-ZH")
    assert [(d["reason"], d["contract"]) for d in exc.value.details] == [("conflicting_grant", "LIC-RU")]


@pytest.mark.parametrize("languages", ["rus", ["rus"], [("ru",)], [{"language": None, "use": "dubbed"}]])
def test_malformed_languages_are_invalid_input_not_a_crash(org_a, film, languages):
    with pytest.raises(InvalidInput) as exc:
        hold(org_a, [film], languages=languages)
    assert set(exc.value.field_problems()) == {"languages"}


@pytest.mark.parametrize("languages", [["rus"], ["ru"], [("ru",)], [{"language": 5, "use": "dubbed"}], [("ru", "shouted")]])
def test_availability_asked_with_malformed_languages_is_invalid_input_not_a_crash(org_a, film, languages):
    """Availability reads the languages asked for with the ledger's rule (rights.language_pairs):
    "rus" used to raise ValueError (a 500) and "ru" was read as the tag "r" with the use "u"."""
    hold(org_a, [film], languages=RU_DUB)
    with pytest.raises(InvalidInput):
        availability(org_a, [film], ["CN"], ["svod"], Period(date(2027, 1, 1), date(2030, 1, 1)), True, languages)


def test_the_availability_api_takes_languages_and_names_the_one_not_held(client, org_a, film, token_a):
    hold(org_a, [film], languages=RU_DUB)
    body = {"works": ["brother"], "territories": ["CN"], "media": ["svod"], "start": "2027-01-01", "end": "2030-01-01", "exclusive": True}

    def ask(**extra):
        r = client.post(
            "/api/v1/rights/availability", {**body, **extra}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_a}"
        )
        assert r.status_code == 200, r.content
        return r.json()["works"][0]

    assert ask()["available"]  # languages not asked: not considered
    assert ask(languages=RU_DUB)["available"]
    refused = ask(languages=[{"language": "zh-Hans", "use": "subtitled"}])
    assert not refused["available"]
    assert [(g["reason"], g["language"]) for g in refused["cells"][0]["gaps"]] == [(MISSING_HOLDING, "zh-Hans subtitled")]
    assert [g["language"] for g in ask(languages=[])["cells"][0]["gaps"]] == [ALL_LANGUAGES]
