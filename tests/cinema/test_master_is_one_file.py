"""A master is one media file: nothing handed in can make ffmpeg read another file or a URL.

The attack this holds off: organisation B's operator hands in a "master" that is an HLS playlist
or an ffconcat list (also disguised as .mp4 or .ts) whose entries point at organisation A's
private source (by absolute path, `file:` URL or a relative path), at /etc/passwd, at the data
dir's secret key or at an internal URL; ffmpeg would follow them and B would get a ready asset
of A's film. Every such file is refused at hand-in, before ffmpeg or ffprobe open it.
"""

import socket
import threading
from pathlib import Path

import pytest
from django.conf import settings

from kinomost.catalog import services as catalog
from kinomost.cinema import ffmpeg, mediafile, services, storage
from kinomost.cinema.models import Asset, AssetStatus
from kinomost.cinema.services import IngestRequest
from kinomost.cinema.worker import run_worker
from kinomost.core.errors import InvalidInput
from kinomost.parties.context import Actor
from kinomost.parties.models import Role

from tests.factories import make_clip

from .conftest import decode_ok


@pytest.fixture
def operator_b(org_b):
    return Actor(organisation=org_b, role=Role.PLATFORM_OPERATOR)


@pytest.fixture
def film_b(org_b):
    return catalog.save_work(org_b, catalog.WorkInput(ref="B-1", kind="feature", titles={"en": "B's film"}))[0]


@pytest.fixture
def source_of_a(operator, film, tmp_path):
    """Organisation A's master, handed in and stored privately: what B must never read. MPEG-TS,
    which an HLS playlist plays as a segment: before this rule B got a ready asset of it."""
    master = _master(tmp_path / "a-master.ts", ["-f", "mpegts"], [*H264, "-g", "25"], ["-c:a", "aac"])
    asset = services.start_ingest(operator, IngestRequest(work=film, master=master, ladder=[144]))
    stored = storage.private_path(asset.sources.get(kind="master").path)
    assert stored.is_file()
    return asset, stored


class Listener:
    """A TCP port on 127.0.0.1 that records every connection (ffmpeg fetching a URL would come here)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


def _targets(stored_a: Path, listener: Listener) -> dict[str, str]:
    relative = Path("../" * 12) / stored_a.relative_to("/")
    return {
        "absolute": str(stored_a),
        "file-url": f"file:{stored_a}",
        "relative": str(relative),
        "passwd": "/etc/passwd",
        "secret-key": str(Path(settings.DATA_DIR) / "secret_key"),
        "http": f"http://127.0.0.1:{listener.port}/master.ts",
    }


def _hls(target: str) -> str:
    return f"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n{target}\n#EXT-X-ENDLIST\n"


def _ffconcat(target: str) -> str:
    return f"ffconcat version 1.0\nfile '{target}'\n"


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".m3u8", ".mp4", ".ts", ".ffconcat", ".mkv"])
@pytest.mark.parametrize("shape", ["hls", "ffconcat"])
def test_playlists_and_concat_lists_pointing_anywhere_are_refused_at_hand_in(
    operator_b, film_b, source_of_a, listener, tmp_path, suffix, shape
):
    asset_a, stored_a = source_of_a
    ordinary = make_clip(tmp_path / "ok.mp4", seconds=1)  # a real master, beside which the hostile file is an audio track
    for name, target in _targets(stored_a, listener).items():
        hostile = tmp_path / f"{name}{suffix}"
        hostile.write_text(_hls(target) if shape == "hls" else _ffconcat(target))
        for request in (
            IngestRequest(work=film_b, master=hostile, ladder=[144]),
            IngestRequest(work=film_b, master=ordinary, audio=[("ru", hostile)], ladder=[144]),
        ):
            with pytest.raises(InvalidInput) as refused:
                services.start_ingest(operator_b, request)
            kind = "an HLS playlist" if shape == "hls" else "an ffconcat list"
            assert f"{hostile.name} is {kind}, which only names other files" in refused.value.message
    assert not Asset.objects.filter(organisation=operator_b.organisation).exists()
    assert listener.connections == 0
    assert Asset.objects.get(pk=asset_a.pk).status == AssetStatus.QUEUED


@pytest.mark.django_db
def test_other_files_that_name_or_are_not_media_are_refused(operator_b, film_b, tmp_path):
    cases = {
        "session.sdp": (b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\nm=video 5004 RTP/AVP 96\r\n", "an SDP session description"),
        "frame.mp4": (b"\x89PNG\r\n\x1a\n" + bytes(64), "an image, not a film"),
        "passwd.mp4": (Path("/etc/passwd").read_bytes() if Path("/etc/passwd").exists() else b"root:x:0:0\n", "not a media container"),
        "empty.mp4": (b"", "not a media container"),
    }
    for name, (content, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InvalidInput) as refused:
            services.start_ingest(operator_b, IngestRequest(work=film_b, master=path, ladder=[144]))
        assert reason in refused.value.message, name
        assert "MP4/MOV, Matroska/WebM, MPEG-TS, MXF" in refused.value.message
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_a_subtitle_file_is_text_and_nothing_else(operator_b, film_b, tmp_path):
    master = make_clip(tmp_path / "ok.mp4", seconds=1)
    media_as_subs = tmp_path / "film.srt"
    media_as_subs.write_bytes(master.read_bytes())
    playlist_as_subs = tmp_path / "list.vtt"
    playlist_as_subs.write_text(_hls("/etc/passwd"))
    for subs, reason in ((media_as_subs, "is not text"), (playlist_as_subs, "is not a subtitle file")):
        with pytest.raises(InvalidInput) as refused:
            services.start_ingest(operator_b, IngestRequest(work=film_b, master=master, subtitles=[("ru", subs)], ladder=[144]))
        assert reason in refused.value.message
    assert not Asset.objects.exists()


def test_the_input_options_pin_the_container_and_the_file_protocol(media_files):
    args = mediafile.input_args(media_files["master"], mediafile.MASTER_CONTAINERS)
    assert args == ["-protocol_whitelist", "file", "-f", "mov", "-i", f"file:{media_files['master'].resolve()}"]


@pytest.mark.django_db(transaction=True)
def test_a_source_replaced_after_hand_in_is_refused_when_the_worker_reads_it(operator, film, media_files, tmp_path):
    asset = services.start_ingest(operator, IngestRequest(work=film, master=media_files["master"], ladder=[144]))
    stored = storage.private_path(asset.sources.get(kind="master").path)
    stored.unlink()  # a new file in its place (the stored one may be a hard link of the handed-in file)
    stored.write_text(_hls("/etc/passwd"))
    run_worker(until_empty=True)
    asset.refresh_from_db()
    assert asset.status != AssetStatus.READY
    assert "HLS playlist" in asset.error


def _master(path: Path, container_args: list[str], video: list[str], audio: list[str], *, color: list[str] = ()) -> Path:
    ffmpeg.run(
        [
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x180:rate=25:duration=3",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=3",
            *video,
            *color,
            *audio,
            *container_args,
            str(path),
        ]
    )
    return path


H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
ALLOWED = {
    "film.mov": (["-f", "mov"], H264, ["-c:a", "aac"]),
    "film.mkv": (["-f", "matroska"], H264, ["-c:a", "aac"]),
    "film.webm": (["-f", "webm"], ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"], ["-c:a", "libopus"]),
    "film.ts": (["-f", "mpegts"], H264, ["-c:a", "aac"]),
    "film.mxf": (["-f", "mxf"], ["-c:v", "mpeg2video", "-b:v", "2M"], ["-c:a", "pcm_s16le", "-ar", "48000"]),
}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_ordinary_masters_of_every_allowed_container_still_ingest(operator, film, tmp_path, name):
    container_args, video, audio = ALLOWED[name]
    # Broadcast masters are limited-range YUV, flagged as such: the poster and sprites are JPEG (full range).
    master = _master(tmp_path / name, container_args, video, audio, color=["-color_range", "tv"])
    asset = services.start_ingest(operator, IngestRequest(work=film, master=master, ladder=[144]))
    assert run_worker(until_empty=True) == 1
    asset.refresh_from_db()
    assert asset.status == AssetStatus.READY, asset.error
    folder = storage.asset_dir(asset.public_id)
    assert (folder / "poster.jpg").stat().st_size > 0 and list((folder / "sprites").glob("sprite_*.jpg"))
    assert decode_ok(folder / "poster.jpg")
