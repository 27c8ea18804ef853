"""EMA avails into and out of the rights ledger: the conformance samples import, bad files and
refused rows change nothing, re-imports are no-ops, and exports import back unchanged."""

import gc
from datetime import date
from io import BytesIO

import pytest

from kinomost.catalog.models import Identifier, Work
from kinomost.core.errors import Conflict, ImportRejected, InvalidInput
from kinomost.rights.avails import from_ledger, records
from kinomost.rights.avails.export import write_xlsx, write_xml
from kinomost.rights.avails.model import AvailRow
from kinomost.rights.avails.xlsx import read_xlsx
from kinomost.rights.models import AtomKind, Contract, RightAtom, Term
from tests.factories import hold, make_work

from tests.rights.avails_schema import SAMPLES, needs_samples
from tests.rights.avails_schema import VALID_SAMPLES as VALID


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def counts() -> tuple[int, int, int, int]:
    return Contract.objects.count(), Term.objects.count(), RightAtom.objects.count(), Work.objects.count()


def movie(alid, territory="RU", license_type="SVOD", fmt="HD", start="2027-01-01", end="2029-01-01", licensor="Rus Media Group", **extra):
    import datetime as dt

    return AvailRow(
        licensor=licensor,
        work_type="Movie",
        alid=alid,
        territory=territory,
        title_alias=alid.title(),
        license_type=license_type,
        format_profile=fmt,
        start=dt.date.fromisoformat(start),
        end=dt.date.fromisoformat(end) if end else None,
        end_condition=None if end else "Open",
        **extra,
    )


def xlsx(rows) -> bytes:
    out = BytesIO()
    write_xlsx(rows, out)
    return out.getvalue()


def xml(rows) -> bytes:
    out = BytesIO()
    write_xml(rows, out)
    return out.getvalue()


# ---------------------------------------------------------------- the samples, as a licensee


@needs_samples
@pytest.mark.parametrize("name", VALID)
def test_every_valid_sample_imports_into_the_ledger_and_again_changes_nothing(org_b, name):
    result = records.import_avails(org_b, sample(name), name)
    assert result.role == "licensee"
    if name != "Bonus_v1.9.xlsx":  # a bonus sheet grants nothing of its own
        assert result.terms_created > 0
        assert RightAtom.objects.filter(kind=AtomKind.HOLDING, holder=org_b).exists()
    assert not Term.objects.exclude(contract__licensee=org_b).exists()
    before = counts()
    again = records.import_avails(org_b, sample(name), name)
    assert again.terms_created == 0 and again.terms_already_recorded == result.terms_created
    assert counts() == before
    assert gc.isenabled()


@needs_samples
def test_the_sample_with_errors_is_refused_field_by_field_and_changes_nothing(org_b):
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        records.import_avails(org_b, sample("Avails_withErrors.xml"), "Avails_withErrors.xml")
    found = {(p["field"], p["message"].split("'")[1]) for p in caught.value.problems}
    assert found == {
        ("Territory", "JJ"),
        ("RatingValue", "6"),
        ("AllowedLanguages", "XYZ"),
        ("AllowedLanguages", "fr-xx"),
        ("AssetLanguage", "ENg"),
        ("LicenseRightsDescription", "Librry"),
    }
    assert all(p["path"].startswith("/AvailList/Avail[") for p in caught.value.problems)
    assert counts() == before
    assert gc.isenabled(), "the import holds the garbage collector off only while it runs (core.collector)"


@needs_samples
def test_formats_of_one_right_merge_into_one_term_and_open_ends_stay_open(org_b):
    records.import_avails(org_b, sample("Movies_v1.9.xlsx"), "Movies_v1.9.xlsx")
    rows = read_xlsx(SAMPLES / "Movies_v1.9.xlsx").rows
    terms = list(Term.objects.filter(contract__licensee=org_b))
    assert sum(len(t.avail["rows"]) for t in terms) == len(rows)
    assert len(terms) < len(rows)
    assert any({r.format_profile for r in records.kept_rows(t.avail)} == {"SD", "HD"} for t in terms)
    open_ended = [t for t in terms if t.avail["rows"][0].get("end_condition") == "Open"]
    assert open_ended and all(t.end is None for t in open_ended)
    contract = terms[0].contract
    assert contract.licensor is None and contract.licensor_name == "Rockstar Films"


@needs_samples
def test_a_preorder_ending_at_est_start_ends_when_the_est_window_opens(org_b):
    records.import_avails(org_b, sample("Movies_v1.8.xlsx"), "Movies_v1.8.xlsx")
    terms = list(Term.objects.filter(contract__licensee=org_b))
    (poest,) = [t for t in terms if t.media == ["poest"]]
    alid = poest.avail["rows"][0]["alid"]
    est = [t for t in terms if t.media == ["est"] and t.avail["rows"][0]["alid"] == alid and t.territories == poest.territories]
    assert poest.end == min(t.start for t in est) == date(2013, 5, 14)
    assert poest.avail["rows"][0]["end_condition"] == "ESTStart"


@needs_samples
def test_undated_windows_and_withdrawals_are_skipped_with_a_warning(org_b):
    result = records.import_avails(org_b, sample("Movies_v1.7.3.xlsx"), "Movies_v1.7.3.xlsx")
    assert result.rows_skipped == 3  # Start Theatrical, and two pre-orders whose EST row is not in the file
    assert any("Theatrical" in w["message"] for w in result.warnings)
    assert sum("ESTStart" in w["message"] for w in result.warnings) == 2
    world = Term.objects.filter(contract__licensee=org_b, territories=["001"]).first()
    assert world.territories_excluded == ["US", "CA"]
    assert not RightAtom.objects.filter(term=world, territory__in=["US", "CA"]).exists()
    withdrawn = records.import_avails(org_b, sample("Movies_v1.8.xlsx"), "Movies_v1.8.xlsx")
    assert any("Full Delete" in w["message"] for w in withdrawn.warnings)


@needs_samples
def test_tv_rows_build_series_seasons_and_episodes_once(org_b):
    records.import_avails(org_b, sample("TV_v1.9.xlsx"), "TV_v1.9.xlsx")
    episodes = Work.objects.filter(owner=org_b, kind="episode")
    assert episodes.exists() and all(e.parent.kind == "season" and e.parent.parent.kind == "series" for e in episodes)
    assert all(e.number for e in episodes)
    seasons = Work.objects.filter(owner=org_b, kind="season")
    assert len({(s.parent_id, s.number) for s in seasons}) == seasons.count()
    assert Work.objects.filter(owner=org_b, kind="series").count() == 1
    records.import_avails(org_b, sample("TV_v1.8.xlsx"), "TV_v1.8.xlsx")  # another SeriesContentID: another series
    assert Work.objects.filter(owner=org_b, kind="series").count() == 2
    assert not Work.objects.filter(owner=org_b, kind="episode").exclude(identifiers__namespace="alid").exists()


@needs_samples
def test_works_are_matched_by_alid_among_works_the_importer_can_see(org_a, org_b):
    listed = make_work(org_a, "listed-view")
    listed.is_listed = True
    listed.save()
    Identifier.objects.create(work=listed, namespace="alid", value="VIEW_MT_2006")
    result = records.import_avails(org_b, sample("Movies_v1.8.xlsx"), "Movies_v1.8.xlsx")
    assert result.works_matched == 1
    assert Term.objects.filter(contract__licensee=org_b, works=listed).exists()
    assert not Work.objects.filter(owner=org_b, ref="VIEW_MT_2006").exists()


# ---------------------------------------------------------------- as the licensor: grants


def test_own_avails_are_grants_checked_by_the_ledger(org_a, org_b):
    film = make_work(org_a, "brother")
    Identifier.objects.create(work=film, namespace="alid", value="BROTHER")
    hold(org_a, [film], territories="WORLD", media="vod", start="2026-01-01")
    data = xlsx([movie("BROTHER", fmt="SD"), movie("BROTHER", fmt="HD"), movie("BROTHER", territory="KZ", exclusive=True)])
    with pytest.raises(ImportRejected) as caught:
        records.import_avails(org_a, data, "a.xlsx")
    assert "licensee" in caught.value.message
    result = records.import_avails(org_a, data, "a.xlsx", licensee=org_b)
    assert result.role == "licensor" and result.terms_created == 2
    grants = RightAtom.objects.filter(kind=AtomKind.GRANT, holder=org_a, licensee=org_b)
    assert set(grants.values_list("territory", flat=True)) == {"RU", "KZ"}
    assert records.import_avails(org_a, data, "a.xlsx", licensee=org_b).terms_created == 0


def test_a_row_the_ledger_refuses_refuses_the_file_and_names_the_row(org_a, org_b, org_c):
    film = make_work(org_a, "brother")
    Identifier.objects.create(work=film, namespace="alid", value="BROTHER")
    hold(org_a, [film], territories="WORLD", media="vod", start="2026-01-01")
    records.import_avails(org_a, xlsx([movie("BROTHER", territory="KZ", exclusive=True)]), "first.xlsx", licensee=org_b)
    before = counts()
    data = xlsx([movie("BROTHER", territory="RU"), movie("BROTHER", territory="KZ", start="2028-01-01", end="2028-06-01")])
    with pytest.raises(ImportRejected) as caught:
        records.import_avails(org_a, data, "second.xlsx", licensee=org_c)
    assert [(p["row"], p["column"]) for p in caught.value.problems] == [(5, "")]
    assert "already granted" in caught.value.problems[0]["message"]
    assert counts() == before


def test_rows_of_one_file_may_not_conflict_with_each_other(org_a, org_b):
    film = make_work(org_a, "brother")
    Identifier.objects.create(work=film, namespace="alid", value="BROTHER")
    hold(org_a, [film], territories="WORLD", media="vod", start="2026-01-01")
    data = xlsx([movie("BROTHER", exclusive=True), movie("BROTHER", start="2028-01-01", license_type="SVOD", end=None)])
    with pytest.raises(ImportRejected) as caught:
        records.import_avails(org_a, data, "a.xlsx", licensee=org_b)
    assert caught.value.problems[0]["row"] == 5
    assert not Term.objects.exists() or not Term.objects.filter(kind=AtomKind.GRANT).exists()


def test_rights_not_held_refuse_the_grant(org_a, org_b):
    data = xlsx([movie("NEW-FILM")])
    with pytest.raises(ImportRejected) as caught:
        records.import_avails(org_a, data, "a.xlsx", licensee=org_b)
    assert "not held" in caught.value.problems[0]["message"]
    assert not Work.objects.filter(ref="NEW-FILM").exists()  # the created work went with the rest


# ---------------------------------------------------------------- export and round trips


@needs_samples
@pytest.mark.parametrize("fmt", ["xlsx", "xml"])
def test_received_avails_export_as_they_came_and_import_back_unchanged(org_b, org_c, fmt):
    name = "Movies_v1.9.xlsx"
    records.import_avails(org_b, sample(name), name)
    rows = from_ledger.avail_rows(org_b, licensor="Rockstar Films")
    original = read_xlsx(SAMPLES / name).rows
    key = lambda r: (r.alid, r.territory, r.license_type, r.format_profile, str(r.start))  # noqa: E731
    assert sorted(rows, key=key) == sorted(original, key=key)
    exported = from_ledger.export_avails(org_b, fmt, licensor="Rockstar Films").data
    records.import_avails(org_c, exported, f"x.{fmt}")
    assert from_ledger.avail_rows(org_c, licensor="Rockstar Films") == rows
    before = counts()
    assert records.import_avails(org_b, exported, f"x.{fmt}").terms_created == 0
    assert counts() == before


@pytest.mark.parametrize("fmt", ["xlsx", "xml"])
def test_grants_export_to_their_licensee_and_round_trip(org_a, org_b, fmt):
    film = make_work(org_a, "brother")
    Identifier.objects.create(work=film, namespace="alid", value="BROTHER")
    hold(org_a, [film], territories="WORLD", media="vod", start="2026-01-01")
    data = xlsx(
        [
            movie("BROTHER", fmt="SD", price_type="Tier", price_value="3", license_type="TVOD"),
            movie("BROTHER", fmt="HD", price_type="Tier", price_value="4", license_type="TVOD"),
            movie("BROTHER", territory="KZ", exclusive=True, end=None),
        ]
    )
    records.import_avails(org_a, data, "a.xlsx", licensee=org_b)
    exported = from_ledger.export_avails(org_a, fmt, licensee=org_b).data
    rows = (records.read_avails(exported)).rows
    assert [(r.territory, r.format_profile, r.price_value) for r in rows] == [("RU", "SD", "3"), ("RU", "HD", "4"), ("KZ", "HD", None)]
    assert rows[2].open_ended and rows[2].exclusive is True
    before = counts()
    assert records.import_avails(org_a, exported, f"a.{fmt}", licensee=org_b).terms_created == 0
    assert counts() == before
    # the licensee sees the same grants from its side
    assert from_ledger.avail_rows(org_b, licensor=org_a) == from_ledger.avail_rows(org_a, licensee=org_b)


def test_a_grant_recorded_by_hand_exports_as_readable_avails(org_a, org_b):
    from tests.factories import give

    film = make_work(org_a, "brother")
    hold(org_a, [film], territories="WORLD", media="all", start="2026-01-01")
    give(org_a, org_b, [film], territories="CIS", media="svod;est;theatrical", start="2027-01-01", end="2030-01-01", exclusive=False)
    rows = records.read_avails(from_ledger.export_avails(org_a, "xlsx", licensee=org_b).data).rows
    assert {r.license_type for r in rows} == {"SVOD", "EST"}
    assert {r.alid for r in rows} == {"brother"} and "KZ" in {r.territory for r in rows}
    assert all(r.licensee == "Shanghai Media Group" and r.licensor == "Rus Media Group" for r in rows)


def test_an_organisation_exports_only_its_own_grants_and_those_addressed_to_it(org_a, org_b, org_c):
    film = make_work(org_a, "brother")
    Identifier.objects.create(work=film, namespace="alid", value="BROTHER")
    hold(org_a, [film], territories="WORLD", media="vod", start="2026-01-01")
    records.import_avails(org_a, xlsx([movie("BROTHER")]), "a.xlsx", licensee=org_b)
    assert from_ledger.avail_rows(org_c, licensee=org_b) == []
    assert from_ledger.avail_rows(org_c, licensor=org_a) == []
    assert from_ledger.avail_rows(org_c, licensor="Rus Media Group") == []
    assert len(from_ledger.avail_rows(org_b, licensor=org_a)) == 1
    with pytest.raises(InvalidInput):
        from_ledger.avail_rows(org_b)


# ---------------------------------------------------------------- languages


def term_languages(term) -> set[tuple[str, str]]:
    return {(d["language"], d["use"]) for d in term.languages}


def test_allowed_languages_and_localization_become_the_terms_languages(org_b):
    records.import_avails(
        org_b,
        xlsx(
            [
                movie("DUBBED", allowed_languages=("ru", "kk"), localization_type="dub"),
                movie("ANY-USE", allowed_languages=("zh-Hans",)),
                movie("TV-STYLE", asset_language="fr", localization_type="subdub"),
                movie("DESCRIBED", asset_language="en"),  # AssetLanguage alone restricts nothing
            ]
        ),
        "a.xlsx",
    )
    by_alid = {t.works.get().ref: t for t in Term.objects.filter(contract__licensee=org_b)}
    assert term_languages(by_alid["DUBBED"]) == {("ru", "dubbed"), ("kk", "dubbed")}
    assert term_languages(by_alid["ANY-USE"]) == {("zh-Hans", "original"), ("zh-Hans", "dubbed"), ("zh-Hans", "subtitled")}
    assert term_languages(by_alid["TV-STYLE"]) == {("fr", "dubbed"), ("fr", "subtitled")}
    assert by_alid["DESCRIBED"].languages == []


def test_formats_of_one_right_join_their_languages_and_one_allowing_all_frees_them(org_b):
    records.import_avails(
        org_b,
        xlsx(
            [
                movie("JOINED", fmt="SD", allowed_languages=("ru",), localization_type="dub"),
                movie("JOINED", fmt="HD", allowed_languages=("en",), localization_type="sub"),
                movie("FREED", fmt="SD", allowed_languages=("ru",), localization_type="dub"),
                movie("FREED", fmt="HD"),
            ]
        ),
        "a.xlsx",
    )
    by_alid = {t.works.get().ref: t for t in Term.objects.filter(contract__licensee=org_b)}
    assert term_languages(by_alid["JOINED"]) == {("ru", "dubbed"), ("en", "subtitled")}
    assert by_alid["FREED"].languages == []


def test_imported_holdings_limit_by_language_what_the_importer_can_grant(org_b, org_c):
    from tests.factories import give

    records.import_avails(
        org_b, xlsx([movie("DUBBED", territory="CN", allowed_languages=("zh-Hans",), localization_type="dub", exclusive=True)]), "a.xlsx"
    )
    Term.objects.filter(contract__licensee=org_b).update(sublicensable=True)
    RightAtom.objects.filter(holder=org_b).update(sublicensable=True)
    film = Work.objects.get(ref="DUBBED")
    with pytest.raises(Conflict) as refused:
        give(
            org_b,
            org_c,
            [film],
            territories="CN",
            media="svod",
            start="2027-06-01",
            end="2028-01-01",
            languages=[{"language": "zh-Hans", "use": "subtitled"}],
        )
    assert refused.value.details[0]["language"] == "zh-Hans subtitled"
    give(
        org_b,
        org_c,
        [film],
        territories="CN",
        media="svod",
        start="2027-06-01",
        end="2028-01-01",
        languages=[{"language": "zh-Hans", "use": "dubbed"}],
    )


@pytest.mark.parametrize("fmt", ["xlsx", "xml"])
def test_a_grant_naming_languages_exports_them_and_imports_back_with_the_same_languages(org_a, org_b, org_c, fmt):
    from tests.factories import give

    film = make_work(org_a, "brother")
    hold(org_a, [film], territories="WORLD", media="all", start="2026-01-01")
    languages = [
        {"language": "ru", "use": "dubbed"},
        {"language": "kk", "use": "dubbed"},
        {"language": "zh-Hans", "use": "subtitled"},
        {"language": "en", "use": "dubbed"},
        {"language": "en", "use": "subtitled"},
    ]
    give(org_a, org_b, [film], territories="KZ", media="svod", languages=languages)
    exported = from_ledger.export_avails(org_a, fmt, licensee=org_b).data
    rows = records.read_avails(exported).rows
    assert {(r.allowed_languages, r.localization_type) for r in rows} == {(("ru", "kk"), "dub"), (("zh-Hans",), "sub"), (("en",), "subdub")}
    records.import_avails(org_c, exported, f"a.{fmt}")
    received = Term.objects.get(contract__licensee=org_c)
    assert term_languages(received) == {(d["language"], d["use"]) for d in languages}
