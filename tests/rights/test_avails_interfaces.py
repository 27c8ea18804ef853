"""The avails import and export as a user meets them: the CLI, the API and the studio page."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from kinomost.catalog.models import Identifier
from kinomost.rights.avails import records
from kinomost.rights.models import AtomKind, RightAtom, Term
from tests.factories import hold, make_work
from tests.rights.test_avails_ledger import SAMPLES, movie, needs_samples, xlsx

ROOT = Path(__file__).resolve().parents[2]


def test_kinomost_help_lists_the_avails_commands():
    out = subprocess.run(
        [sys.executable, "-c", "from kinomost.cli import main; main(['kinomost', '--help'])"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert "import-avails" in out and "export-avails" in out


@needs_samples
def test_cli_imports_reports_and_refuses_with_every_problem(org_b, capsys):
    call_command("import-avails", str(SAMPLES / "Movies_v1.9.xlsx"), "--org", org_b.slug)
    out = capsys.readouterr().out
    assert "26 rows as licensee" in out and "terms recorded" in out
    with pytest.raises(CommandError):
        call_command("import-avails", str(SAMPLES / "Avails_withErrors.xml"), "--org", org_b.slug)
    err = capsys.readouterr().err
    assert "JJ" in err and "ENg" in err


def test_cli_asks_for_the_licensee_of_own_avails_and_exports_them(org_a, org_b, tmp_path, capsys):
    film = make_work(org_a, "brother")
    Identifier.objects.create(work=film, namespace="alid", value="BROTHER")
    hold(org_a, [film], territories="WORLD", media="vod", start="2026-01-01")
    path = tmp_path / "own.xlsx"
    path.write_bytes(xlsx([movie("BROTHER")]))
    with pytest.raises(CommandError, match="licensee"):
        call_command("import-avails", str(path), "--org", org_a.slug)
    call_command("import-avails", str(path), "--org", org_a.slug, "--licensee", org_b.slug)
    assert RightAtom.objects.filter(kind=AtomKind.GRANT, licensee=org_b).count() == 1
    out_file = tmp_path / "out.xml"
    call_command("export-avails", "--org", org_a.slug, "--licensee", org_b.slug, "--format", "xml", "--output", str(out_file))
    rows = records.read_avails(out_file.read_bytes(), "out.xml").rows
    assert [(r.alid, r.territory, r.license_type) for r in rows] == [("BROTHER", "RU", "SVOD")]


@needs_samples
def test_api_import_answers_counts_or_422_and_export_gives_the_file(client_a, org_a, token_a):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_a}"}
    upload = SimpleUploadedFile("Movies_v1.9.xlsx", (SAMPLES / "Movies_v1.9.xlsx").read_bytes())
    r = client_a.post("/api/v1/rights/avails/import", {"file": upload}, **auth)
    assert r.status_code == 200, r.content
    assert r.json()["role"] == "licensee" and r.json()["terms_created"] > 0
    bad = SimpleUploadedFile("Avails_withErrors.xml", (SAMPLES / "Avails_withErrors.xml").read_bytes())
    r = client_a.post("/api/v1/rights/avails/import", {"file": bad}, **auth)
    assert r.status_code == 422 and len(r.json()["details"]) == 6
    r = client_a.get("/api/v1/rights/avails/export?licensor=Rockstar%20Films&format=xml", **auth)
    assert r.status_code == 200 and r["Content-Type"] == "application/xml"
    assert len(records.read_avails(r.content, "x.xml").rows) == 26


def test_the_studio_page_lists_refused_rows_and_imports_good_files(client_a, org_a, org_b):
    assert client_a.get("/studio/rights/avails/").status_code == 200
    r = client_a.post("/studio/rights/avails/", {"file": SimpleUploadedFile("a.xlsx", xlsx([movie("NOT-HELD")])), "licensee": org_b.slug})
    assert r.status_code == 200 and b"avails-report" in r.content and b"not held" in r.content
    assert not Term.objects.exists()
    r = client_a.post("/studio/rights/avails/", {"file": SimpleUploadedFile("a.xlsx", xlsx([movie("FILM", licensor="Rockstar Films")]))})
    assert b"avails-result" in r.content
    assert RightAtom.objects.filter(kind=AtomKind.HOLDING, holder=org_a).count() == 1
    r = client_a.get("/studio/rights/avails/export/?licensor=Rockstar+Films&format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_a_read_only_member_cannot_import(org_a):
    from kinomost.core.errors import PermissionDenied
    from kinomost.parties.context import Actor

    with pytest.raises(PermissionDenied):
        records.import_avails(Actor(organisation=org_a, role="read_only"), xlsx([movie("FILM", licensor="Rockstar Films")]), "a.xlsx")
    assert not Term.objects.exists()
