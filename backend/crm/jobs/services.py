"""The job layer's one entry point, ``enqueue_on_commit``, and what a worker does with a job.

A job is a ``Job`` row plus a Celery message that carries only the row's id. The row is written in
the caller's transaction and the message is sent once that transaction commits, so a worker never
sees a job whose data is not committed, and a rolled-back action enqueues nothing.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError

from . import locks
from .models import Job

log = logging.getLogger("crm.jobs")

JobArg = int | float | str | bool | None


def _check_args(ids: dict[str, Any]) -> dict[str, JobArg]:
    for name, value in ids.items():
        if not isinstance(value, (int, float, str, bool)) and value is not None:
            raise TypeError(f"Job argument {name!r} must be an id or a plain value, not {type(value).__name__}.")
    return dict(ids)


def _send(job_id: int, task: str, countdown: float | None = None) -> None:
    registered = current_app.tasks.get(task)
    if registered is not None:  # known here: apply_async also honours task_always_eager (tests)
        registered.apply_async(args=[job_id], countdown=countdown)
    else:
        current_app.send_task(task, args=[job_id], countdown=countdown)


def enqueue_on_commit(task: str, *, key: str | None = None, organization_id: int | None = None, **ids: JobArg) -> Job:
    """Record a job for ``task`` and send it to a worker once the current transaction commits.

    ``ids`` are the task's keyword arguments: ids and plain values only. ``key`` makes the job
    idempotent: enqueueing the same task and key again returns the existing job and sends nothing,
    unless that job failed, in which case it is queued again. Without a key every call is a new job.
    """
    args = _check_args(ids)
    with transaction.atomic():
        job, created = locks.jobs_for_update().get_or_create(
            task=task,
            key=key if key is not None else uuid.uuid4().hex,
            defaults={"organization_id": organization_id, "args": args},
        )
        if not created and job.state != Job.State.FAILED:
            return job
        if not created:
            job.state = Job.State.QUEUED
            job.version += 1
            job.save(update_fields=["state", "version", "updated_at"])
        job_id = job.pk
        transaction.on_commit(lambda: _send(job_id, task))
    return job


def job_retry(*, job_id: int, organization_id: int) -> Job:
    """Queue a failed job again (the admin's Retry). Any other state answers 409 ``job_not_failed``."""
    with transaction.atomic():
        job = locks.jobs_for_update().filter(pk=job_id, organization_id=organization_id).first()
        if job is None:
            raise ApplicationError("not_found", _("No such job."), status_code=404)
        if job.state != Job.State.FAILED:
            raise ApplicationError("job_not_failed", _("Only a failed job can be retried."), status_code=409)
        job.state = Job.State.QUEUED
        job.version += 1
        job.save(update_fields=["state", "version", "updated_at"])
        transaction.on_commit(lambda: _send(job.pk, job.task))
    return job


def _claim(job_id: int) -> Job | None:
    """Mark the job running (one more attempt) unless it is finished or gone; None means: nothing to do."""
    with transaction.atomic():
        job = locks.jobs_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at", "updated_at"])
        return job


def _finish(job: Job) -> None:
    job.state = Job.State.SUCCEEDED
    job.last_error = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "last_error", "finished_at", "updated_at"])


def run_job(
    job_id: int, fn: Callable[..., Any], *, atomic: bool, retries: int, max_retries: int
) -> tuple[str, Job | None]:
    """Run one delivery of a job. Returns ("skipped" | "succeeded" | "retry" | "failed", job).

    Atomic jobs run inside one transaction with the job's row locked, and the row is marked
    succeeded in that same transaction: a worker killed halfway rolls everything back, the
    redelivered message runs the job again, and a duplicate delivery waits for the lock and then
    finds the job finished. Non-atomic jobs (work outside the database, such as writing a backup
    file) must be harmless to repeat; they are marked running, run, then marked succeeded.
    """
    job = _claim(job_id)
    if job is None:
        return "skipped", None
    try:
        if atomic:
            with transaction.atomic():
                locked = locks.jobs_for_update().get(pk=job_id)
                if locked.finished:
                    return "skipped", locked
                fn(**locked.args)
                _finish(locked)
                return "succeeded", locked
        fn(**job.args)
        with transaction.atomic():
            locked = locks.jobs_for_update().get(pk=job_id)
            _finish(locked)
        return "succeeded", locked
    except Exception as exc:
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        final = retries >= max_retries
        with transaction.atomic():
            locked = locks.jobs_for_update().get(pk=job_id)
            locked.last_error = error[:4000]
            locked.state = Job.State.FAILED if final else Job.State.QUEUED
            if final:
                locked.finished_at = timezone.now()
            locked.save(update_fields=["last_error", "state", "finished_at", "updated_at"])
        log.warning("job failed", extra={"job": job_id, "task": job.task, "error": error, "final": final})
        return ("failed" if final else "retry"), locked


def jobs_sweep(*, stuck_after: timedelta | None = None) -> int:
    """Send again every job left queued or running longer than ``stuck_after`` (a lost message or a
    killed worker); the job's own idempotency makes a second delivery harmless. Returns the count."""
    after = stuck_after or timedelta(seconds=settings.JOBS_STUCK_SECONDS)
    cutoff = timezone.now() - after
    with transaction.atomic():
        stuck = list(
            locks.idle_jobs_for_update()
            .filter(Q(state=Job.State.QUEUED) | Q(state=Job.State.RUNNING), updated_at__lt=cutoff)
            .order_by("updated_at")[:500]
        )
        for job in stuck:
            job.state = Job.State.QUEUED
            job.save(update_fields=["state", "updated_at"])
            job_id, task = job.pk, job.task
            transaction.on_commit(lambda job_id=job_id, task=task: _send(job_id, task))  # type: ignore[misc]
    if stuck:
        log.info("stuck jobs sent again", extra={"count": len(stuck)})
    return len(stuck)
