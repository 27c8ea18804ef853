"""The heartbeat path's own Redis connection (cinema/pipelined.py), checked against the Redis
server itself and redis-py (which nobody here wrote): the same answers, in order, over one
connection; replies however the network cuts them; and failures that fail the waiting commands
instead of hanging them."""

import asyncio
import uuid

import pytest
import redis as redis_lib
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from kinomost.cinema import pipelined

REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def redis():
    client = redis_lib.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis_lib.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (the test needs it: apt-get install redis-server)")
    prefix = f"test:{uuid.uuid4().hex}:"
    yield client, prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_commands_sent_together_are_answered_in_their_order_as_redis_py_reads_them(redis):
    client, prefix = redis
    values = [b"", b"plain", b"line\r\nbreak", bytes(range(256)), "кино 电影".encode()]
    for number, value in enumerate(values):
        client.set(f"{prefix}{number}", value)
    client.rpush(f"{prefix}list", 1)

    async def ask():
        connection = pipelined.Connection(REDIS_URL)
        words = [("GET", f"{prefix}{n}") for n in range(len(values))] + [("GET", f"{prefix}missing"), ("INCR", f"{prefix}n")]
        answers = await asyncio.gather(*(connection.run(*command) for command in words))
        wrong_type = connection.run("GET", f"{prefix}list")  # an error reply fails this command alone
        after = connection.run("XADD", f"{prefix}stream", "MAXLEN", "~", 5_000_000, "*", "b", "s 1.5 15.0 1.0")
        results = await asyncio.gather(wrong_type, after, return_exceptions=True)
        connection.close()
        return answers, results

    answers, (wrong_type, entry_id) = asyncio.run(ask())
    assert answers == [*values, None, 1]
    assert isinstance(wrong_type, pipelined.ReplyError) and "WRONGTYPE" in str(wrong_type)
    [(read_id, fields)] = client.xrange(f"{prefix}stream")
    assert read_id == entry_id and fields == {b"b": b"s 1.5 15.0 1.0"}


def test_the_database_of_the_url_is_the_one_written(redis):
    client, prefix = redis

    async def write():
        connection = pipelined.Connection(REDIS_URL)
        await connection.run("SET", f"{prefix}where", 3)
        connection.close()

    asyncio.run(write())
    assert client.get(f"{prefix}where") == b"3"  # DB 3, as the URL says
    assert redis_lib.Redis.from_url("redis://127.0.0.1:6379/0").get(f"{prefix}where") is None


@examples(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=120), max_size=8))
def test_replies_cut_anywhere_by_the_network_are_read_whole(cuts):
    replies = [b"$5\r\nhello\r\n", b"$-1\r\n", b"$4\r\n\r\n\r\n\r\n", b":42\r\n", b"+OK\r\n", b"-ERR no\r\n", b"*2\r\n$1\r\na\r\n:7\r\n"]
    stream = b"".join(replies)

    async def feed():
        protocol = pipelined._Protocol(timeout=60)
        protocol.connection_made(_Transport())
        futures = [protocol.send(b"PING") for _ in replies]
        at = 0
        for cut in sorted({min(c, len(stream)) for c in cuts}) + [len(stream)]:
            protocol.data_received(stream[at:cut])
            at = cut
        return await asyncio.gather(*futures, return_exceptions=True)

    answers = asyncio.run(feed())
    assert answers[:5] == [b"hello", None, b"\r\n\r\n", 42, b"OK"]
    assert isinstance(answers[5], pipelined.ReplyError) and str(answers[5]) == "ERR no"
    assert answers[6] == [b"a", 7]


class _Transport(asyncio.Transport):
    def write(self, data):
        pass

    def abort(self):
        pass


def _server(handle):
    """A fake Redis on a free port: `handle(reader, writer)` per connection; (server, url)."""

    async def start():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        return server, f"redis://127.0.0.1:{server.sockets[0].getsockname()[1]}/0"

    return start()


def test_a_server_that_does_not_answer_fails_the_waiting_commands_within_the_timeout():
    async def silent(reader, writer):
        await reader.read(1 << 16)
        await asyncio.sleep(30)

    async def ask():
        server, url = await _server(silent)
        connection = pipelined.Connection(url, timeout=0.3)
        began = asyncio.get_running_loop().time()
        answers = await asyncio.gather(connection.run("GET", "a"), connection.run("GET", "b"), return_exceptions=True)
        waited = asyncio.get_running_loop().time() - began
        server.close()
        return answers, waited

    answers, waited = asyncio.run(ask())
    assert all(isinstance(a, ConnectionError) for a in answers)
    assert 0.3 <= waited < 2


def test_a_dropped_connection_fails_its_commands_and_the_next_command_connects_again():
    connections = []

    async def flaky(reader, writer):
        connections.append(writer)
        await reader.read(1 << 16)
        if len(connections) == 1:
            writer.close()  # the first connection drops with a command in flight
            return
        writer.write(b"+PONG\r\n")
        await writer.drain()
        await asyncio.sleep(1)

    async def ask():
        server, url = await _server(flaky)
        connection = pipelined.Connection(url, timeout=1)
        with pytest.raises(ConnectionError):
            await connection.run("PING")
        answer = await connection.run("PING")
        connection.close()
        server.close()
        return answer

    assert asyncio.run(ask()) == b"PONG"
    assert len(connections) == 2


def test_nothing_listening_is_a_connection_error_not_a_hang():
    async def ask():
        server, url = await _server(lambda r, w: None)
        server.close()
        await server.wait_closed()
        with pytest.raises(ConnectionError):
            await pipelined.Connection(url, timeout=1).run("PING")

    asyncio.run(ask())


def test_the_password_and_database_of_the_url_are_sent_before_the_first_command():
    received = bytearray()

    async def recording(reader, writer):
        answered = 0
        while True:
            received.extend(await reader.read(1 << 16))
            if b"PING" in received:
                break
            commands = received.count(b"*")
            writer.write(b"+OK\r\n" * (commands - answered))  # AUTH, SELECT: one at a time
            answered = commands
        writer.write(b"+PONG\r\n")
        await writer.drain()
        await asyncio.sleep(1)

    async def ask():
        server, url = await _server(recording)
        connection = pipelined.Connection(url.replace("redis://", "redis://kino:s3cret@").replace("/0", "/4"), timeout=1)
        answer = await connection.run("PING")
        connection.close()
        server.close()
        return answer

    assert asyncio.run(ask()) == b"PONG"
    assert bytes(received) == pipelined.pack(("AUTH", "kino", "s3cret")) + pipelined.pack(("SELECT", 4)) + pipelined.pack(("PING",))
