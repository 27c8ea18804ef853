"""Real ffmpeg on a generated clip: the package a player gets is complete, standard and encrypted."""

import m3u8
import pytest

from kinomost.cinema import keys, services, storage
from kinomost.cinema.models import AssetStatus, JobState, Track
from kinomost.cinema.worker import run_worker

from .conftest import decode_ok

pytestmark = pytest.mark.django_db(transaction=True)


def test_ingest_makes_a_complete_standard_encrypted_package(operator, full_request, tmp_path):
    """One ingest (real ffmpeg is the slow part), every property a player relies on."""
    asset = services.start_ingest(operator, full_request)
    assert run_worker(until_empty=True) == 1
    asset.refresh_from_db()
    check_master_playlist_lists_every_rung_language_and_subtitle(asset)
    check_media_playlists_obey_rfc_8216_and_keyframes_line_up(asset)
    check_segments_decrypt_with_the_asset_key_and_decode(asset, tmp_path)
    check_key_never_lands_in_the_public_folder(asset)
    check_subtitles_become_webvtt_in_unicode(asset)
    check_poster_and_scrubbing_sprites(asset)
    check_job_is_done_and_nothing_temporary_is_left(asset)


def check_master_playlist_lists_every_rung_language_and_subtitle(ready_asset):
    assert ready_asset.status == AssetStatus.READY, ready_asset.error
    assert ready_asset.progress == 100
    folder = storage.asset_dir(ready_asset.public_id)
    master = m3u8.load(str(folder / "master.m3u8"))
    assert master.is_variant
    resolutions = [p.stream_info.resolution for p in master.playlists]
    assert resolutions == [(320, 180), (256, 144)]  # no upscaling beyond the 180-line source
    for p in master.playlists:
        assert p.stream_info.bandwidth > p.stream_info.average_bandwidth > 0
        codecs = p.stream_info.codecs.split(",")
        assert codecs[0].startswith("avc1.64") and codecs[1] == "mp4a.40.2"
        assert p.stream_info.audio == "audio" and p.stream_info.subtitles == "subs"
    audio = [m for m in master.media if m.type == "AUDIO"]
    assert [m.language for m in audio] == ["ru", "en", "de"]
    assert [m.default for m in audio] == ["YES", "NO", "NO"]
    subs = [m for m in master.media if m.type == "SUBTITLES"]
    assert [(m.language, m.group_id) for m in subs] == [("ru", "subs")]
    assert set(Track.objects.filter(asset=ready_asset).values_list("kind", flat=True)) == {"video", "audio", "subtitles"}


def check_media_playlists_obey_rfc_8216_and_keyframes_line_up(ready_asset):
    folder = storage.asset_dir(ready_asset.public_id)
    master = m3u8.load(str(folder / "master.m3u8"))
    uris = [p.uri for p in master.playlists] + [m.uri for m in master.media if m.type == "AUDIO"]
    boundaries = []
    for uri in uris:
        media = m3u8.load(str(folder / uri))
        assert media.playlist_type == "vod" and media.is_endlist
        assert all(round(s.duration) <= media.target_duration for s in media.segments)
        assert 4 <= media.target_duration <= 6
        assert media.keys[0].method == "AES-128" and media.keys[0].uri == f"/cinema/keys/{ready_asset.public_id}/"
        if uri in [p.uri for p in master.playlists]:
            boundaries.append([round(s.duration, 2) for s in media.segments])
    assert boundaries[0] == boundaries[1] == [6.0, 4.0]  # rungs cut at the same instants


def check_segments_decrypt_with_the_asset_key_and_decode(ready_asset, tmp_path):
    folder = storage.asset_dir(ready_asset.public_id)
    master = m3u8.load(str(folder / "master.m3u8"))
    for uri in [master.playlists[-1].uri, [m.uri for m in master.media if m.type == "AUDIO"][2]]:
        media = m3u8.load(str(folder / uri))
        iv = bytes.fromhex(media.keys[0].iv[2:])
        assert iv == bytes(ready_asset.iv)
        for seg in media.segments:
            cipher = (folder / uri).parent.joinpath(seg.uri).read_bytes()
            assert cipher[0] != 0x47 or cipher[188] != 0x47  # not plain MPEG-TS
            clear = tmp_path / "clear.ts"
            clear.write_bytes(keys.decrypt_segment(ready_asset.key, iv, cipher))
            assert clear.read_bytes()[0] == 0x47
            assert decode_ok(clear)


def check_key_never_lands_in_the_public_folder(ready_asset):
    key = bytes(ready_asset.key)
    for path in storage.asset_dir(ready_asset.public_id).rglob("*"):
        if path.is_file():
            assert key not in path.read_bytes(), path
    assert not list(storage.keys_dir().glob(f"{ready_asset.public_id}.*"))


def check_subtitles_become_webvtt_in_unicode(ready_asset):
    folder = storage.asset_dir(ready_asset.public_id)
    playlist = m3u8.load(str(folder / "subs/ru/index.m3u8"))
    assert playlist.is_endlist and playlist.segments[0].uri == "subtitles.vtt"
    vtt = (folder / "subs/ru/subtitles.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:")
    assert "00:01.000 --> 00:03.000" in vtt and "Привет, мир" in vtt


def check_poster_and_scrubbing_sprites(ready_asset):
    folder = storage.asset_dir(ready_asset.public_id)
    assert (folder / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"
    index = (folder / "thumbnails.vtt").read_text()
    cues = [line for line in index.splitlines() if "#xywh=" in line]
    assert len(cues) == 10  # one per second of the 10-second clip
    assert cues[0] == "sprites/sprite_001.jpg#xywh=0,0,160,90"
    assert cues[9].endswith("#xywh=1440,0,160,90")
    assert (folder / "sprites/sprite_001.jpg").exists() and not (folder / "sprites/sprite_002.jpg").exists()


def check_job_is_done_and_nothing_temporary_is_left(ready_asset):
    job = ready_asset.jobs.get()
    assert job.state == JobState.DONE and job.done_steps == ["probe", "transcode", "subtitles", "thumbnails", "publish"]
    folder = storage.asset_dir(ready_asset.public_id)
    assert not [p for p in folder.rglob("*") if ".partial-" in p.name or ".tmp-" in p.name]
    assert not (folder / "preview.m3u8").exists() and not (folder / "preview").exists()
