"""Migration operations shared by the domain apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import migrations

if TYPE_CHECKING:
    from django.apps.registry import Apps
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def trigram_indexes(indexes: dict[str, tuple[str, str]]) -> migrations.RunPython:
    """GIN trigram indexes for ``?search=`` on PostgreSQL (SQLite scans; nothing to do there).

    ``indexes`` maps index name -> (table, column). Django's icontains compiles to
    ``UPPER(col::text) LIKE UPPER(%s)``, so that is the expression indexed.
    """

    def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in indexes.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
