"""Scheduled backups as jobs: beat runs ``operations.backup_check`` every 15 minutes; when the newest
backup is older than BACKUP_INTERVAL_HOURS it enqueues one ``operations.backup`` job per interval."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from celery import current_app, shared_task
from celery.signals import beat_init
from django.conf import settings

from crm.jobs.services import enqueue_on_commit
from crm.jobs.tasks import job_task

from . import backups

logger = logging.getLogger("crm.operations.scheduler")


@job_task("operations.backup", atomic=False, max_retries=3, backoff=60, backoff_max=900)
def backup_job(directory: str = "", keep: int = 0) -> None:
    """Write one backup (a second run of the same job writes one more file: harmless)."""
    result = backups.backup(
        directory=Path(directory) if directory else backups.default_directory(), keep=keep or settings.BACKUP_KEEP
    )
    logger.info(
        "scheduled backup written",
        extra={"path": str(result.path), "bytes": result.size, "seconds": round(result.seconds, 3)},
    )


def backup_if_due(*, directory: Path | None = None, interval: timedelta | None = None, keep: int | None = None) -> bool:
    """Enqueue the backup of the current interval when one is due; the key makes it one job per interval."""
    directory = directory or backups.default_directory()
    interval = interval or timedelta(hours=settings.BACKUP_INTERVAL_HOURS)
    if interval <= timedelta(0):
        raise ValueError("BACKUP_INTERVAL_HOURS must be positive.")
    now = datetime.now(tz=UTC)
    if backups.next_backup_due(directory, interval, now) > now:
        return False
    slot = int(now.timestamp() // interval.total_seconds())
    enqueue_on_commit(
        "operations.backup", key=f"{directory}:{slot}", directory=str(directory), keep=keep or settings.BACKUP_KEEP
    )
    return True


@shared_task(name="operations.backup_check", ignore_result=True)
def backup_check() -> bool:
    return backup_if_due()


@beat_init.connect
def _check_at_start(sender: object, **_: object) -> None:
    """When beat starts, check at once: a restart never stretches the recovery point beyond one interval."""
    current_app.send_task("operations.backup_check")
