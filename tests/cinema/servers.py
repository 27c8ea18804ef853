"""What the tests that start a real server share (nginx, `kinomost serve`, moto's S3): a free
port, and waiting until the server answers on it."""

import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float, pause: float = 0.1) -> bool:
    """True once something accepts connections on `port`; False when `proc` has exited or
    `seconds` have passed first (the caller says why, from the server's own log)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(pause)
