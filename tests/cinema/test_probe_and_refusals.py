"""What the probe reads from ffmpeg's own summary (no ffprobe here), and the clear refusals an
operator gets for files that cannot become a stream."""

import shutil

import pytest

from kinomost.cinema import ladder, probe, services
from kinomost.cinema.models import Asset
from kinomost.core.errors import InvalidInput, PermissionDenied
from kinomost.parties.context import Actor

from tests.factories import make_clip

SUMMARY = """Input #0, matroska,webm, from 'film.mkv':
  Duration: 01:42:07.52, start: 0.000000, bitrate: 8000 kb/s
  Stream #0:0(eng): Video: h264 (High), yuv420p(tv, bt709, progressive), 1440x1080 [SAR 4:3 DAR 16:9], 23.98 fps, 23.98 tbr, 1k tbn (default)
  Stream #0:1(rus): Audio: ac3, 48000 Hz, 5.1(side), fltp, 448 kb/s (default)
  Stream #0:2(chi): Audio: aac (LC), 48000 Hz, stereo, fltp
  Stream #0:3: Audio: flac, 96000 Hz, 8 channels, s32
  Stream #0:4(rus): Subtitle: subrip
  Stream #0:5: Video: mjpeg (Baseline), yuvj420p, 600x900, 90k tbn (attached pic)
"""
PHONE = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'phone.mov':
  Duration: 00:00:12.40, start: 0.000000, bitrate: 12000 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709), 1920x1080, 11900 kb/s, 29.97 fps, 30 tbr, 600 tbn (default)
      Side data:
        displaymatrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 96 kb/s (default)
"""


@pytest.fixture
def summary(monkeypatch, tmp_path):
    path = tmp_path / "film.mkv"
    path.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(60))  # a Matroska header: the probe reads only what it recognises

    def use(text):
        class Done:
            stderr = text

        monkeypatch.setattr(probe.ffmpeg, "ffprobe_exe", lambda: None)
        monkeypatch.setattr(probe.subprocess, "run", lambda *a, **k: Done())
        return probe.probe(path)

    return use


def test_ffmpeg_summary_gives_streams_languages_and_display_size(summary):
    found = summary(SUMMARY)
    assert found.duration == pytest.approx(6127.52)
    assert found.video.codec == "h264" and (found.video.width, found.video.height, found.video.fps) == (1440, 1080, 23.98)
    assert found.display_size() == (1920, 1080)  # anamorphic 4:3 pixels become square
    assert [(a.language, a.channels) for a in found.audio] == [("ru", 6), ("zh", 2), ("", 8)]
    assert [s.kind for s in found.streams].count("subtitle") == 1
    assert found.streams[-1].attached_picture and found.video is found.streams[0]


def test_a_rotated_phone_video_is_upright(summary):
    found = summary(PHONE)
    assert (found.video.width, found.video.height) == (1080, 1920)


def test_ladder_never_upscales_and_names_audio_by_language(summary):
    found = summary(SUMMARY)
    plan = ladder.plan(found, ladder=[2160, 1080, 720, 480, 360], added_audio=[])
    assert [(r.name, r.width, r.height) for r in plan.rungs] == [
        ("1080p", 1920, 1080),
        ("720p", 1280, 720),
        ("480p", 854, 480),
        ("360p", 640, 360),
    ]
    assert [a.name for a in plan.audio] == ["audio-ru", "audio-zh", "audio-und"]
    small = ladder.plan(summary(PHONE.replace("1920x1080", "400x240")), ladder=[1080, 720], added_audio=[])
    assert [(r.width, r.height) for r in small.rungs] == [(240, 400)]  # smaller than every rung: its own size


def test_language_tags_from_containers():
    assert [probe.language_tag(c) for c in ("rus", "chi", "zho", "fre", "en", "und", "", "qaa")] == [
        "ru",
        "zh",
        "zh",
        "fr",
        "en",
        "",
        "",
        "",
    ]


@pytest.mark.django_db
def test_files_that_cannot_become_a_stream_are_refused_with_a_reason(operator, film, media_files, tmp_path):
    def refused(**kwargs):
        request = services.IngestRequest(work=film, master=kwargs.pop("master", media_files["master"]), ladder=[144], **kwargs)
        with pytest.raises(InvalidInput) as exc:
            services.start_ingest(operator, request)
        return exc.value.message

    text = tmp_path / "notes.mp4"
    text.write_text("not a film")
    assert "notes.mp4 is not a media container Kinomost accepts; hand in a media file in one of these containers: MP4/MOV" in refused(
        master=text
    )
    broken = tmp_path / "broken.mkv"
    broken.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(500))  # a Matroska header and nothing playable after it
    assert "broken.mkv is not a media file that ffmpeg can read" in refused(master=broken)
    sound = media_files["dub"]
    assert refused(master=sound) == "dub-de.m4a has no video stream."
    assert refused(master=tmp_path / "missing.mp4") == "The file missing.mp4 does not exist."
    assert "does not exist" in refused(audio=[("de", tmp_path / "nope.m4a")])
    silent = make_clip(tmp_path / "silent.mp4", seconds=1, languages=())
    assert refused(audio=[("de", silent)]) == "silent.mp4 has no audio stream."
    assert "not a subtitle file" in refused(subtitles=[("ru", sound)])
    empty = tmp_path / "empty.srt"
    empty.write_text("nothing here\n")
    assert "empty.srt" in refused(subtitles=[("ru", empty)])
    assert "'xx' is not a language tag" in refused(audio=[("xx", sound)])
    assert Asset.objects.count() == 0


@pytest.mark.django_db
def test_only_operators_ingest_and_only_into_their_own_platforms(org_a, org_b, film, media_files):
    reader = Actor(organisation=org_a, role="read_only")
    with pytest.raises(PermissionDenied):
        services.start_ingest(reader, services.IngestRequest(work=film, master=media_files["master"]))
    other = services.create_platform(
        Actor(organisation=org_b, role="owner"), slug="cn", name="CN", territories_spec="CN", media="svod", languages=["zh-Hans"]
    )
    with pytest.raises(InvalidInput):
        services.start_ingest(
            Actor(organisation=org_a, role="owner"), services.IngestRequest(work=film, master=media_files["master"], platform=other)
        )


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs the system's ffprobe (Debian's ffmpeg package; .ci/run installs it)")
def test_with_ffprobe_a_file_it_cannot_read_is_refused_with_its_reason(monkeypatch, tmp_path, media_files):
    """The ffprobe path must refuse as clearly as the ffmpeg one (it once shadowed gettext: a 500)."""
    monkeypatch.setattr(probe.ffmpeg, "ffprobe_exe", lambda: shutil.which("ffprobe"))
    broken = tmp_path / "broken.mkv"
    broken.write_bytes(b"\x1a\x45\xdf\xa3" + bytes(500))
    with pytest.raises(InvalidInput) as refused:
        probe.probe(broken)
    assert "broken.mkv is not a media file that ffmpeg can read" in refused.value.message
    found = probe.probe(media_files["master"])
    assert (found.video.width, found.video.height) == (320, 180) and [a.language for a in found.audio] == ["ru", "en"]
