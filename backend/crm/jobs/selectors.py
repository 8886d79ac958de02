"""Reads of the job table."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import Job


def job_list(*, organization_id: int | None, state: str | None = None) -> QuerySet[Job]:
    """One organization's jobs (or the installation's own with None), newest first."""
    jobs = (
        Job.objects.filter(organization__isnull=True)
        if organization_id is None
        else Job.objects.filter(organization_id=organization_id)
    )
    if state:
        jobs = jobs.filter(state=state)
    return jobs.order_by("-created_at", "-id")


def job_counts() -> dict[str, int]:
    """Jobs per state across the installation (for /metrics)."""
    counts = dict.fromkeys(Job.State.values, 0)
    for row in Job.objects.values("state").annotate(n=Count("id")).order_by():
        counts[row["state"]] = row["n"]
    return counts
