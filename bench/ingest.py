"""Ingest benchmark: Kinomost's whole pipeline beside plain ffmpeg making the same ladder.

    .venv/bin/python bench/ingest.py                          # 60 s of 1080p → 1080/720/480 (the issue's figure)
    .venv/bin/python bench/ingest.py --seconds 10 --height 360 --ladder 360,240   # quick

The anchor is one plain ffmpeg run with the very command the pipeline's transcode step builds,
minus the scrubbing sprites: the same rungs, the same audio rendition, the same encryption, no
database, no queue. The pipeline run is everything an operator waits for: `start_ingest`
(probe, decode check, hard link into private storage, queue) and a worker doing probe,
transcode (with sprites), subtitles, poster and thumbnail index, and the master playlist, until
the asset is ready. It also reports the time until the lowest rung is playable (preview.m3u8
published). The master is generated once (testsrc2 + tone, x264 ultrafast) and reused from
var/bench/. Runs on a throwaway SQLite database in var/bench/ingest-data/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--ladder", default="1080,720,480")
    parser.add_argument("--rounds", type=int, default=1, help="anchor and pipeline alternate this many times")
    args = parser.parse_args()
    data = BENCH / "ingest-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    os.environ.update(KINOMOST_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="kinomost.settings")
    os.environ.pop("KINOMOST_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    master = _master(args.seconds, args.height)
    ladder = [int(h) for h in args.ladder.split(",")]
    print(f"master: {args.seconds} s, {args.height}p, one audio track; ladder {ladder}; {os.cpu_count()} CPUs")
    anchors, pipelines, firsts = [], [], []
    for n in range(args.rounds):
        anchors.append(_anchor(master, ladder))
        total, first = _pipeline(master, ladder, n)
        pipelines.append(total)
        firsts.append(first)
        print(
            f"round {n + 1}: plain ffmpeg {anchors[-1]:.1f} s, kinomost {total:.1f} s "
            f"(ratio {total / anchors[-1]:.3f}), lowest rung playable after {first:.1f} s"
        )
    anchor, pipeline = min(anchors), min(pipelines)
    print(
        f"best: plain ffmpeg {anchor:.1f} s, kinomost pipeline {pipeline:.1f} s, ratio {pipeline / anchor:.3f} "
        f"(target ≤ 1.05); first playable rung after {min(firsts):.1f} s"
    )


def _master(seconds: int, height: int) -> Path:
    from kinomost.cinema import ffmpeg

    path = BENCH / f"master-{seconds}s-{height}p.mp4"
    if not path.exists():
        width = height * 16 // 9 // 2 * 2
        ffmpeg.run(
            [
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=size={width}x{height}:rate=25:duration={seconds}",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:duration={seconds}",
                "-map",
                "0",
                "-map",
                "1",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-crf",
                "18",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-metadata:s:a:0",
                "language=rus",
                str(path),
            ]
        )
    return path


def _anchor(master: Path, heights: list[int]) -> float:
    from kinomost.cinema import ffmpeg, ladder, probe

    plan = ladder.plan(probe.probe(master), ladder=heights, added_audio=[])
    with tempfile.TemporaryDirectory(dir=BENCH) as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        key = Path(tmp) / "k.key"
        key.write_bytes(os.urandom(16))
        info = Path(tmp) / "k.keyinfo"
        info.write_text(f"/k\n{key}\n")
        cmd = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-nostdin", *ladder.transcode_args(plan, master, out, info, sprites=False)]
        started = time.perf_counter()
        subprocess.run(cmd, check=True)
        return time.perf_counter() - started


def _pipeline(master: Path, heights: list[int], n: int) -> tuple[float, float]:
    from kinomost.catalog import services as catalog
    from kinomost.cinema import services
    from kinomost.cinema.models import Asset, AssetStatus
    from kinomost.cinema.worker import run_worker
    from kinomost.parties import services as parties
    from kinomost.parties.context import Actor

    org = parties.create_organisation(slug=f"bench-{n}", name="Bench", kind="platform", country="RU")
    work = catalog.save_work(org, catalog.WorkInput(ref="BENCH", kind="feature", titles={"en": "Bench"}))[0]
    actor = Actor(organisation=org, role="owner")
    first: list[float] = []
    started = time.perf_counter()
    asset = services.start_ingest(actor, services.IngestRequest(work=work, master=master, ladder=heights))
    done = threading.Event()

    def watch():
        while not done.is_set():
            if (
                Asset.objects.filter(pk=asset.pk).exclude(preview_playlist="").exists()
                or Asset.objects.filter(pk=asset.pk, status=AssetStatus.READY).exists()
            ):
                first.append(time.perf_counter() - started)
                return
            time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    run_worker(until_empty=True)
    total = time.perf_counter() - started
    done.set()
    watcher.join()
    asset.refresh_from_db()
    if asset.status != AssetStatus.READY:
        sys.exit(f"pipeline failed: {asset.error}")
    return total, first[0] if first else total


if __name__ == "__main__":
    main()
