from django.core.files.uploadedfile import SimpleUploadedFile

from kinomost.catalog.models import Work
from kinomost.parties import services as parties
from kinomost.parties.models import Role

GOOD = "ref,kind,title:ru,title:en\nRU-1,feature,Сталинград,Stalingrad\n".encode()
BAD = "ref,kind,title:ru,year\nRU-1,feature,Сталинград,2013\nRU-2,film,Бег,сорок\n".encode()


def test_upload_imports_and_reports(client_a, org_a):
    r = client_a.post("/studio/works/import/", {"file": SimpleUploadedFile("w.csv", GOOD)})
    assert 'id="import-result"' in r.content.decode()
    assert Work.objects.filter(owner=org_a, ref="RU-1").exists()


def test_bad_file_shows_every_problem_and_changes_nothing(client_a, org_a):
    page = client_a.post("/studio/works/import/", {"file": SimpleUploadedFile("w.csv", BAD)}).content.decode()
    report = page.split('id="import-report"')[1]
    assert "<td>3</td><td>kind</td>" in report and "<td>3</td><td>year</td>" in report
    assert not Work.objects.filter(owner=org_a).exists()


def test_read_only_members_cannot_import_but_can_export(client, org_a):
    user, _ = parties.create_member(
        email="ro@rusmedia.example", organisation=org_a, role=Role.READ_ONLY, password="correct horse battery staple"
    )
    client.force_login(user)
    assert client.post("/studio/works/import/", {"file": SimpleUploadedFile("w.csv", GOOD)}).status_code == 403
    assert client.get("/studio/works/export/?format=csv").status_code == 200


def test_export_holds_only_the_organisations_own_works(client_a, client_b, org_a):
    client_a.post("/studio/works/import/", {"file": SimpleUploadedFile("w.csv", GOOD)})
    assert "Сталинград" in client_a.get("/studio/works/export/?format=csv").content.decode("utf-8-sig")
    assert "Сталинград" not in client_b.get("/studio/works/export/?format=csv").content.decode("utf-8-sig")
    assert client_a.get("/studio/works/export/?format=xlsx")["Content-Type"].startswith("application/vnd.openxml")


def test_api_import_refuses_bad_files_with_every_problem(client, token_a, org_a):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_a}"}
    r = client.post("/api/v1/works/import", {"file": SimpleUploadedFile("w.csv", BAD)}, **auth)
    assert r.status_code == 422
    assert {(p["row"], p["column"]) for p in r.json()["details"]} == {(3, "kind"), (3, "year")}
    r = client.post("/api/v1/works/import", {"file": SimpleUploadedFile("w.csv", GOOD)}, **auth)
    assert r.status_code == 200 and r.json()["created"] == 1
    assert "Stalingrad" in client.get("/api/v1/works/export?format=csv", **auth).content.decode("utf-8-sig")
