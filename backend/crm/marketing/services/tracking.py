"""What recipients do with a send: opens, clicks, unsubscribes; and bounces from the mail system.

These run without a signed-in user (the open pixel, the click redirect, the unsubscribe page,
the bounce hook): the signed token names the recipient, and the organization comes from that row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
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


_OPEN_READ = (
    "SELECT r.id, r.organization_id, r.email_campaign_id, r.sent_at, r.opened_at, r.machine_opened_at,"
    " r.lead_id, r.contact_id, s.campaign_id"
    " FROM marketing_emailrecipient r JOIN marketing_emailcampaign s ON s.id = r.email_campaign_id"
    " WHERE r.token = %s"
)


def _aware(value: Any) -> datetime.datetime | None:
    """A time column as an aware datetime (SQLite answers naive UTC)."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def tracking_open(*, token: str, user_agent: str) -> bool:
    """Record an open, idempotently and cheaply (the pixel is fetched on every view of the mail):
    one query reads the recipient, and only the first open by a person (or by a machine) writes,
    in one transaction: the recipient's opened time and status, one event, the campaign member.
    A repeated open reads and writes nothing more. False for a bad token."""
    read = read_token("open", token)
    if read is None:
        return False
    # One indexed read of one table, without the ORM's query building (this runs for every view of
    # every mail); the organization-scoped writes below go through the models as usual.
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_READ, [read[0]])
        row = cursor.fetchone()
    if row is None:
        return False
    pk, organization_id, email_campaign_id, sent_at, opened_at, machine_opened_at, lead_id, contact_id = row[:8]
    campaign_id = row[8]
    sent_at = _aware(sent_at)
    now = timezone.now()
    machine = is_machine(user_agent, sent_at, now)
    if (machine_opened_at if machine else opened_at) is not None:
        return True  # seen before: nothing changes
    with org_scope(organization_id), transaction.atomic():
        recipients = EmailRecipient.objects.filter(pk=pk)
        if machine:
            changed = recipients.filter(machine_opened_at__isnull=True).update(machine_opened_at=now)
        else:
            changed = recipients.filter(opened_at__isnull=True).update(
                opened_at=now,
                status=Case(When(status=R.SENT, then=Value(R.OPENED)), default=F("status")),
            )
        if not changed:  # a concurrent first open got there first
            return True
        TrackingEvent.objects.create(
            recipient_id=pk, email_campaign_id=email_campaign_id, kind="open", machine=machine,
            user_agent=user_agent[:500],
        )  # fmt: skip
        if not machine and campaign_id is not None:
            campaign_member_advance(
                campaign_id=campaign_id, status=CampaignMember.Status.OPENED, lead_id=lead_id, contact_id=contact_id
            )
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
