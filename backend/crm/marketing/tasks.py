"""Background work of the marketing app: delivering sends, and the minute tick that resumes them."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from crm.core.scoping import org_scope
from crm.jobs.services import enqueue_on_commit
from crm.jobs.tasks import job_task

from .models import EmailCampaign
from .services import sends


@job_task(sends.DELIVER_TASK, atomic=False, max_retries=3)
def deliver(email_campaign_id: int) -> None:
    organization_id = EmailCampaign.all_orgs.values_list("organization_id", flat=True).get(pk=email_campaign_id)
    with org_scope(organization_id):
        sends.email_campaign_deliver_rollback_unsafe(email_campaign_id=email_campaign_id)


@shared_task(name="marketing.tick", ignore_result=True)
def tick() -> int:
    """Every minute (beat): start the scheduled sends whose time came, continue those under way
    (a run that stopped at its time limit or outside the window), one job per send and minute."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    started = 0
    organizations = (
        EmailCampaign.all_orgs.filter(status__in=["scheduled", "sending", "automated"])
        .values_list("organization_id", flat=True)
        .distinct()
    )
    for organization_id in organizations:
        with org_scope(organization_id):
            for pk in sends.email_campaigns_due():
                enqueue_on_commit(
                    sends.DELIVER_TASK,
                    key=f"deliver:{pk}:{minute}",
                    organization_id=organization_id,
                    email_campaign_id=pk,
                )
                started += 1
    return started
