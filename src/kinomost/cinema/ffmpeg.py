"""Where ffmpeg comes from and how it is run.

The binary: `KINOMOST_FFMPEG` if set, else the one the `imageio-ffmpeg` wheel ships (it has
libx264 on every machine `pip install` reaches), else the system's `ffmpeg`. Child processes
die with the worker (Linux parent-death signal) so a killed worker leaves no encoder writing
behind it; every attempt also writes to its own temporary folder, so even a survivor could
not touch the next attempt's output. Every run starts in an empty working folder of its own, so
a relative name that reached ffmpeg could resolve to nothing (inputs are read only through
`cinema.mediafile.input_args`, which pins what they are).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from kinomost.core.errors import InvalidInput


class FfmpegFailed(Exception):
    """ffmpeg exited with an error; `detail` holds the end of its log."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    configured = os.environ.get("KINOMOST_FFMPEG")
    if configured:
        return configured
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        found = shutil.which("ffmpeg")
        if found:
            return found
    raise InvalidInput("ffmpeg is not installed: install the imageio-ffmpeg wheel or the system's ffmpeg")


@lru_cache(maxsize=1)
def ffprobe_exe() -> str | None:
    """The system's ffprobe when present (imageio-ffmpeg ships none). `KINOMOST_FFPROBE=none`
    reads ffmpeg's own summary even where ffprobe is installed (how CI runs both ways)."""
    configured = os.environ.get("KINOMOST_FFPROBE")
    if configured == "none":
        return None
    return configured or shutil.which("ffprobe")


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@contextmanager
def empty_working_folder() -> Iterator[str]:
    """A fresh empty folder for one run of ffmpeg or ffprobe, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kinomost-ffmpeg-") as folder:
        yield folder


def execute(command: Sequence[str], *, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ffmpeg or ffprobe to its end in an empty working folder, dying with this process;
    the caller reads the exit code and the log (the probe needs the log of a failure too).
    Every path in `command` must be absolute: a relative one would name a file in that folder."""
    with empty_working_folder() as folder:
        return subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            cwd=folder,
            preexec_fn=_die_with_parent,
        )


def run(args: Sequence[str], *, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run ffmpeg to completion; raise FfmpegFailed with the log's tail when it fails."""
    proc = execute([ffmpeg_exe(), "-hide_banner", "-nostdin", *args], timeout=timeout)
    if proc.returncode != 0:
        raise FfmpegFailed("ffmpeg failed", _tail(proc.stderr))
    return proc


def run_with_progress(args: Sequence[str], on_progress: Callable[[float, float], bool]) -> None:
    """Run ffmpeg, calling `on_progress(seconds_done, speed)` at each progress report (about twice a
    second). If the callback answers False (the lease was lost) ffmpeg is stopped."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-progress", "pipe:1", *args]
    with (
        empty_working_folder() as folder,
        subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            cwd=folder,
            preexec_fn=_die_with_parent,
        ) as proc,
    ):
        log: list[str] = []
        reader = threading.Thread(target=_keep_tail, args=(proc.stderr, log), daemon=True)
        reader.start()
        done = 0.0
        for line in proc.stdout:
            key, _, value = line.strip().partition("=")
            if key == "out_time_us" and value.isdigit():
                done = int(value) / 1_000_000
            elif key == "speed" and not on_progress(done, _speed(value)):
                proc.kill()
                proc.wait()
                raise FfmpegFailed("stopped: this worker no longer holds the job")
        code = proc.wait()
        reader.join(timeout=5)
    if code != 0:
        raise FfmpegFailed("ffmpeg failed", _tail("".join(log)))


def _keep_tail(stream, log: list[str]) -> None:
    """Read stderr to its end, keeping the last lines: a full pipe would stall ffmpeg."""
    for line in stream:
        log.append(line)
        if len(log) > 200:
            del log[:100]


def _speed(value: str) -> float:
    try:
        return float(value.rstrip("x"))
    except ValueError:
        return 0.0


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
