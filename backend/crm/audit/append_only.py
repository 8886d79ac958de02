"""Database triggers that keep the audit table append-only, below the ORM.

PostgreSQL refuses UPDATE and DELETE on ``records_auditevent`` with a trigger function; SQLite
aborts them with triggers. Row-level triggers do not fire on TRUNCATE, which is how Django's
test database flush empties PostgreSQL tables; SQLite's flush deletes rows, so the test suite
lifts the triggers only for the length of a flush (see ``lifted``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

TABLE = "records_auditevent"
MESSAGE = "audit events are append-only"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION records_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS records_auditevent_append_only ON {TABLE}",
    f"""
    CREATE TRIGGER records_auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION records_auditevent_append_only()
    """,
]
POSTGRESQL_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS records_auditevent_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS records_auditevent_append_only()",
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS records_auditevent_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS records_auditevent_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS records_auditevent_no_update",
    "DROP TRIGGER IF EXISTS records_auditevent_no_delete",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_UNINSTALL
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    return []


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Without the triggers for the duration of the block: only for emptying a test database."""
    uninstall(connection)
    try:
        yield
    finally:
        if TABLE in connection.introspection.table_names():
            install(connection)
