"""Email sends: start, pause, resume, cancel, test send, and the delivery run of the workers.

Exactly once per recipient, as far as a crash allows: a worker claims one queued recipient
(queued -> sending) in its own transaction with the row locked (``skip_locked``, so two workers
never take the same row), sends with a stable Message-ID, then marks it sent. If the worker dies
between the claim and that mark, nobody can know whether the SMTP server accepted the message,
so the row is never sent again: a later run turns it ``unknown`` (at most once; the statistics
show these apart). Nobody is ever mailed twice by a resume. The window in doubt is one message
per worker process at the moment it died; ``tests_reliability/test_marketing_worker_kill.py``
kills a real worker inside it (the SMTP server has the message, the worker never saw the reply)
and checks that every address has exactly one message.

A workflow's "send an email template" step uses the same delivery run: its recipients join the
workflow's automated send (status ``automated``) one at a time.
"""

from __future__ import annotations

import datetime
import secrets
import time
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import Contact
from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.identity.models import Organization
from crm.jobs.services import enqueue_on_commit
from crm.records.services import record_create, record_update, require_active_links
from crm.sales.models import Lead

from .. import locks, ratelimit, tracking
from ..models import CampaignMember, EmailCampaign, EmailRecipient, EmailTemplate, Suppression
from ..rendering import render_parts
from ..selectors import segment_querysets
from .templates import CONTENT, merge_context

if TYPE_CHECKING:
    from crm.identity.models import User

S = EmailCampaign.Status
R = EmailRecipient.Status
DELIVER_TASK = "marketing.deliver"


def _check_audience(values: dict[str, Any], current: EmailCampaign | None) -> None:
    segment = values.get("segment", getattr(current, "segment", None))
    campaign = values.get("campaign", getattr(current, "campaign", None))
    if (segment is None) == (campaign is None):
        raise ApplicationError(
            "audience",
            _("Send to a segment or to a campaign's members."),
            {"segment_id": [_("Give a segment_id or a campaign_id, not both.")]},
        )
    start = values.get("window_start", getattr(current, "window_start", None))
    end = values.get("window_end", getattr(current, "window_end", None))
    if (start is None) != (end is None) or (start is not None and end is not None and end <= start):
        raise ApplicationError(
            "window",
            _("The sending window needs a start before its end."),
            {"window_end": [_("Give both ends of the window, the end after the start.")]},
        )
    days = values.get("window_days", getattr(current, "window_days", [0, 1, 2, 3, 4]))
    if not isinstance(days, list) or not days or any(d not in range(7) or isinstance(d, bool) for d in days):
        raise ApplicationError(
            "window", _("The sending window needs its days."), {"window_days": [_("Give weekdays 0 (Monday) to 6.")]}
        )


@transaction.atomic(durable=True)
def email_campaign_create(*, data: dict[str, Any], actor: User) -> EmailCampaign:
    _check_audience(data, None)
    return record_create(model=EmailCampaign, data=data, actor=actor)


@transaction.atomic(durable=True)
def email_campaign_update(
    *, email_campaign: EmailCampaign, data: dict[str, Any], expected_version: int, actor: User
) -> EmailCampaign:
    email_campaign = locks.email_campaign_for_update(email_campaign_id=email_campaign.pk)
    if email_campaign.status not in (S.DRAFT, S.SCHEDULED, S.PAUSED):
        raise InvalidStateTransition("email_campaign_locked", _("A send that is under way or over cannot be edited."))
    _check_audience(data, email_campaign)
    return record_update(record=email_campaign, data=data, expected_version=expected_version, actor=actor)


def _audience(email_campaign: EmailCampaign) -> list[tuple[Contact | None, Lead | None]]:
    people: list[tuple[Contact | None, Lead | None]] = []
    if email_campaign.segment_id is not None:
        segment = email_campaign.segment
        assert segment is not None
        sets = segment_querysets(target=segment.target, definition=segment.definition)
        people.extend((contact, None) for contact in sets.get("contacts", Contact.objects.none()))
        people.extend((None, lead) for lead in sets.get("leads", Lead.objects.none()))
    else:
        members = CampaignMember.objects.filter(campaign=email_campaign.campaign).select_related("contact", "lead")
        people.extend((m.contact, m.lead) for m in members if (m.contact or m.lead) and (m.contact or m.lead).is_active)  # type: ignore[union-attr]
    return people


def _materialize(email_campaign: EmailCampaign) -> int:
    """Fix the recipients: one per address, without the suppressed ones and those without email."""
    suppressed = set(Suppression.objects.values_list("email", flat=True))
    seen: set[str] = set()
    rows: list[EmailRecipient] = []
    for contact, lead in _audience(email_campaign):
        person = contact or lead
        email = (person.email if person else "").strip().lower()
        if not email or email in seen:
            continue
        seen.add(email)
        rows.append(
            EmailRecipient(
                email_campaign=email_campaign,
                contact=contact,
                lead=lead,
                email=email,
                token=secrets.token_hex(16),
                status=R.SUPPRESSED if email in suppressed else R.QUEUED,
            )
        )
    EmailRecipient.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _enqueue(email_campaign: EmailCampaign, run: str) -> None:
    enqueue_on_commit(
        DELIVER_TASK,
        key=f"deliver:{email_campaign.pk}:{run}",
        organization_id=email_campaign.organization_id,
        email_campaign_id=email_campaign.pk,
    )


def _locked(email_campaign: EmailCampaign) -> EmailCampaign:
    return locks.email_campaign_for_update(email_campaign_id=email_campaign.pk, with_template=True)


def _set_status(email_campaign: EmailCampaign, status: str, actor: User | None, **extra: Any) -> EmailCampaign:
    EmailCampaign.objects.filter(pk=email_campaign.pk).update(status=status, updated_at=timezone.now(), **extra)
    audit.write_event(
        record=email_campaign,
        action=AuditEvent.Action.ACTION,
        name=f"send_{status}",
        actor=actor,
        changes={"status": (email_campaign.status, status)},
    )
    return EmailCampaign.objects.get(pk=email_campaign.pk)


@transaction.atomic(durable=True)
def email_campaign_send(
    *, email_campaign: EmailCampaign, actor: User, scheduled_at: datetime.datetime | None = None
) -> EmailCampaign:
    """Fix the recipients and the content, and start sending (now or at ``scheduled_at``)."""
    email_campaign = _locked(email_campaign)
    if email_campaign.status not in (S.DRAFT, S.SCHEDULED):
        raise InvalidStateTransition("email_campaign_started", _("This send has already started."))
    template = email_campaign.template
    require_active_links(model=EmailCampaign, links={"template": template})
    render_parts(context=merge_context(), **{name: getattr(template, name) for name in CONTENT})  # fails 400 early
    count = _materialize(email_campaign)
    if count == 0:
        raise ApplicationError("no_recipients", _("Nobody to send to: the audience has no email addresses."))
    when = scheduled_at or email_campaign.scheduled_at
    status = S.SCHEDULED if when is not None and when > timezone.now() else S.SENDING
    email_campaign = _set_status(
        email_campaign,
        status,
        actor,
        scheduled_at=when,
        started_at=timezone.now(),
        **{name: getattr(template, name) for name in CONTENT},
    )
    if status == S.SENDING:
        _enqueue(email_campaign, "start")
    return email_campaign


@transaction.atomic(durable=True)
def email_campaign_pause(*, email_campaign: EmailCampaign, actor: User) -> EmailCampaign:
    email_campaign = _locked(email_campaign)
    if email_campaign.status not in (S.SENDING, S.SCHEDULED):
        raise InvalidStateTransition("email_campaign_not_sending", _("Only a send under way can be paused."))
    return _set_status(email_campaign, S.PAUSED, actor)


@transaction.atomic(durable=True)
def email_campaign_resume(*, email_campaign: EmailCampaign, actor: User) -> EmailCampaign:
    email_campaign = _locked(email_campaign)
    if email_campaign.status != S.PAUSED:
        raise InvalidStateTransition("email_campaign_not_paused", _("Only a paused send can be resumed."))
    email_campaign = _set_status(email_campaign, S.SENDING, actor)
    _enqueue(email_campaign, f"resume-{secrets.token_hex(4)}")
    return email_campaign


@transaction.atomic(durable=True)
def email_campaign_cancel(*, email_campaign: EmailCampaign, actor: User) -> EmailCampaign:
    email_campaign = _locked(email_campaign)
    if email_campaign.status in (S.COMPLETED, S.CANCELLED):
        raise InvalidStateTransition("email_campaign_over", _("This send is already over."))
    if email_campaign.status == S.AUTOMATED:
        raise InvalidStateTransition(
            "email_campaign_automated", _("A workflow sends this; deactivate the workflow to stop it.")
        )
    EmailRecipient.objects.filter(email_campaign=email_campaign, status=R.QUEUED).update(
        status=R.FAILED, error="cancelled"
    )
    return _set_status(email_campaign, S.CANCELLED, actor, completed_at=timezone.now())


# --- one message from a workflow ----------------------------------------------------------------


def _automated_send(*, template: EmailTemplate, key: str, name: str, actor: User) -> EmailCampaign:
    """The automated send of ``key``, created on first use, locked, its content the template's now."""
    email_campaign_id = EmailCampaign.objects.filter(automation_key=key).values_list("pk", flat=True).first()
    if email_campaign_id is None:
        try:
            with transaction.atomic():
                created = record_create(
                    model=EmailCampaign, data={"name": name[:255], "template": template}, actor=actor
                )
                EmailCampaign.objects.filter(pk=created.pk).update(
                    status=S.AUTOMATED, automation_key=key, started_at=timezone.now()
                )
                email_campaign_id = created.pk
        except IntegrityError:  # a concurrent first use of the same key
            email_campaign_id = EmailCampaign.objects.values_list("pk", flat=True).get(automation_key=key)
    locks.email_campaign_for_update(email_campaign_id=email_campaign_id)
    content = {name: getattr(template, name) for name in CONTENT}
    EmailCampaign.objects.filter(pk=email_campaign_id).update(template=template, **content)
    return EmailCampaign.objects.get(pk=email_campaign_id)


@transaction.atomic
def email_template_send_one(
    *,
    template: EmailTemplate,
    key: str,
    name: str,
    actor: User,
    contact: Contact | None = None,
    lead: Lead | None = None,
) -> tuple[EmailRecipient, bool]:
    """Queue one tracked message of ``template`` to a contact or a lead (a workflow's step).

    The messages of one ``key`` (a workflow and a template) gather in one automated send, so they
    have a send's statistics, tracking and unsubscribe link, and go out through the same delivery
    run as a campaign (the organization's rate, the claim before SMTP, at most once). The
    suppression list applies. A person gets the messages of one key once: a retried or replayed
    run, or the workflow firing again for the same person, mails nobody twice. Returns the
    recipient and whether it is new; delivery starts after commit.
    """
    if (contact is None) == (lead is None):
        raise ApplicationError("recipient", _("Give either a contact or a lead."))
    require_active_links(model=EmailCampaign, links={"template": template})
    person = contact or lead
    email = ((person.email if person else "") or "").strip().lower()
    if not email:
        raise ApplicationError("no_email", _("The record has no email address to send to."))
    email_campaign = _automated_send(template=template, key=key, name=name, actor=actor)
    existing = EmailRecipient.objects.filter(email_campaign=email_campaign, email=email).first()
    if existing is not None:
        return existing, False
    suppressed = Suppression.objects.filter(email=email).exists()
    recipient = EmailRecipient.objects.create(
        email_campaign=email_campaign,
        contact=contact,
        lead=lead,
        email=email,
        token=secrets.token_hex(16),
        status=R.SUPPRESSED if suppressed else R.QUEUED,
    )
    if not suppressed:
        _enqueue(email_campaign, f"recipient-{recipient.pk}")
    return recipient, True


# --- delivery -----------------------------------------------------------------------------------


def build_message(
    email_campaign: EmailCampaign, recipient: EmailRecipient, organization: Organization
) -> EmailMultiAlternatives:
    unsubscribe = tracking.public_url("/u/" + tracking.make_token("unsubscribe", recipient.token))
    context = merge_context(
        organization=organization,
        contact=recipient.contact,
        lead=recipient.lead,
        extra={"unsubscribe_url": unsubscribe},
    )
    rendered = render_parts(context=context, **{name: getattr(email_campaign, name) for name in CONTENT})
    html = tracking.rewrite_links(rendered.html, recipient.token)
    footer = f'<p style="font-size:12px;color:#706e6b"><a href="{unsubscribe}">Unsubscribe</a></p>'
    html = html.replace("</body>", footer + tracking.open_pixel(recipient.token) + "</body>")
    text = rendered.text + f"\n\n{_('Unsubscribe')}: {unsubscribe}\n"
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=email_campaign.from_email or settings.MARKETING_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "Message-ID": recipient.message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-CRM-Recipient": recipient.token,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _message_id(recipient: EmailRecipient) -> str:
    domain = (settings.MARKETING_FROM_EMAIL.rsplit("@", 1)[-1] or "localhost").strip(">")
    return f"<send{recipient.email_campaign_id}.{recipient.token}@{domain}>"


def _claim(email_campaign_id: int) -> EmailRecipient | None:
    """One queued recipient, moved to ``sending`` in its own committed transaction."""
    for _attempt in range(20):
        with transaction.atomic():
            status = EmailCampaign.objects.filter(pk=email_campaign_id).values_list("status", flat=True).first()
            if status not in (S.SENDING, S.AUTOMATED):
                return None
            recipient = locks.next_queued_recipient(email_campaign_id=email_campaign_id, queued=R.QUEUED)
            if recipient is None:
                return None
            # The conditional update is the claim: whatever the database's locking, one worker wins.
            claimed = EmailRecipient.objects.filter(pk=recipient.pk, status=R.QUEUED).update(
                status=R.SENDING, claimed_at=timezone.now(), message_id=_message_id(recipient)
            )
            if claimed == 1:
                return EmailRecipient.objects.get(pk=recipient.pk)
    return None


def _resolve_stuck(email_campaign_id: int) -> int:
    """Rows a dead worker left in ``sending``: maybe sent, maybe not; never sent again."""
    limit = timezone.now() - datetime.timedelta(seconds=settings.MARKETING_STUCK_SECONDS)
    return EmailRecipient.objects.filter(
        email_campaign_id=email_campaign_id, status=R.SENDING, claimed_at__lt=limit
    ).update(status=R.UNKNOWN, error="the worker stopped while sending; not sent again")


def in_window(email_campaign: EmailCampaign, time_zone: str, now: datetime.datetime | None = None) -> bool:
    """Whether ``now`` is inside the send's window, in the organization's time zone."""
    if email_campaign.window_start is None or email_campaign.window_end is None:
        return True
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = (now or timezone.now()).astimezone(zone)
    return local.weekday() in (email_campaign.window_days or []) and (
        email_campaign.window_start <= local.time() < email_campaign.window_end
    )


def _finish_if_done(email_campaign_id: int) -> None:
    with transaction.atomic():
        email_campaign = locks.email_campaign_for_update(email_campaign_id=email_campaign_id)
        if email_campaign.status != S.SENDING:
            return
        if EmailRecipient.objects.filter(
            email_campaign_id=email_campaign_id, status__in=[R.QUEUED, R.SENDING]
        ).exists():
            return
        _set_status(email_campaign, S.COMPLETED, None, completed_at=timezone.now())


def email_campaign_deliver_rollback_unsafe(*, email_campaign_id: int, budget_seconds: float | None = None) -> int:
    """Send to queued recipients until none are left, the send is paused or cancelled, the window
    closes, or the run's time is up. Returns how many messages were handed to the mail server.

    Sends mail outside any transaction (nothing can roll a sent message back)."""
    email_campaign = EmailCampaign.objects.select_related("organization").get(pk=email_campaign_id)
    organization = email_campaign.organization
    _resolve_stuck(email_campaign_id)
    deadline = time.monotonic() + (budget_seconds if budget_seconds is not None else settings.MARKETING_RUN_SECONDS)
    sent = 0
    connection = get_connection()
    try:
        while time.monotonic() < deadline:
            if not in_window(email_campaign, organization.time_zone):
                break
            ratelimit.acquire(organization_id=organization.pk, per_minute=settings.MARKETING_RATE_PER_MINUTE)
            recipient = _claim(email_campaign_id)
            if recipient is None:
                break
            recipient = EmailRecipient.objects.select_related("contact__account", "lead").get(pk=recipient.pk)
            try:
                message = build_message(email_campaign, recipient, organization)
                connection.open()  # one SMTP session for the run (a no-op while it is open)
                message.connection = connection
                message.send()
            except Exception as exc:
                EmailRecipient.objects.filter(pk=recipient.pk, status=R.SENDING).update(
                    status=R.FAILED, error=str(exc)[:500]
                )
                connection.close()  # the next message starts a fresh session
                continue
            EmailRecipient.objects.filter(pk=recipient.pk, status=R.SENDING).update(
                status=R.SENT, sent_at=timezone.now()
            )
            sent += 1
    finally:
        connection.close()
    _finish_if_done(email_campaign_id)
    return sent


def email_campaigns_due() -> list[int]:
    """Sends to (re)start now: scheduled ones whose time came, those still sending, and automated
    ones with queued recipients (a run that stopped at its time limit)."""
    now = timezone.now()
    EmailCampaign.objects.filter(status=S.SCHEDULED, scheduled_at__lte=now).update(status=S.SENDING)
    automated = EmailRecipient.objects.filter(email_campaign__status=S.AUTOMATED, status__in=[R.QUEUED, R.SENDING])
    return list(
        EmailCampaign.objects.filter(Q(status=S.SENDING) | Q(pk__in=automated.values("email_campaign_id")))
        .values_list("pk", flat=True)
        .distinct()
    )


def email_campaign_test_send(*, email_campaign: EmailCampaign, to: str, actor: User) -> None:
    """One message to ``to`` with the sender's own data, marked [Test]; no recipient row, no tracking."""
    template = email_campaign.template
    context = merge_context(organization=actor.organization, extra={"unsubscribe_url": tracking.public_url("/u/test")})
    rendered = render_parts(context=context, **{name: getattr(template, name) for name in CONTENT})
    message = EmailMultiAlternatives(
        subject=_("[Test] %(subject)s") % {"subject": rendered.subject},
        body=rendered.text,
        from_email=email_campaign.from_email or settings.MARKETING_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(rendered.html, "text/html")
    message.send()
