"""Retainer billing as a job: beat runs ``invoicing.billing_check`` every hour; it enqueues one
``invoicing.bill_retainers`` job per organization and day (the job's key), which issues the cycle
invoices that are due and marks overdue invoices. A second run, or two workers at once, bill a
contract period once (the unique contract-and-period constraint, see services/retainers.py)."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from crm.identity.models import Organization
from crm.jobs.services import enqueue_on_commit
from crm.jobs.tasks import job_task

from .services.retainers import retainer_billing_run

logger = logging.getLogger("crm.invoicing.billing")


@job_task("invoicing.bill_retainers", atomic=False, max_retries=3, backoff=60, backoff_max=900)
def bill_retainers(organization: int, day: str) -> None:
    """Bill one organization's retainers as of ``day`` (each contract in its own transaction)."""
    run = retainer_billing_run(organization_id=organization, today=datetime.date.fromisoformat(day))
    logger.info(
        "retainers billed",
        extra={
            "organization": organization,
            "issued": len(run.created),
            "skipped": run.skipped,
            "overdue": run.overdue,
        },
    )


def billing_due(*, today: datetime.date | None = None) -> int:
    """Enqueue today's billing job of every organization (once per day, whatever the number of calls)."""
    day = (today or timezone.localdate()).isoformat()
    organization_ids = list(Organization.objects.order_by("id").values_list("pk", flat=True))
    for organization_id in organization_ids:
        enqueue_on_commit(
            "invoicing.bill_retainers",
            key=f"{organization_id}:{day}",
            organization_id=organization_id,
            organization=organization_id,
            day=day,
        )
    return len(organization_ids)


@shared_task(name="invoicing.billing_check", ignore_result=True)
def billing_check() -> int:
    return billing_due()
