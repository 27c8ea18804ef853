"""Studio pages of the cinema: an operator sees the platforms and the assets with their progress,
opens a platform, follows one asset's progress (a fragment htmx polls until it is finished) and
finds the upload form; a read-only member reads but cannot write; another organisation gets 404."""

import re

import pytest
from django.test import Client

from kinomost.catalog import services as catalog
from kinomost.cinema import services, tokens
from kinomost.cinema.models import Asset, AssetStatus, Platform, Track, TrackKind
from kinomost.parties import services as parties
from kinomost.parties.context import Actor

pytestmark = pytest.mark.django_db


def _client(org, email, role):
    user = parties.create_member(email=email, organisation=org, role=role, password="correct horse battery staple")[0]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def operator(org_a):
    return _client(org_a, "op@rusmedia.example", "platform_operator")


@pytest.fixture
def reader(org_a):
    return _client(org_a, "reader@rusmedia.example", "read_only")


@pytest.fixture
def film(org_a):
    return catalog.save_work(org_a, catalog.WorkInput(ref="FILM-1", kind="feature", titles={"en": "Brother"}))[0]


@pytest.fixture
def platform(org_a):
    return services.create_platform(
        Actor(organisation=org_a, role="owner"),
        slug="kino",
        name="Kino Plus",
        territories_spec="RU; BY",
        media=["svod", "tvod"],
        languages=["ru", "en"],
    )


@pytest.fixture
def encoding(org_a, film, platform):
    return Asset.objects.create(
        organisation=org_a,
        work=film,
        platform=platform,
        key=b"k" * 16,
        iv=b"i" * 16,
        status=AssetStatus.PROCESSING,
        step="transcode",
        progress=42.5,
        eta_seconds=125,
        preview_playlist="preview.m3u8",
    )


def test_cinema_home_lists_platforms_and_assets_with_progress(operator, encoding):
    html = operator.get("/studio/cinema/").content.decode()
    assert "Kino Plus" in html and "Belarus, Russia" in html and "SVOD (subscription)" in html and "ru, en" in html
    assert "Brother" in html and "42.5 %" in html and "2 min" in html and "Encoding the ladder" in html
    assert f"/studio/cinema/assets/{encoding.public_id}/" in html
    assert 'id="platform-form"' in html and "/studio/cinema/upload/" in html


def test_a_failed_asset_says_why_in_words(operator, encoding):
    encoding.status, encoding.error = AssetStatus.FAILED, "film.mp4 has no video stream."
    encoding.save()
    assert "film.mp4 has no video stream." in operator.get("/studio/cinema/").content.decode()
    page = operator.get(f"/studio/cinema/assets/{encoding.public_id}/").content.decode()
    assert "The ingest failed:" in page and "film.mp4 has no video stream." in page and "hx-trigger" not in page


def test_operator_opens_a_platform_and_a_refusal_is_shown_in_words(operator, org_a):
    response = operator.post(
        "/studio/cinema/", {"slug": "vod", "name": "Vod Club", "territories": "CIS", "media": ["svod"], "languages": "ru; en"}
    )
    assert response.status_code == 302
    assert (
        Platform.objects.get(organisation=org_a, slug="vod").territories[:1]
        and "Vod Club" in operator.get("/studio/cinema/").content.decode()
    )
    again = operator.post("/studio/cinema/", {"slug": "vod", "name": "Again", "territories": "RU", "media": ["svod"], "languages": "ru"})
    assert again.status_code == 422 and "already has a platform" in again.content.decode()


def test_a_read_only_member_reads_but_cannot_write(reader, encoding, org_a):
    html = reader.get("/studio/cinema/").content.decode()
    assert "Brother" in html and 'id="platform-form"' not in html
    refused = reader.post("/studio/cinema/", {"slug": "x", "name": "X", "territories": "RU", "media": ["svod"], "languages": "ru"})
    assert refused.status_code == 403 and not Platform.objects.filter(slug="x").exists()
    upload = reader.get("/studio/cinema/upload/").content.decode()
    assert "upload-form" not in upload and "may upload" in upload


def test_the_progress_fragment_shows_percent_and_time_left_and_polls_until_finished(operator, encoding):
    page = operator.get(f"/studio/cinema/assets/{encoding.public_id}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "htmx.min.js" in page
    assert f"/{encoding.public_id}/preview.m3u8" in page and "/hls/" in page  # the preview, as a token URL
    fragment = operator.get(f"/studio/cinema/assets/{encoding.public_id}/progress/", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "42.5 %" in body and "2 min left" in body and "every 2s" in body and "HX-Refresh" not in fragment.headers
    encoding.status, encoding.progress, encoding.eta_seconds, encoding.step = AssetStatus.READY, 100.0, None, ""
    encoding.master_playlist = "master.m3u8"
    encoding.save()
    done = operator.get(f"/studio/cinema/assets/{encoding.public_id}/progress/", HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()
    assert f"/{encoding.public_id}/master.m3u8" in done.content.decode() and "/hls/" in done.content.decode()


def test_a_ready_asset_shows_its_tracks_and_poster(operator, encoding):
    encoding.status, encoding.progress, encoding.poster, encoding.master_playlist = AssetStatus.READY, 100.0, "poster.jpg", "master.m3u8"
    encoding.save()
    Track.objects.create(
        asset=encoding, kind=TrackKind.VIDEO, name="720p", playlist="stream/720p/index.m3u8", width=1280, height=720, bandwidth=3_080_000
    )
    Track.objects.create(asset=encoding, kind=TrackKind.AUDIO, name="audio-ru", language="ru", playlist="a.m3u8", is_default=True)
    Track.objects.create(asset=encoding, kind=TrackKind.SUBTITLES, name="subs-en", language="en", playlist="s.m3u8")
    html = operator.get(f"/studio/cinema/assets/{encoding.public_id}/").content.decode()
    assert "1280×720" in html and "3080 kbit/s" in html and "audio-ru" in html and "subs-en" in html
    assert f"/{encoding.public_id}/poster.jpg" in html and "master.m3u8" in html and "hx-trigger" not in html
    poster = re.search(r'class="poster" src="/hls/([^/]+)/(\d+)/([^/]+)/poster.jpg"', html)
    assert poster and tokens.is_valid(poster[1], int(poster[2]), encoding.public_id)  # a URL the servers serve


def test_upload_page_offers_own_and_listed_works_and_the_platforms(operator, film, platform, org_b):
    listed = catalog.save_work(org_b, catalog.WorkInput(ref="LISTED-1", kind="feature", titles={"en": "Listed Film"}))[0]
    listed.is_listed = True
    listed.save()
    catalog.save_work(org_b, catalog.WorkInput(ref="HIDDEN-1", kind="feature", titles={"en": "Hidden Film"}))
    html = operator.get("/studio/cinema/upload/?chunk=65536").content.decode()
    assert "FILM-1 · Brother" in html and "Listed Film" in html and "Hidden Film" not in html
    assert 'value="kino"' in html and 'data-chunk-bytes="65536"' in html and "cinema/upload.js" in html
    assert 'data-chunk-bytes="8388608"' in operator.get("/studio/cinema/upload/?chunk=999999999").content.decode()


def test_another_organisation_gets_404_and_sees_none_of_it(client_b, encoding):
    assert client_b.get(f"/studio/cinema/assets/{encoding.public_id}/").status_code == 404
    assert client_b.get(f"/studio/cinema/assets/{encoding.public_id}/progress/").status_code == 404
    html = client_b.get("/studio/cinema/").content.decode()
    assert "Brother" not in html and "Kino Plus" not in html
