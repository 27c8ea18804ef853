"""Reads from the paths in front of Django keep working when their connection ages or is dropped."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from kinomost.core.db import close_django_thread_connections, read_in_django_thread

pytestmark = pytest.mark.django_db(transaction=True)  # the reads run in another thread, on its own connection


def front_read(read):
    """`read` as the ASGI paths run it: from an event loop, in Django's thread for synchronous code."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, read_in_django_thread(read)).result()


@pytest.fixture(autouse=True)
def closed_after():
    yield
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, close_django_thread_connections()).result()


def _users() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.count()


def _driver_connection():
    connections["default"].ensure_connection()
    return connections["default"].connection  # held by the test, so a new one cannot reuse its address


def test_a_connection_past_its_age_is_replaced_before_the_next_read():
    first = front_read(_driver_connection)
    assert front_read(_driver_connection) is first  # kept while young (CONN_MAX_AGE)

    def age():
        connections["default"].close_at = 0  # past CONN_MAX_AGE
        return _driver_connection()

    assert front_read(age) is first
    assert front_read(_driver_connection) is not first


def test_a_connection_the_server_dropped_is_replaced_and_the_read_answers():
    if connection.vendor != "postgresql":
        pytest.skip("only a database server drops a connection; SQLite has none to drop")
    front_read(_users)
    backend = front_read(lambda: connections["default"].connection.info.backend_pid)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    assert front_read(_users) == 0  # the first read after the drop answers, on a new connection
    assert front_read(lambda: connections["default"].connection.info.backend_pid) != backend
