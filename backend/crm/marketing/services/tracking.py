"""What recipients do with a send: opens, clicks, unsubscribes; and bounces from the mail system.

These run without a signed-in user (the open pixel, the click redirect, the unsubscribe page,
the bounce hook): the signed token names the recipient, and the organization comes from that row.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from crm.core.scoping import org_scope

from ..models import CampaignMember, EmailRecipient, Suppression, TrackingEvent
from ..tracking import is_machine
from ..tracking import read_token as read_token
from .campaigns import campaign_member_advance

R = EmailRecipient.Status


def _recipient(kind: str, token: str) -> tuple[EmailRecipient, str] | None:
    read = read_token(kind, token)
    if read is None:
        return None
    recipient = EmailRecipient.all_orgs.select_related("email_campaign").filter(token=read[0]).first()
    return (recipient, read[1]) if recipient is not None else None


def _member(recipient: EmailRecipient, status: str) -> None:
    campaign_id = recipient.email_campaign.campaign_id
    if campaign_id is None:
        return
    campaign_member_advance(
        campaign_id=campaign_id, status=status, lead_id=recipient.lead_id, contact_id=recipient.contact_id
    )


@transaction.atomic
def tracking_open(*, token: str, user_agent: str) -> bool:
    found = _recipient("open", token)
    if found is None:
        return False
    recipient, _ = found
    now = timezone.now()
    machine = is_machine(user_agent, recipient.sent_at, now)
    with org_scope(recipient.organization_id):
        TrackingEvent.objects.create(
            recipient=recipient, email_campaign_id=recipient.email_campaign_id, kind="open", machine=machine,
            user_agent=user_agent[:500],
        )  # fmt: skip
        if machine:
            EmailRecipient.objects.filter(pk=recipient.pk, machine_opened_at__isnull=True).update(machine_opened_at=now)
            return True
        EmailRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(opened_at=now)
        EmailRecipient.objects.filter(pk=recipient.pk, status=R.SENT).update(status=R.OPENED)
        _member(recipient, CampaignMember.Status.OPENED)
    return True


@transaction.atomic
def tracking_click(*, token: str, user_agent: str) -> str | None:
    """The URL to redirect to (the one the email carried), or None for a bad token."""
    found = _recipient("click", token)
    if found is None:
        return None
    recipient, url = found
    now = timezone.now()
    machine = is_machine(user_agent, recipient.sent_at, now)
    with org_scope(recipient.organization_id):
        TrackingEvent.objects.create(
            recipient=recipient, email_campaign_id=recipient.email_campaign_id, kind="click", url=url[:2000],
            machine=machine, user_agent=user_agent[:500],
        )  # fmt: skip
        if not machine:
            EmailRecipient.objects.filter(pk=recipient.pk, clicked_at__isnull=True).update(clicked_at=now)
            EmailRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(opened_at=now)
            EmailRecipient.objects.filter(pk=recipient.pk, status__in=[R.SENT, R.OPENED]).update(status=R.CLICKED)
            _member(recipient, CampaignMember.Status.CLICKED)
    return url


def _suppress(recipient: EmailRecipient, reason: str) -> None:
    Suppression.objects.get_or_create(email=recipient.email.lower(), defaults={"reason": reason})


@transaction.atomic
def tracking_unsubscribe(*, token: str) -> EmailRecipient | None:
    found = _recipient("unsubscribe", token)
    if found is None:
        return None
    recipient, _ = found
    with org_scope(recipient.organization_id):
        if recipient.unsubscribed_at is None:
            TrackingEvent.objects.create(
                recipient=recipient, email_campaign_id=recipient.email_campaign_id, kind="unsubscribe"
            )
            EmailRecipient.objects.filter(pk=recipient.pk).update(status=R.UNSUBSCRIBED, unsubscribed_at=timezone.now())
            _member(recipient, CampaignMember.Status.UNSUBSCRIBED)
        _suppress(recipient, Suppression.Reason.UNSUBSCRIBED)
    return recipient


@transaction.atomic
def tracking_bounce(*, message_id: str = "", recipient_token: str = "", permanent: bool = True) -> bool:
    """A delivery status notification (or a provider's bounce event) for one of our messages."""
    queryset = EmailRecipient.all_orgs.select_related("email_campaign")
    if recipient_token:
        recipient = queryset.filter(token=recipient_token).first()
    else:
        recipient = queryset.filter(message_id=message_id.strip()).first() if message_id.strip() else None
    if recipient is None:
        return False
    with org_scope(recipient.organization_id):
        TrackingEvent.objects.create(recipient=recipient, email_campaign_id=recipient.email_campaign_id, kind="bounce")
        EmailRecipient.objects.filter(pk=recipient.pk).update(status=R.BOUNCED, bounced_at=timezone.now())
        _member(recipient, CampaignMember.Status.BOUNCED)
        if permanent:
            _suppress(recipient, Suppression.Reason.BOUNCED)
    return True
