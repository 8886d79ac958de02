"""Daily payment reminders: beat runs ``collections.reminders_check`` every hour; it enqueues one
``collections.send_reminders`` job per organization and day (the job's key). A reminder is sent
once per invoice and level whatever runs it (see services/reminders.py), so a retried or
overlapping job sends nothing twice."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from crm.identity.models import Organization
from crm.jobs.services import enqueue_on_commit
from crm.jobs.tasks import job_task

from .services.reminders import reminders_run

logger = logging.getLogger("crm.collections.reminders")


class RemindersFailed(RuntimeError):
    pass


@job_task("collections.send_reminders", atomic=False, max_retries=3, backoff=300, backoff_max=3600)
def send_reminders(organization: int, day: str) -> None:
    run = reminders_run(organization_id=organization, today=datetime.date.fromisoformat(day))
    logger.info(
        "reminders sent",
        extra={"organization": organization, "sent": run.sent, "skipped": run.skipped, "failed": run.failed},
    )
    if run.failed:  # retried later: what was sent stays sent
        raise RemindersFailed(f"{run.failed} reminders could not be sent")


def reminders_enqueue(*, today: datetime.date | None = None) -> int:
    """Enqueue today's reminder job of every organization (once per day, whatever the number of calls)."""
    day = (today or timezone.localdate()).isoformat()
    organization_ids = list(Organization.objects.order_by("id").values_list("pk", flat=True))
    for organization_id in organization_ids:
        enqueue_on_commit(
            "collections.send_reminders",
            key=f"reminders:{organization_id}:{day}",
            organization_id=organization_id,
            organization=organization_id,
            day=day,
        )
    return len(organization_ids)


@shared_task(name="collections.reminders_check", ignore_result=True)
def reminders_check() -> int:
    return reminders_enqueue()


@job_task("collections.match_statement", atomic=False, max_retries=3, backoff=30, backoff_max=600)
def match_statement(organization: int, statement: int, actor: int) -> None:
    """Match a large statement's transactions to open invoices, with progress on the statement."""
    from .services.statements import statement_match

    result = statement_match(organization_id=organization, statement_id=statement, actor_id=actor)
    logger.info("statement matched", extra={"statement": statement, "matched": result.matched, "queued": result.queued})
