"""Database helpers: reads from the ASGI paths in front of Django (heartbeats, stream files,
nginx's liveness question, CORS), which run outside Django's request cycle; deleting many rows a
batch per transaction (the housekeeping of expired sign-in material)."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, close_old_connections, connections, transaction

DELETE_BATCH = 5000


async def read_in_django_thread(read, *args):
    """`read(*args)` in Django's thread for synchronous code, on a connection checked as Django
    checks its own at each request's start and end (its age, and CONN_HEALTH_CHECKS). Nothing else
    checks that thread's connection: it was kept past CONN_MAX_AGE, and once the server dropped it
    (a restart, a failover) every later read of the process failed. A read that still finds its
    connection dropped (between the check and the read) runs once more on a new one (reads may be
    repeated)."""
    return await sync_to_async(_checked, thread_sensitive=True)(read, args)


def _checked(read, args):
    close_old_connections()
    try:
        return read(*args)
    except (OperationalError, InterfaceError):
        db = connections[DEFAULT_DB_ALIAS]
        if db.in_atomic_block:
            raise
        db.close()
        return read(*args)


async def close_django_thread_connections() -> None:
    """Close the connections of Django's thread for synchronous code: what a test that drove the
    front paths does before its database is dropped (PostgreSQL refuses while one is open)."""
    await sync_to_async(connections.close_all, thread_sensitive=True)()


def delete_in_batches(rows, *fields: str, before=None, size: int = DELETE_BATCH) -> int:
    """Delete the rows of the queryset `rows`, `size` a transaction (no transaction holds locks on
    millions of rows; one that fails undoes only its batch); `before(batch)` runs in each batch's
    transaction on its (pk, *fields) tuples first. Returns the rows deleted."""
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(rows.values_list("pk", *fields)[:size])
            if not batch:
                return deleted
            if before is not None:
                before(batch)
            deleted += rows.model.objects.filter(pk__in=[row[0] for row in batch]).delete()[0]
