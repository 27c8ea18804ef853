"""MEC (MovieLabs Media Entertainment Core) export and import of works."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinomost.catalog import services
from kinomost.catalog.mec import export_mec, import_mec
from kinomost.catalog.mec.reader import CreditInput
from kinomost.catalog.models import Credit, Person, Work
from kinomost.core.errors import ImportRejected, NotFound
from tests.catalog.mec_schema import needs_schemas, validate_mec_xml

EIDR = "10.5240/77C5-ED35-8FC2-7D9D-9531-1"


@pytest.fixture(autouse=True)
def every_mec_file_is_schema_valid(monkeypatch):
    """Every MEC document written while these tests run is checked against the official mdmec
    schema of the version it declares (as tests/rights/conftest.py does for avails), so no test
    passes on an invalid file. Without the shared schemas the check is skipped."""
    from kinomost.catalog.mec import writer
    from tests.rights.avails_schema import SCHEMAS

    if not SCHEMAS.is_dir():
        return
    original = writer._serialise

    def checked(root):
        data = original(root)
        errors = validate_mec_xml(data)
        assert errors == [], f"the MEC file written is not schema-valid: {errors[:5]}"
        return data

    monkeypatch.setattr(writer, "_serialise", checked)


def _film(owner, ref="RU-1", **extra):
    data = services.WorkInput(
        ref=ref,
        kind="feature",
        titles={"ru": "Сталинград", "zh-Hans": "斯大林格勒", "en": "Stalingrad"},
        synopses={"ru": ("Осень 1942 года. " * 30).strip(), "zh-Hans": "一九四二年秋天。" * 40, "en": "Autumn 1942."},
        original_title="Сталинград",
        original_language="ru",
        year=2013,
        runtime_minutes=131,
        countries=["RU", "CN"],
        genres=["war", "drama"],
        keywords=["war", "ww2"],
        eidr=EIDR,
        ratings=[("RU", "MKRF", "16+"), ("US", "MPAA", "R")],
        identifiers={"IMDB": "tt2300975"},
        **extra,
    )
    work, _ = services.save_work(owner, data)
    services.set_credits(
        work,
        [
            CreditInput(role="director", name="Фёдор Бондарчук", names={"en": "Fyodor Bondarchuk", "zh-Hans": "费奥多尔·邦达尔丘克"}),
            CreditInput(role="cast", name="Пётр Фёдоров", names={"en": "Pyotr Fyodorov"}, character="Громов", order=1),
        ],
    )
    return work


def _series(owner):
    services.save_work(
        owner, services.WorkInput(ref="S-1", kind="series", titles={"ru": "Ликвидация", "zh-Hans": "清算", "en": "Liquidation"}, year=2007)
    )
    services.save_work(
        owner, services.WorkInput(ref="S-1/S1", kind="season", titles={"ru": "Сезон 1"}, parent_ref="S-1", number=1, year=2007)
    )
    episode, _ = services.save_work(
        owner,
        services.WorkInput(
            ref="S-1/S1/E3",
            kind="episode",
            titles={"ru": "Серия 3", "zh-Hans": "第3集"},
            parent_ref="S-1/S1",
            number=3,
            runtime_minutes=52,
            year=2007,
        ),
    )
    return episode


def _snapshot(owner):
    """What a user sees of the catalogue: every work with its fields, titles, credits, ratings, ids."""
    out = {}
    for work in Work.objects.filter(owner=owner).select_related("parent").order_by("ref"):
        out[work.ref] = {
            "kind": work.kind,
            "parent": work.parent.ref if work.parent else None,
            "number": work.number,
            "original": (work.original_title, work.original_language),
            "year": work.year,
            "runtime": work.runtime_minutes,
            "countries": work.countries,
            "genres": sorted(g.slug for g in work.genres.all()),
            "keywords": work.keywords,
            "eidr": work.eidr,
            "titles": {loc.language: (loc.title, loc.synopsis) for loc in work.localizations.all()},
            "ratings": sorted((r.territory, r.system, r.value) for r in work.ratings.all()),
            "identifiers": {i.namespace: i.value for i in work.identifiers.all()},
            "credits": sorted(
                (c.role, c.person.name, tuple(sorted(c.person.names.items())), c.character, c.order)
                for c in Credit.objects.filter(work=work).select_related("person")
            ),
        }
    return out


@needs_schemas
def test_every_exported_file_is_valid_mec(org_a):
    _film(org_a)
    _series(org_a)
    services.save_work(org_a, services.WorkInput(ref="N-1", kind="news", titles={"en": "Evening news"}, year=2024))
    export = export_mec(org_a)
    assert sorted(export.files) == ["N-1.mec.xml", "RU-1.mec.xml", "S-1.mec.xml", "S-1_S1.mec.xml", "S-1_S1_E3.mec.xml"]
    for name, data in export.files.items():
        assert validate_mec_xml(data) == [], name


@needs_schemas
def test_a_long_synopsis_is_shortened_at_a_word_for_the_short_summaries(org_a):
    from lxml import etree

    _film(org_a)
    data = export_mec(org_a, ["RU-1"]).files["RU-1.mec.xml"]
    assert validate_mec_xml(data) == []
    root = etree.fromstring(data)
    ns = {"md": "http://www.movielabs.com/schema/md/v2.12/md"}
    ru = root.find(".//md:LocalizedInfo[@language='ru']", ns)
    full = ru.find("md:Summary4000", ns).text
    short = ru.find("md:Summary190", ns).text
    assert full == ("Осень 1942 года. " * 30).strip()
    assert len(short) <= 190 and short.endswith("…")
    assert full.startswith(short[:-1]) and full[len(short) - 1] == " "  # cut between words, not inside one
    zh = root.find(".//md:LocalizedInfo[@language='zh-Hans']/md:Summary190", ns).text
    assert len(zh) == 190 and zh.endswith("…")  # Chinese has no spaces: cut at the limit
    assert root.find(".//md:Rating[md:System='MKRF']/md:Value", ns).text == "16"  # Common Ratings spelling


def test_export_then_import_round_trips_into_another_catalogue(org_a, org_b):
    _film(org_a)
    _series(org_a)
    before = _snapshot(org_a)
    files = list(export_mec(org_a).files.items())
    result = import_mec(files, org_b)
    assert (result.files, result.created, result.updated) == (4, 4, 0)
    assert _snapshot(org_b) == before
    assert _snapshot(org_b)["S-1/S1/E3"]["parent"] == "S-1/S1" and _snapshot(org_b)["S-1/S1/E3"]["number"] == 3


def test_a_work_with_only_an_original_title_round_trips_without_gaining_a_language(org_a, org_b):
    services.save_work(org_a, services.WorkInput(ref="BARE", kind="short", original_title="Без слов", year=1999))
    import_mec(list(export_mec(org_a).files.items()), org_b)
    assert _snapshot(org_b) == _snapshot(org_a)


def test_reimport_updates_by_ref_and_reuses_people(org_a):
    _film(org_a)
    people = Person.objects.count()
    files = list(export_mec(org_a).files.items())
    result = import_mec(files, org_a)
    assert (result.created, result.updated) == (0, 1)
    assert Person.objects.count() == people  # same names, same spellings: the same people
    assert Work.objects.filter(owner=org_a).count() == 1


def _bad(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new)


@pytest.mark.parametrize(
    ("old", "new", "element", "needle"),
    [
        (b"<md:ReleaseYear>2013</md:ReleaseYear>", b"<md:ReleaseYear>twenty</md:ReleaseYear>", "ReleaseYear", "twenty"),
        (b"<md:WorkType>Movie</md:WorkType>", b"<md:WorkType>Hologram</md:WorkType>", "WorkType", "Hologram"),
        (b"77C5-ED35-8FC2-7D9D-9531-1", b"77C5-ED35-8FC2-7D9D-9531-2", "AltIdentifier/Identifier", "check character"),
        (b"<md:Value>16</md:Value>", b"<md:Value>21</md:Value>", "RatingSet", "MKRF"),
        (b"<md:JobFunction>Director</md:JobFunction>", b"<md:JobFunction>Key Grip</md:JobFunction>", "JobFunction", "Key Grip"),
    ],
)
def test_a_bad_file_changes_nothing_and_names_the_problem(org_a, org_b, old, new, element, needle):
    _film(org_a)
    _series(org_a)
    good = export_mec(org_a).files
    services.save_work(org_b, services.WorkInput(ref="RU-1", kind="feature", titles={"en": "Kept as it was"}, year=2000))
    before = _snapshot(org_b)
    files = [(name, _bad(data, old, new) if name == "RU-1.mec.xml" else data) for name, data in good.items()]
    with pytest.raises(ImportRejected) as refused:
        import_mec(files, org_b)
    assert _snapshot(org_b) == before  # the good files were not imported either
    problem = refused.value.problems[0]
    assert problem["file"] == "RU-1.mec.xml" and problem["element"].endswith(element) and problem["line"] > 0
    assert needle in problem["message"]
    assert {p["file"] for p in refused.value.problems} == {"RU-1.mec.xml"}


def test_broken_and_hostile_xml_is_refused_by_name(org_a):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<mdmec:CoreMetadata xmlns:mdmec="http://www.movielabs.com/schema/mdmec/v2.12">&b;</mdmec:CoreMetadata>'
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<mdmec:CoreMetadata xmlns:mdmec="http://www.movielabs.com/schema/mdmec/v2.12">&e;</mdmec:CoreMetadata>'
    )
    with pytest.raises(ImportRejected) as refused:
        import_mec(
            [
                ("bomb.xml", bomb),
                ("external.xml", external),
                ("cut.xml", b"<mdmec:CoreMetadata"),
                ("avails.xml", b'<AvailList xmlns="http://www.movielabs.com/schema/avails/v2.5/avails"/>'),
            ],
            org_a,
        )
    by_file = {p["file"]: p["message"] for p in refused.value.problems}
    assert "DOCTYPE" in by_file["bomb.xml"] and "DOCTYPE" in by_file["external.xml"]
    assert "well-formed" in by_file["cut.xml"] and "CoreMetadata" in by_file["avails.xml"]
    assert "root:" not in str(refused.value.problems)
    assert not Work.objects.exists()


def test_episode_parent_must_be_in_the_batch_or_the_importers_catalogue(org_a, org_b):
    _series(org_a)
    episode_only = [(n, d) for n, d in export_mec(org_a).files.items() if n == "S-1_S1_E3.mec.xml"]
    with pytest.raises(ImportRejected) as refused:
        import_mec(episode_only, org_b)  # org_a has the season; org_b must not find it there
    assert "S-1/S1" in refused.value.problems[0]["message"] and refused.value.problems[0]["element"].endswith("Parent")
    assert not Work.objects.filter(owner=org_b).exists()


def test_export_refuses_another_organisations_refs(org_a, org_b):
    _film(org_b, ref="CN-PRIVATE")
    with pytest.raises(NotFound):
        export_mec(org_a, ["CN-PRIVATE"])
    assert export_mec(org_a).files == {}


def test_offer_zip_gives_the_buyer_only_works_it_may_see(org_a, org_b, client_b):
    from kinomost.exchange.models import Offer, OfferItem

    listed = _film(org_a, ref="LISTED", is_listed=True)
    private = _film(org_a, ref="PRIVATE")
    offer = Offer.objects.create(sender=org_a, name="Package", status="sent")
    offer.recipients.add(org_b)
    for position, work in enumerate([listed, private]):
        OfferItem.objects.create(offer=offer, work=work, position=position)
    r = client_b.get(f"/studio/exchange/offers/{offer.pk}/mec/")
    assert r.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(r.content)).namelist() == ["LISTED.mec.xml"]


def test_cli_export_and_import(org_a, org_b, tmp_path):
    _film(org_a)
    _series(org_a)
    out = io.StringIO()
    call_command("export-mec", "--org", org_a.slug, "--works", "RU-1", "S-1", "--output", str(tmp_path), stdout=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["RU-1.mec.xml", "S-1.mec.xml"]
    out = io.StringIO()
    call_command("import-mec", *sorted(str(p) for p in tmp_path.iterdir()), "--org", org_b.slug, stdout=out)
    assert "2 created" in out.getvalue()
    (tmp_path / "RU-1.mec.xml").write_bytes(b"<broken")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-mec", str(tmp_path / "RU-1.mec.xml"), "--org", org_b.slug, stderr=err)
    assert "RU-1.mec.xml" in err.getvalue()


def test_a_season_without_a_year_takes_its_series_year_and_a_work_without_any_is_skipped_by_name(org_a):
    services.save_work(org_a, services.WorkInput(ref="S-9", kind="series", titles={"en": "Nine"}, year=2019))
    services.save_work(org_a, services.WorkInput(ref="S-9/S1", kind="season", titles={"en": "Season 1"}, parent_ref="S-9", number=1))
    services.save_work(org_a, services.WorkInput(ref="UNDATED", kind="feature", titles={"en": "Undated"}))
    export = export_mec(org_a)
    assert b"<md:ReleaseYear>2019</md:ReleaseYear>" in export.files["S-9_S1.mec.xml"]
    assert "UNDATED.mec.xml" not in export.files
    assert export.skipped[0]["ref"] == "UNDATED" and "release year" in export.skipped[0]["message"]


# --- API and studio ----------------------------------------------------------------------------


def test_api_exports_a_visible_work_and_hides_a_private_one(client, token_a, org_a, org_b):
    mine = _film(org_a)
    theirs = _film(org_b, ref="CN-PRIVATE")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_a}"}
    r = client.get(f"/api/v1/works/{mine.pk}/mec", **auth)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/xml")
    assert 'filename="RU-1.mec.xml"' in r["Content-Disposition"] and "Сталинград".encode() in r.content
    r = client.get(f"/api/v1/works/{theirs.pk}/mec", **auth)
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_api_import_is_all_or_nothing_with_a_report_and_only_into_the_callers_organisation(client, token_a, org_a, org_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _film(org_b, ref="FROM-B")
    good = export_mec(org_b).files["FROM-B.mec.xml"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_a}"}
    r = client.post(
        "/api/v1/works/mec/import", {"files": [SimpleUploadedFile("a.mec.xml", good), SimpleUploadedFile("b.mec.xml", b"<nope")]}, **auth
    )
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "import_rejected" and body["details"][0]["file"] == "b.mec.xml" and body["message"]
    assert not Work.objects.filter(owner=org_a).exists()
    r = client.post("/api/v1/works/mec/import", {"files": [SimpleUploadedFile("a.mec.xml", good)]}, **auth)
    assert r.status_code == 200 and r.json()["created"] == 1
    assert Work.objects.get(owner=org_a, ref="FROM-B").localizations.count() == 3
    assert Work.objects.filter(owner=org_b, ref="FROM-B").count() == 1  # B's own work untouched, no second one


def test_studio_buttons_download_the_work_file_and_the_offer_zip(client_a, org_a):
    from kinomost.exchange.models import Offer, OfferItem

    work = _film(org_a)
    page = client_a.get(f"/studio/works/{work.pk}/").content.decode()
    assert f"/studio/works/{work.pk}/mec/" in page
    r = client_a.get(f"/studio/works/{work.pk}/mec/")
    assert r.status_code == 200 and validate_or_skip(r.content)
    offer = Offer.objects.create(sender=org_a, name="Package")
    OfferItem.objects.create(offer=offer, work=work)
    assert f"/studio/exchange/offers/{offer.pk}/mec/" in client_a.get(f"/studio/exchange/offers/{offer.pk}/").content.decode()
    r = client_a.get(f"/studio/exchange/offers/{offer.pk}/mec/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(r.content)).namelist() == ["RU-1.mec.xml"]


def validate_or_skip(data: bytes) -> bool:
    """Schema-valid where the shared schemas are present; well-formed MEC otherwise."""
    from tests.rights.avails_schema import SCHEMAS

    return validate_mec_xml(data) == [] if SCHEMAS.is_dir() else data.startswith(b"<?xml")


@pytest.mark.parametrize(
    ("language", "summary", "problem"),
    [
        ("ru", "1 файл с ошибками; ничего не импортировано.", "не является корректным XML"),
        ("zh-hans", "1 个文件有问题；未导入任何内容。", "不是格式正确的 XML"),
    ],
)
def test_refusals_read_in_the_users_language(org_a, language, summary, problem):
    from django.utils import translation

    with translation.override(language), pytest.raises(ImportRejected) as refused:
        import_mec([("cut.xml", b"<mdmec:CoreMetadata")], org_a)
    assert refused.value.message == summary and problem in refused.value.problems[0]["message"]
