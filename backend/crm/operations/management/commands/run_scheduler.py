"""``manage.py run_scheduler``: takes a backup every BACKUP_INTERVAL_HOURS and keeps BACKUP_KEEP of them.

A small loop with no extra dependency, meant to run next to the app server. At start it backs
up at once when the newest backup is older than the interval, so a restart never stretches the
recovery point beyond one interval. SIGTERM and SIGINT stop it between backups.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from crm.operations import backups

logger = logging.getLogger("crm.operations.scheduler")
RETRY_AFTER = timedelta(minutes=15)


class Command(BaseCommand):
    help = "Run scheduled backups (interval BACKUP_INTERVAL_HOURS, default 24; retention BACKUP_KEEP, default 14)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help="Backup directory (default: BACKUP_DIR or var/backups)."
        )
        parser.add_argument(
            "--interval-hours", type=float, default=float(os.environ.get("BACKUP_INTERVAL_HOURS", "24"))
        )
        parser.add_argument("--keep", type=int, default=int(os.environ.get("BACKUP_KEEP", "14")))
        parser.add_argument("--once", action="store_true", help="Take one backup if one is due, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"] or backups.default_directory()
        interval = timedelta(hours=options["interval_hours"])
        if interval <= timedelta(0):
            raise ValueError("--interval-hours must be positive.")
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        logger.info("backup scheduler started", extra={"directory": str(directory), "interval": str(interval)})
        while not stop.is_set():
            now = datetime.now(tz=UTC)
            due = backups.next_backup_due(directory, interval, now)
            if due <= now:
                ok = self._backup(directory, options["keep"])
                due = now + (interval if ok else min(interval, RETRY_AFTER))
            if options["once"]:
                return
            stop.wait(timeout=max((due - datetime.now(tz=UTC)).total_seconds(), 1.0))
        logger.info("backup scheduler stopped")

    def _backup(self, directory: Path, keep: int) -> bool:
        close_old_connections()
        try:
            result = backups.backup(directory=directory, keep=keep)
        except Exception:
            # A failed run must not end the schedule; it is retried after RETRY_AFTER.
            logger.exception("scheduled backup failed")
            return False
        finally:
            close_old_connections()
        logger.info(
            "scheduled backup written",
            extra={"path": str(result.path), "bytes": result.size, "seconds": round(result.seconds, 3)},
        )
        self.stdout.write(f"{result.path} {result.size} bytes")
        return True
