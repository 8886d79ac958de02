"""Row locks of the job layer, taken only here.

Lock order: a job's own row, and only that one; a job's work takes its domain's locks after it (an
atomic job runs inside the transaction that holds its row). The sweeper skips rows another worker holds.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Job


def jobs_for_update() -> QuerySet[Job]:
    return Job.objects.select_for_update()


def idle_jobs_for_update() -> QuerySet[Job]:
    """Jobs no other transaction holds (the sweeper must not wait behind a running job)."""
    return Job.objects.select_for_update(skip_locked=True)
