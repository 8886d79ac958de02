"""``manage.py backup``: a timestamped backup of the configured database, with retention."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.operations import backups


class Command(BaseCommand):
    help = "Back up the configured database into a timestamped file and keep only the newest ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="Backup directory (default: BACKUP_DIR or var/backups)."
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=int(os.environ.get("BACKUP_KEEP", "14")),
            help="How many backups to keep (default: BACKUP_KEEP or 14).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or backups.default_directory()
        try:
            result = backups.backup(directory=directory, keep=options["keep"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.path} {result.size} bytes ({result.seconds:.2f} s)")
