"""The automation jobs, and the schedule that sends what is due (webhook retries, workflow waits)."""

from __future__ import annotations

from celery import shared_task

from crm.core.scoping import org_scope
from crm.jobs.tasks import job_task

from .services import webhooks


@job_task(webhooks.DELIVER_TASK, atomic=False, max_retries=0)
def deliver_webhook(*, delivery_id: int, organization: int) -> str:
    """One attempt of one delivery; a failure is recorded on the delivery (and retried by the schedule)."""
    with org_scope(organization):
        return webhooks.delivery_attempt_rollback_unsafe(delivery_id=delivery_id)


@job_task(webhooks.DISABLED_MAIL_TASK, atomic=False, max_retries=3)
def webhook_disabled_mail(*, endpoint_id: int, organization: int) -> int:
    with org_scope(organization):
        return webhooks.webhook_disabled_mail_rollback_unsafe(endpoint_id=endpoint_id)


@shared_task(name="automation.due", ignore_result=True)
def due() -> int:
    """Periodic (beat): send the webhook retries whose time has come."""
    return webhooks.deliveries_send_due()
