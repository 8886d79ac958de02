"""Online backups and restores of the configured database.

SQLite is copied page by page with the online backup API, so the app keeps serving while a
backup runs. PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with
``pg_restore`` in one transaction. The password goes to the client tools through PGPASSWORD,
never on their command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

PREFIX = "crm-"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
# Rows that `migrate` itself writes; a database holding only these counts as empty.
MIGRATION_FILLED_TABLES = frozenset({"django_content_type", "auth_permission"})


class BackupError(RuntimeError):
    """A backup or restore could not be completed; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    seconds: float


def default_directory() -> Path:
    configured = os.environ.get("BACKUP_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "backups"


def engine_kind(settings_dict: dict[str, Any]) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def backup_files(directory: Path) -> list[Path]:
    """This app's backup files in ``directory``, oldest first (names sort by their timestamp)."""
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.iterdir() if p.is_file() and p.name.startswith(PREFIX) and p.suffix in SUFFIXES.values()
    )


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return what was deleted."""
    if keep < 1:
        raise BackupError("Keep at least one backup.")
    files = backup_files(directory)
    doomed = files[:-keep] if len(files) > keep else []
    for path in doomed:
        path.unlink()
    return doomed


def newest_backup_time(directory: Path) -> datetime | None:
    files = backup_files(directory)
    if not files:
        return None
    return datetime.fromtimestamp(files[-1].stat().st_mtime, tz=UTC)


def next_backup_due(directory: Path, interval: timedelta, now: datetime) -> datetime:
    """When the scheduler should take the next backup: now if the newest one is too old."""
    newest = newest_backup_time(directory)
    if newest is None or newest + interval <= now:
        return now
    return newest + interval


def backup(*, directory: Path, keep: int, alias: str = "default") -> BackupResult:
    """Write a timestamped backup of database ``alias`` into ``directory`` and prune old ones."""
    connection = connections[alias]
    kind = engine_kind(connection.settings_dict)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = directory / f"{PREFIX}{stamp}{SUFFIXES[kind]}"
    partial = target.with_name(target.name + ".partial")
    started = time.perf_counter()
    try:
        if kind == "sqlite":
            connection.ensure_connection()
            destination = sqlite3.connect(partial)
            try:
                connection.connection.backup(destination)
                # A backup is one self-contained file: no -wal/-shm companions.
                destination.execute("PRAGMA journal_mode=DELETE")
            finally:
                destination.close()
            check_sqlite_file(partial)
        else:
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--file={partial}",
                    *_pg_target(connection.settings_dict),
                ],
                connection.settings_dict,
            )
            _run(["pg_restore", "--list", str(partial)], connection.settings_dict)
        partial.replace(target)
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
            leftover.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    prune(directory, keep)
    return BackupResult(path=target, size=target.stat().st_size, seconds=seconds)


def has_data(alias: str = "default") -> bool:
    """Whether any application table of database ``alias`` holds a row."""
    connection = connections[alias]
    tables = set(connection.introspection.django_table_names(only_existing=True)) - MIGRATION_FILLED_TABLES
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608  names come from introspection
            if cursor.fetchone() is not None:
                return True
    return False


def restore(path: Path, *, alias: str = "default") -> float:
    """Replace the contents of database ``alias`` with backup ``path``; return the seconds taken."""
    connection = connections[alias]
    kind = engine_kind(connection.settings_dict)
    if path.suffix != SUFFIXES[kind]:
        raise BackupError(f"{path.name} is not a {kind} backup (expected a {SUFFIXES[kind]} file).")
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    started = time.perf_counter()
    if kind == "sqlite":
        check_sqlite_file(path)
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("Cannot restore inside a transaction.")
        restore_sqlite(path, connection.connection)
    else:
        connection.close()  # hold no locks while pg_restore drops and recreates the tables
        restore_postgresql(path, connection.settings_dict)
    return time.perf_counter() - started


def restore_sqlite(path: Path, destination: sqlite3.Connection) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(destination)
    finally:
        source.close()


def restore_postgresql(path: Path, settings_dict: dict[str, Any]) -> None:
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *_pg_target(settings_dict),
            str(path),
        ],
        settings_dict,
    )


def check_sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name} is not a readable SQLite database: {exc}") from exc
    finally:
        conn.close()
    if result is None or result[0] != "ok":
        raise BackupError(f"{path.name} failed the integrity check: {result}")


def _pg_target(settings_dict: dict[str, Any]) -> list[str]:
    args: list[str] = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return [*args, "--no-password", f"--dbname={settings_dict['NAME']}"]


def _run(args: list[str], settings_dict: dict[str, Any]) -> None:
    executable = shutil.which(args[0])
    if executable is None:
        raise BackupError(f"{args[0]} is not installed or not on PATH.")
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    result = subprocess.run([executable, *args[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()}")
