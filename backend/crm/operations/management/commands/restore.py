"""``manage.py restore FILE``: replace the configured database with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.operations import backups


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A .sqlite3 (SQLite) or .dump (PostgreSQL) backup file.")
        parser.add_argument("--yes", action="store_true", help="Overwrite a database that already holds data.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            if not options["yes"] and backups.has_data():
                raise CommandError(
                    "The database already holds data; restoring replaces all of it. Run again with --yes to proceed."
                )
            seconds = backups.restore(path)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {path} in {seconds:.2f} s")
