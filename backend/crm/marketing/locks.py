"""Row locks of the marketing domain, taken only here.

Lock order, always in this direction so that two transactions never wait on each other:
1. a campaign (its members change, its parent changes), before any of its member rows;
2. an email send (status changes: edit, send, pause, resume, cancel, finish), before any of its
   recipient rows;
3. one recipient row at a time, by the worker that delivers it (claimed with SKIP LOCKED, so
   workers never wait for each other);
4. an email template (edits and reverts) and the organization's rate bucket, each on its own.
"""

from __future__ import annotations

from .models import Campaign, CampaignMember, EmailCampaign, EmailRecipient, EmailTemplate, RateBucket


def campaign_for_update(*, campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).get(pk=campaign_id)


def member_for_update(*, member_id: int) -> CampaignMember:
    return CampaignMember.objects.select_for_update(of=("self",)).get(pk=member_id)


def email_campaign_for_update(*, email_campaign_id: int, with_template: bool = False) -> EmailCampaign:
    if with_template:
        return (
            EmailCampaign.objects.select_for_update(of=("self",)).select_related("template").get(pk=email_campaign_id)
        )
    return EmailCampaign.objects.select_for_update().get(pk=email_campaign_id)


def next_queued_recipient(*, email_campaign_id: int, queued: str) -> EmailRecipient | None:
    """The first queued recipient no other worker holds (SKIP LOCKED)."""
    return (
        EmailRecipient.objects.select_for_update(skip_locked=True)
        .filter(email_campaign_id=email_campaign_id, status=queued)
        .order_by("id")
        .first()
    )


def email_template_for_update(*, template_id: int) -> EmailTemplate:
    return EmailTemplate.objects.select_for_update().get(pk=template_id)


def rate_bucket_for_update(*, bucket_id: int) -> RateBucket:
    return RateBucket.all_orgs.select_for_update().get(pk=bucket_id)
