"""An operator watches an asset from the studio: the lowest rung while the ladder is still
encoding (the preview, published into a public folder the servers serve), the whole ladder once
ready. The URLs are token URLs; the key goes to a studio member of the asset's organisation (or
a viewer inside a playback session), never to another organisation or an anonymous visitor."""

import re
from urllib.parse import urljoin

import m3u8
import pytest
from django.test import Client

from kinomost.cinema import keys, services, storage, tokens
from kinomost.cinema.models import Asset, AssetStatus
from kinomost.parties import services as parties

from .conftest import decode_ok
from .test_worker_killed import _start_worker, _wait
from .viewing import KEY, make_platform, make_work, ready_asset

PASSWORD = "correct horse battery staple"


def _member(org, email, role="platform_operator") -> Client:
    client = Client()
    client.force_login(parties.create_member(email=email, organisation=org, role=role, password=PASSWORD)[0])
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _player_url(client, asset) -> str:
    page = client.get(f"/studio/cinema/assets/{asset.public_id}/")
    assert page.status_code == 200
    found = re.search(r'<video id="operator-player"[^>]*data-src="([^"]+)"', page.content.decode())
    assert found, "no operator player on the page"
    return found[1]


@pytest.mark.django_db(transaction=True)
def test_the_preview_plays_over_token_urls_while_the_ladder_encodes(operator, full_request, org_a, org_b, tmp_path):
    member, stranger, anonymous = _member(org_a, "op@rusmedia.example"), _member(org_b, "li@smg.example"), Client()
    asset = services.start_ingest(operator, full_request)
    worker = _start_worker()
    try:
        assert _wait(lambda: Asset.objects.get(pk=asset.pk).preview_playlist == "preview.m3u8", 60), "no preview"
        url = _player_url(member, asset)
        expires = int(url.split("/")[3])
        assert url == tokens.stream_url(asset.public_id, "preview.m3u8", expires)

        preview = m3u8.loads(_body(member.get(url)).decode())
        assert [p.stream_info.resolution for p in preview.playlists] == [(256, 144)]
        rung_url = urljoin(url, preview.playlists[0].uri)
        assert "/preview/" in rung_url and ".partial-" not in rung_url
        rung_response = member.get(rung_url)
        assert rung_response.status_code == 200
        rung = m3u8.loads(_body(rung_response).decode())
        assert rung.playlist_type == "event" and not rung.is_endlist and rung.segments  # growing, already playable
        assert Asset.objects.get(pk=asset.pk).status == AssetStatus.PROCESSING
        segment = member.get(urljoin(rung_url, rung.segments[0].uri))
        assert segment.status_code == 200 and segment["Content-Type"] == "video/mp2t"

        key_uri = rung.keys[0].uri
        assert stranger.get(key_uri).status_code == 403 and anonymous.get(key_uri).status_code == 403
        key = member.get(key_uri)
        assert key.status_code == 200 and key.content == bytes(asset.key)
        clear = tmp_path / "first.ts"
        clear.write_bytes(keys.decrypt_segment(key.content, bytes.fromhex(rung.keys[0].iv[2:]), _body(segment)))
        assert decode_ok(clear)
        assert member.get(url.replace(str(expires), str(expires + 1))).status_code == 403  # the token is checked
        assert worker.wait(120) == 0
    finally:
        if worker.poll() is None:
            worker.kill()

    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY, asset.error
    folder = storage.asset_dir(asset.public_id)
    assert not (folder / "preview").exists() and not (folder / "preview.m3u8").exists()
    assert member.get(rung_url).status_code == 404  # the preview gave way to the ladder
    master_url = _player_url(member, asset)
    assert master_url.endswith(f"/{asset.public_id}/master.m3u8")
    master = m3u8.loads(_body(member.get(master_url)).decode())
    assert len(master.playlists) == 2 and member.get(urljoin(master_url, master.playlists[0].uri)).status_code == 200


@pytest.mark.django_db
def test_the_studio_page_plays_a_ready_asset_with_a_signed_url(org_a, org_b):
    platform = make_platform(org_a)
    asset = ready_asset(org_a, make_work(org_a, "brother"), platform)
    reader = _member(org_a, "reader@rusmedia.example", "read_only")  # whoever may read the page
    url = _player_url(reader, asset)
    token, expires = url.split("/")[2:4]
    assert url.endswith(f"/{asset.public_id}/master.m3u8") and tokens.is_valid(token, int(expires), asset.public_id)
    assert reader.get(url).status_code == 200
    page = reader.get(f"/studio/cinema/assets/{asset.public_id}/").content.decode()
    assert "vendor/hls.min.js" in page
    assert _member(org_b, "li@smg.example").get(f"/studio/cinema/assets/{asset.public_id}/").status_code == 404


@pytest.mark.django_db
def test_the_key_goes_to_members_of_the_owning_organisation_only(org_a, org_b):
    platform = make_platform(org_a)
    asset = ready_asset(org_a, make_work(org_a, "brother"), platform)
    key_url = f"/cinema/keys/{asset.public_id}/"
    for role in ("platform_operator", "read_only"):
        got = _member(org_a, f"{role}@rusmedia.example", role).get(key_url)
        assert got.status_code == 200 and got.content == KEY and "no-cache" in got["Cache-Control"]
    assert _member(org_b, "li@smg.example").get(key_url).status_code == 403
    assert Client().get(key_url).status_code == 403
    # another organisation's own asset is no key to this one
    other = ready_asset(org_b, make_work(org_b, "other"), make_platform(org_b, slug="other-kino"))
    assert _member(org_a, "op2@rusmedia.example").get(f"/cinema/keys/{other.public_id}/").status_code == 403


def test_preview_segments_are_hard_links_or_copies_where_links_fail(tmp_path, monkeypatch):
    source = tmp_path / "seg_00000.ts"
    source.write_bytes(b"\x47" * 188)
    storage.link_or_copy(source, tmp_path / "linked.ts")
    assert (tmp_path / "linked.ts").stat().st_ino == source.stat().st_ino  # no second copy of the bytes

    def refuse(*_args):
        raise OSError("cross-device link")

    monkeypatch.setattr(storage.os, "link", refuse)
    storage.link_or_copy(source, tmp_path / "copied.ts")
    copied = tmp_path / "copied.ts"
    assert copied.read_bytes() == source.read_bytes() and copied.stat().st_ino != source.stat().st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copied.ts", "linked.ts", "seg_00000.ts"]  # no temporary left
