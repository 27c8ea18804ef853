"""A tiny generated master (10 s, 320×180, Russian and English audio), an added German dub and
Russian subtitles in Windows-1251, as an operator would hand them in; storage in tmp folders."""

import subprocess

import pytest

from kinomost.catalog import services as catalog
from kinomost.cinema import ffmpeg
from kinomost.cinema.services import IngestRequest
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.factories import SUBTITLES_RU, make_clip

TEST_LADDER = [180, 144]


@pytest.fixture(scope="session")
def media_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("masters")
    master = make_clip(folder / "film.mp4")
    dub = folder / "dub-de.m4a"
    ffmpeg.run(["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=1000:duration=10", "-c:a", "aac", str(dub)])
    subs = folder / "film.ru.srt"
    subs.write_bytes(SUBTITLES_RU.encode("cp1251"))
    return {"master": master, "dub": dub, "subs": subs, "folder": folder}


@pytest.fixture(autouse=True)
def cinema_storage(settings, tmp_path):
    settings.CINEMA_HLS_ROOT = tmp_path / "hls"
    settings.CINEMA_PRIVATE_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture
def operator(org_a):
    return Actor(organisation=org_a, role=Role.PLATFORM_OPERATOR)


@pytest.fixture
def film(org_a):
    return catalog.save_work(org_a, catalog.WorkInput(ref="FILM-1", kind="feature", titles={"ru": "Фильм", "en": "Film"}))[0]


@pytest.fixture
def full_request(film, media_files):
    return IngestRequest(
        work=film,
        master=media_files["master"],
        audio=[("de", media_files["dub"])],
        subtitles=[("ru", media_files["subs"])],
        ladder=TEST_LADDER,
    )


def decode_ok(path) -> bool:
    proc = subprocess.run([ffmpeg.ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True)
    return proc.returncode == 0 and not proc.stderr.strip()
