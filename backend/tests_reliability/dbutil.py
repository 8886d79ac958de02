"""Direct database access for the reliability tests: scratch PostgreSQL databases and table dumps."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def pg_connect(dbname: str, *, autocommit: bool = False) -> Any:
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
        autocommit=autocommit,
    )


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[dict[str, Any]]:
    """A new, empty PostgreSQL database on the test server; dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with pg_connect("postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with pg_connect("postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sorted_rows(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=repr)


def dump_tables_django() -> dict[str, list[tuple]]:
    """Every table of the default database (all rows), through Django's own connection."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        if connection.vendor == "sqlite":
            tables.append("sqlite_sequence")  # AUTOINCREMENT counters: a restore must keep them
        result = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            result[table] = _sorted_rows([tuple(row) for row in cursor.fetchall()])
    return result


def dump_tables_sqlite(path: str) -> dict[str, list[tuple]]:
    # Same converters as Django's connection (registered module-wide), so values compare equal.
    conn = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ] + [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")]
        return {
            table: _sorted_rows([tuple(r) for r in conn.execute(f'SELECT * FROM "{table}"')])  # noqa: S608
            for table in sorted(tables)
        }
    finally:
        conn.close()


def dump_tables_postgres(dbname: str) -> dict[str, list[tuple]]:
    with pg_connect(dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        return {
            table: _sorted_rows([tuple(r) for r in conn.execute(f'SELECT * FROM "{table}"')])  # noqa: S608
            for table in tables
        }


def postgres_sequences(dbname: str) -> dict[str, int | None]:
    with pg_connect(dbname) as conn:
        return {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
            )
        }
