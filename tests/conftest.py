"""Shared fixtures: two organisations that must never see each other's private data; and, for
every test, the settings that keep test processes apart (pytest-xdist runs several at once)."""

import os
from collections import Counter

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection
from django.test import override_settings

from kinomost.parties import services as parties
from kinomost.parties.context import Actor
from kinomost.parties.models import Role
from tests.factories import PASSWORD

# `kinomost serve` started by a test runs one worker process, as before it defaulted to one per
# core: the tests' servers stay small on a shared machine (a test that wants more says so).
os.environ.setdefault("KINOMOST_WEB_WORKERS", "1")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The files that hold a `slow` or `e2e` test come first, then the others, most tests first;
    each file's tests keep their order (pytest-django's, which runs before this).

    pytest-xdist's `--dist loadfile` hands files to its workers in this order (the Makefile
    passes --no-loadscope-reorder: xdist's own reorder, most tests per file first, put the files
    of one long test, tests/test_api_fuzz.py above all, last, and one worker ran them alone for
    the run's last minutes). Started first, the long files run while the short ones fill the
    other workers. Serially (-n0) no test may rely on the order: tests/conftest.py puts the
    migrations' rows back after any transactional test, in any order."""
    long = {item.path for item in items if item.get_closest_marker("slow") or item.get_closest_marker("e2e")}
    count = Counter(item.path for item in items)
    items.sort(key=lambda item: (item.path not in long, 0 if item.path in long else -count[item.path]))  # stable


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Sign-in and API-key throttle counters live in the (process-wide) cache: each test starts clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _interface_language_reset():
    """A test that switches the interface language (translation.activate) leaves it to itself:
    the next test in the same process starts in the default language again."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _heartbeats_folded_by_the_test():
    """Heartbeats wait in the process's buffer until a test folds them (cinema.beats.drain): no
    background folder thread touches the test database, and no beat of one test reaches the next."""
    from kinomost.cinema import beats, live

    beats._buffer.take()
    live.forget()
    with override_settings(CINEMA_BEAT_FOLDER_THREAD=False):
        yield


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Most tests create or sign in a member; tests/hashers.py says why hashing is made cheap."""
    with override_settings(PASSWORD_HASHERS=["tests.hashers.QuickPBKDF2PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def process_data_dir(tmp_path_factory):
    """Media, HLS packages and private cinema files of this test process go to a folder of its
    own, never to the data dir (./var) that every test process of the checkout shares: under
    pytest-xdist, tmp_path_factory is per worker. Tests that compare folders still take their
    own tmp_path (tests/cinema's cinema_storage)."""
    data = tmp_path_factory.mktemp("data")
    # The cache (throttle counters) too: each test clears it, which must not clear another process's.
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(
        MEDIA_ROOT=data / "media", CINEMA_HLS_ROOT=data / "media" / "hls", CINEMA_PRIVATE_ROOT=data / "cinema", CACHES=caches
    ):
        yield data


MIGRATION_DATA = pytest.StashKey[tuple]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database, and a copy of the rows Kinomost's migrations put in it
    (genres, quota and approval rules…), which tests rely on as production does."""
    with django_db_blocker.unblock():
        seeded = [
            m
            for m in apps.get_models()
            if m._meta.app_config.name.startswith("kinomost.") and m._meta.managed and not m._meta.proxy and m._default_manager.exists()
        ]
        rows = serializers.serialize("json", [row for m in seeded for row in m._default_manager.order_by("pk")])
    request.config.stash[MIGRATION_DATA] = (seeded, rows, django_db_blocker)
    yield


def _flush_again_after_a_deadlock() -> None:
    """A transactional test's closing flush (TRUNCATE of every table) can deadlock on PostgreSQL
    with a request the live server or a browser still has in flight (seen in CI: a page's last
    fetch at the end of an e2e test). PostgreSQL then cancels the flush, the worker's next tests
    meet the last one's rows, and hundreds fail. The flush is one transaction, rolled back whole:
    it is run again (up to five times, half a second apart) instead."""
    import time

    from django.db import OperationalError
    from django.db.backends.base.operations import BaseDatabaseOperations

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        for attempt in range(5):
            try:
                return flush(self, sql_list)
            except OperationalError as exc:
                if "deadlock detected" not in str(exc) or attempt == 4:
                    raise
                time.sleep(0.5)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush


_flush_again_after_a_deadlock()


def _flush_postgresql_by_delete() -> None:
    """A transactional test's closing flush deletes every row instead of PostgreSQL's TRUNCATE.

    TRUNCATE gives each of the ~70 tables and their indexes new files and syncs them: 440–490 ms
    a flush, measured on an empty test database, against 10–12 ms for DELETE FROM each table, and
    a pass on PostgreSQL ends ~65 transactional tests. The tables end as empty either way; every
    foreign key Django makes there is DEFERRABLE INITIALLY DEFERRED (no other is), so the order
    of the deletes does not matter inside the flush's one transaction. `reset_sequences` still
    restarts the tables' sequences, as TRUNCATE … RESTART IDENTITY did."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables:
            return []
        sql = ["SET CONSTRAINTS ALL DEFERRED"] + [f"DELETE FROM {self.quote_name(table)}" for table in tables]
        if reset_sequences:
            with self.connection.cursor() as cursor:
                sequences = [seq for table in tables for seq in self.connection.introspection.get_sequences(cursor, table)]
            sql += self.sequence_reset_by_name_sql(style, sequences)
        return sql

    DatabaseOperations.sql_flush = sql_flush


_flush_postgresql_by_delete()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the migrations' rows back after a transactional test emptied the database.

    A `transaction=True` test (or `live_server`) ends with a flush of every table. Run serially,
    pytest-django orders those tests after all the others, so no test ever met the empty
    database; under pytest-xdist a worker may run any file after a transactional one, so the
    rows are restored here, for every test, in any order or distribution."""
    outcome = yield
    if nextitem is not None:
        restore_migration_data(item.config)
    return outcome


def restore_migration_data(config) -> None:
    """Reload the migrations' rows when a flush removed them (a few queries when nothing did)."""
    seeded, rows, blocker = config.stash.get(MIGRATION_DATA, ((), "", None))
    if not seeded:
        return  # no test of this process used the database
    with blocker.unblock():
        if not all(m._default_manager.exists() for m in seeded):
            connection.creation.deserialize_db_from_string(rows)
            # The rows keep their ids: move the tables' sequences past them, as loaddata does
            # (a flush with reset_sequences restarted them at 1 on PostgreSQL).
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), seeded):
                    cursor.execute(sql)


@pytest.fixture
def org_a(db):
    return parties.create_organisation(slug="rus-media", name="Rus Media Group", kind="media_group", country="RU")


@pytest.fixture
def org_b(db):
    return parties.create_organisation(slug="shanghai-media", name="Shanghai Media Group", kind="media_group", country="CN")


@pytest.fixture
def org_c(db):
    """A third organisation, a stranger to most deals and works."""
    return parties.create_organisation(slug="kazakh-film", name="Kazakhfilm", kind="distributor", country="KZ")


@pytest.fixture
def user_a(org_a):
    return parties.create_member(email="anna@rusmedia.example", organisation=org_a, role=Role.LICENSING_MANAGER, password=PASSWORD)[0]


@pytest.fixture
def user_b(org_b):
    return parties.create_member(email="li@smg.example", organisation=org_b, role=Role.LICENSING_MANAGER, password=PASSWORD)[0]


@pytest.fixture
def actor_a(org_a):
    return Actor(organisation=org_a, role=Role.LICENSING_MANAGER)


@pytest.fixture
def actor_b(org_b):
    return Actor(organisation=org_b, role=Role.LICENSING_MANAGER)


@pytest.fixture
def client_a(client, user_a):
    client.force_login(user_a)
    return client


@pytest.fixture
def client_b(db, user_b):
    from django.test import Client

    c = Client()
    c.force_login(user_b)
    return c


@pytest.fixture
def token_a(org_a):
    return parties.create_api_key(organisation=org_a, name="ci", role=Role.LICENSING_MANAGER)[1]
