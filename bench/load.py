"""A small HTTP/1.1 load generator for the server benchmarks (bench/serve.py, bench/playback.py).

Why our own: no wrk/ab on the machines here, and http.client in threads spends more CPU than the
server it measures. Each client is an asyncio task on one keep-alive connection sending the next
request as soon as the answer is read (closed loop), so `clients` is the number of requests in
flight. The clients are spread over `processes` event loops (processes) so the loader is not one
core's worth of Python. Only 127.0.0.1 or another address the caller gives: nothing else.

Every answer's status is counted; a measurement with any answer outside `ok` is reported as such
(the callers refuse to print a throughput made of errors). Latency is from the first byte sent
to the last byte read, per request.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Request:
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in self.headers.items())]
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass
class Result:
    clients: int
    seconds: float
    count: int
    statuses: dict
    latencies_ms: list

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95(self) -> float:
        return self.percentile(95)

    def errors(self, ok=(200,)) -> dict:
        return {status: n for status, n in self.statuses.items() if status not in ok}


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length, chunked = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _client(host, port, payloads, start_at, deadline, offset, sink) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    try:
        while (now := time.perf_counter()) < deadline:
            payload = payloads[i % len(payloads)]
            i += 1
            writer.write(payload)
            await writer.drain()
            status = await _read_response(reader)
            if now >= start_at:  # warm-up requests are not counted
                sink.append((status, (time.perf_counter() - now) * 1000))
    finally:
        writer.close()


def _loop_main(host, port, payloads, clients, offsets, warmup, seconds, queue) -> None:
    sink: list = []

    async def main():
        start_at = time.perf_counter() + warmup
        deadline = start_at + seconds
        await asyncio.gather(*(_client(host, port, payloads, start_at, deadline, o, sink) for o in offsets))

    try:
        asyncio.run(main())
    except OSError as error:  # refused or reset: the caller says so instead of waiting forever
        queue.put(error)
        return
    queue.put(sink)


def run(base_url: str, requests: list[Request], clients: int, seconds: float, *, processes: int = 1, warmup: float = 0.5) -> Result:
    """`clients` concurrent keep-alive clients for `seconds` (after `warmup`), cycling through
    `requests` (client k starts at request k, so each gets its own when there are enough)."""
    url = urlsplit(base_url)
    host, port = url.hostname, url.port or 80
    payloads = [r.encode(url.netloc) for r in requests]
    processes = max(1, min(processes, clients))
    share = [list(range(k, clients, processes)) for k in range(processes)]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_loop_main, args=(host, port, payloads, len(offsets), offsets, warmup, seconds, queue)) for offsets in share
    ]
    for worker in workers:
        worker.start()
    answers = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    failed = [a for a in answers if isinstance(a, BaseException)]
    if failed:
        raise ConnectionError(f"the load generator lost its connection: {failed[0]}")
    samples = [s for answer in answers for s in answer]
    statuses: dict = {}
    for status, _ in samples:
        statuses[status] = statuses.get(status, 0) + 1
    return Result(clients=clients, seconds=seconds, count=len(samples), statuses=statuses, latencies_ms=[ms for _, ms in samples])


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Linux /proc), e.g. granian's main process and its workers."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its descendants so far: requests per CPU-second is a
    server's throughput per core, a figure the other load on a shared machine hardly moves."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (VmRSS)."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
