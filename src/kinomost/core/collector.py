"""Python's cyclic garbage collector, held off while a bulk job builds its objects.

An avails import of 20,000 rows keeps hundreds of thousands of small objects alive at once
(rows, their field dicts, tuples of atoms). The cyclic collector is triggered by allocation
counts, and each of its full sweeps walks every one of those live objects again; measured on the
import bench it was a fifth of the whole import (2.0 s → 1.6 s with it held off,
docs/avails.md "Speed of the import"). Reference counting still frees everything that is not
in a cycle the moment it is dropped, so memory follows the job as before; the few cycles made
meanwhile (querysets, exceptions) are collected when the job ends.

The switch is process-wide: `paused()` counts who holds it, so two jobs on two threads of one
server leave the collector on only when both have finished.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Hold the cyclic collector off for the block (nested and concurrent uses are fine)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
