"""A browser uploads a master in chunks, resumes after an interruption, and starts the ingest."""

import pytest

from kinomost.cinema.models import Asset, AssetStatus, SourceKind
from kinomost.parties import services as parties

pytestmark = pytest.mark.django_db
CHUNK = 64 * 1024


@pytest.fixture
def operator_client(client, org_a):
    user = parties.create_member(
        email="op@rusmedia.example", organisation=org_a, role="platform_operator", password="correct horse battery staple"
    )[0]
    client.force_login(user)
    return client


def _upload(client, path, *, interrupt_at=None):
    data = path.read_bytes()
    state = client.post("/api/v1/cinema/uploads", {"filename": path.name, "size": len(data)}, content_type="application/json").json()
    offset = 0
    while offset < len(data):
        if interrupt_at is not None and offset >= interrupt_at:
            interrupt_at = None
            stale = client.put(f"/api/v1/cinema/uploads/{state['id']}?offset=0", data[:CHUNK], content_type="application/octet-stream")
            assert stale.status_code == 409 and stale.json()["details"] == [{"offset": offset}]
            offset = client.get(f"/api/v1/cinema/uploads/{state['id']}").json()["offset"]  # resume from the server's offset
        chunk = data[offset : offset + CHUNK]
        response = client.put(f"/api/v1/cinema/uploads/{state['id']}?offset={offset}", chunk, content_type="application/octet-stream")
        assert response.status_code == 200, response.content
        offset = response.json()["offset"]
    assert client.get(f"/api/v1/cinema/uploads/{state['id']}").json()["complete"]
    return state["id"]


def test_chunked_resumable_upload_then_ingest(operator_client, client_b, film, media_files, cinema_storage):
    master = _upload(operator_client, media_files["master"], interrupt_at=3 * CHUNK)
    subs = _upload(operator_client, media_files["subs"])
    assert client_b.get(f"/api/v1/cinema/uploads/{master}").status_code == 404
    response = operator_client.post(
        "/api/v1/cinema/ingest",
        {
            "work_id": film.pk,
            "master": master,
            "subtitles": [{"language": "ru", "upload": subs}],
            "ladder": [144],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    asset = Asset.objects.get(public_id=response.json()["id"])
    assert asset.status == AssetStatus.QUEUED and asset.jobs.count() == 1
    stored = asset.sources.get(kind=SourceKind.MASTER)
    assert stored.original_name == "film.mp4" and stored.size == media_files["master"].stat().st_size
    assert not list((cinema_storage / "private" / "uploads").iterdir())


def test_an_incomplete_upload_cannot_be_ingested(operator_client, film):
    state = operator_client.post("/api/v1/cinema/uploads", {"filename": "big.mp4", "size": 10}, content_type="application/json").json()
    operator_client.put(f"/api/v1/cinema/uploads/{state['id']}?offset=0", b"12345", content_type="application/octet-stream")
    response = operator_client.post("/api/v1/cinema/ingest", {"work_id": film.pk, "master": state["id"]}, content_type="application/json")
    assert response.status_code == 422 and "not complete" in response.json()["message"]
    too_long = operator_client.put(f"/api/v1/cinema/uploads/{state['id']}?offset=5", b"123456", content_type="application/octet-stream")
    assert too_long.status_code == 422
