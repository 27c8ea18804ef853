"""A tiny generated master (10 s, 320×180, Russian and English audio), an added German dub and
Russian subtitles in Windows-1251, as an operator would hand them in; storage in tmp folders."""

import subprocess

import pytest

from kinomost.catalog import services as catalog
from kinomost.cinema import ffmpeg
from kinomost.cinema.services import IngestRequest
from kinomost.parties.context import Actor
from kinomost.parties.models import Role

TEST_LADDER = [180, 144]
SUBTITLES_RU = "1\n00:00:01,000 --> 00:00:03,000\nПривет, мир\n\n2\n00:00:05,000 --> 00:00:07,500\n<i>Кино</i>\n"


def make_clip(path, *, seconds=10, size="320x180", languages=("rus", "eng")):
    args = ["-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}"]
    for i, _lang in enumerate(languages):
        args += ["-f", "lavfi", "-i", f"sine=frequency={440 + 220 * i}:duration={seconds}"]
    args += ["-map", "0:v"] + [x for i in range(len(languages)) for x in ("-map", f"{i + 1}:a")]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"]
    for i, lang in enumerate(languages):
        args += [f"-metadata:s:a:{i}", f"language={lang}"]
    ffmpeg.run([*args, str(path)])
    return path


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
        work=film, master=media_files["master"], audio=[("de", media_files["dub"])],
        subtitles=[("ru", media_files["subs"])], ladder=TEST_LADDER,
    )


def decode_ok(path) -> bool:
    proc = subprocess.run([ffmpeg.ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True)
    return proc.returncode == 0 and not proc.stderr.strip()
