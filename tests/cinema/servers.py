"""What the tests that start a real server or a worker process share (nginx, `kinomost serve`,
moto's S3, `kinomost worker`): a free port, waiting until the server answers on it, the HTTP
status of a URL, and the test database of this test process as a URL for the process started.

Under pytest-xdist several test processes run at once, each with its own test database
(pytest-django adds `_gw0`, `_gw1`… to its name), so neither a port nor a database name is ever
written into a test."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import quote

from django.db import connection


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


def http_status(url: str, timeout: float = 10) -> int:
    """The status a GET of `url` is answered with, an error status included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def database_url() -> str:
    """The test database pytest-django created for this process, as KINOMOST_DATABASE_URL for a
    server or worker started by the test, so it sees the test's rows."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
