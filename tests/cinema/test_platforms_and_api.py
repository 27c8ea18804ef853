"""Platforms say where, how and in which languages they sell; the API shows an organisation its
own platforms and assets with their progress, and nobody else's."""

import pytest

from kinomost.cinema import services, tokens
from kinomost.cinema.models import Asset, AssetStatus
from kinomost.core.errors import Conflict, InvalidInput
from kinomost.parties.context import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_a(org_a):
    return Actor(organisation=org_a, role="owner")


def test_a_platform_expands_territory_groups_and_keeps_vod_media(owner_a):
    platform = services.create_platform(
        owner_a, slug="kino", name="Kino", territories_spec="RU, BY, KZ", media=["svod", "tvod", "est"], languages=["ru", "en", "zh-hans"]
    )
    assert platform.territories == ["BY", "KZ", "RU"]
    assert platform.media == ["est", "svod", "tvod"]
    assert platform.languages == ["ru", "en", "zh-Hans"]
    vod = services.create_platform(owner_a, slug="vod", name="All VOD", territories_spec="RU", media="vod", languages=["ru"])
    assert "avod" in vod.media and "svod" in vod.media


def test_a_platform_refuses_what_it_cannot_sell(owner_a):
    with pytest.raises(InvalidInput):
        services.create_platform(owner_a, slug="tv", name="TV", territories_spec="RU", media=["free_tv"], languages=["ru"])
    with pytest.raises(InvalidInput):
        services.create_platform(owner_a, slug="x", name="X", territories_spec="", media=["svod"], languages=["ru"])
    services.create_platform(owner_a, slug="kino", name="Kino", territories_spec="RU", media=["svod"], languages=["ru"])
    with pytest.raises(Conflict):
        services.create_platform(owner_a, slug="kino", name="Kino 2", territories_spec="RU", media=["svod"], languages=["ru"])


def test_api_shows_progress_of_own_assets_only(client_a, client_b, org_a, film):
    asset = Asset.objects.create(
        organisation=org_a,
        work=film,
        key=b"k" * 16,
        iv=b"i" * 16,
        status=AssetStatus.PROCESSING,
        step="transcode",
        progress=42.5,
        eta_seconds=17,
        preview_playlist="preview.m3u8",
    )
    body = client_a.get(f"/api/v1/cinema/assets/{asset.public_id}").json()
    assert (body["status"], body["step"], body["progress"], body["eta_seconds"]) == ("processing", "transcode", 42.5, 17)
    assert body["preview_url"] == tokens.stream_url(asset.public_id, "preview.m3u8", body["urls_expire_at"]) and body["master_url"] == ""
    assert [a["id"] for a in client_a.get("/api/v1/cinema/assets").json()] == [str(asset.public_id)]
    assert client_b.get(f"/api/v1/cinema/assets/{asset.public_id}").status_code == 404
    assert client_b.get("/api/v1/cinema/assets").json() == []


def test_api_opens_a_platform(client, org_a):
    from kinomost.parties import services as parties

    owner = parties.create_member(email="boss@rusmedia.example", organisation=org_a, role="owner", password="correct horse battery staple")[
        0
    ]
    client.force_login(owner)
    response = client.post(
        "/api/v1/cinema/platforms",
        {"slug": "kino", "name": "Kino", "territories": ["CIS"], "media": ["svod"], "languages": ["ru"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert "RU" in response.json()["territories"]
    assert [p["slug"] for p in client.get("/api/v1/cinema/platforms").json()] == ["kino"]
