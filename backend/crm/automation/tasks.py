"""The automation jobs, and the schedule that sends what is due (webhook retries, workflow waits)."""

from __future__ import annotations

import datetime
import json

from celery import shared_task

from crm.core.scoping import org_scope
from crm.jobs.tasks import job_task

from .services import webhooks, workflows


@job_task(webhooks.DELIVER_TASK, atomic=False, max_retries=0)
def deliver_webhook(*, delivery_id: int, organization: int) -> str:
    """One attempt of one delivery; a failure is recorded on the delivery (and retried by the schedule)."""
    with org_scope(organization):
        return webhooks.delivery_attempt_rollback_unsafe(delivery_id=delivery_id)


@job_task(webhooks.DISABLED_MAIL_TASK, atomic=False, max_retries=3)
def webhook_disabled_mail(*, endpoint_id: int, organization: int) -> int:
    with org_scope(organization):
        return webhooks.webhook_disabled_mail_rollback_unsafe(endpoint_id=endpoint_id)


@job_task(workflows.PROCESS_TASK, max_retries=5, backoff=1, backoff_max=60)
def process_event(*, workflow_ids: str, event: str, organization: int) -> None:
    """Start the runs one domain event triggers and run them up to their first wait (one transaction)."""
    with org_scope(organization):
        workflows.event_process(workflow_ids=[int(pk) for pk in workflow_ids.split(",")], event=json.loads(event))


@job_task(workflows.CONTINUE_TASK, max_retries=5, backoff=5, backoff_max=300)
def continue_run(*, run_id: int, organization: int, due_at: str = "") -> None:
    """Continue a run: after a wait, a retry, a replay or a manual start."""
    with org_scope(organization):
        workflows.run_continue(run_id=run_id, now=datetime.datetime.fromisoformat(due_at) if due_at else None)


@job_task(workflows.DATE_TASK, max_retries=3, backoff=60, backoff_max=900)
def date_trigger(*, workflow_id: int, day: str, organization: int) -> None:
    with org_scope(organization):
        workflows.date_trigger_run(workflow_id=workflow_id, day=datetime.date.fromisoformat(day))


@shared_task(name="automation.due", ignore_result=True)
def due() -> int:
    """Periodic (beat): send the webhook retries and continue the workflow waits whose time has come."""
    return webhooks.deliveries_send_due() + workflows.runs_resume_due()


@shared_task(name="automation.dates", ignore_result=True)
def dates() -> int:
    """Periodic (beat): the day's "N days before / after a date" workflows (once per workflow and day)."""
    return workflows.date_triggers_enqueue()
