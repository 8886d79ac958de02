"""Sending a quote or an invoice by mail with its PDF attached, through Django's mail backend.

``document_send`` takes ids only, so it runs synchronously from the API or later from a job.
A call with an idempotency key already used returns the first delivery and sends nothing: the
delivery row is claimed (unique per organization and key) before the mail goes out, and marked
sent after. Each sent document is logged on the timeline as a completed task on the opportunity
(quotes) or on the order, contract or account (invoices), and in the record's history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.activities.models import Activity
from crm.activities.services import activity_create_nested
from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.identity.models import Organization, User

from ..documents import render as documents
from ..documents.labels import LABELS
from ..models import Delivery, Invoice, Quote
from .document_extras import invoice_mail_lines
from .templates import version_row


@dataclass
class SendResult:
    delivery: Delivery
    sent: bool  # False: the idempotency key was used before and nothing was sent again


def _recipient(record: Quote | Invoice, to: str | None) -> str:
    if to:
        return to
    if record.contact is not None and record.contact.email:
        return record.contact.email
    raise ApplicationError(
        "validation_error",
        _("Please correct the errors below."),
        {"to": _("The document has no contact with an email address: enter the recipient.")},
    )


@dataclass
class SendDefaults:
    record: Quote | Invoice
    number: str
    to: str
    subject: str
    message: str


def _load(kind: str, record_id: int) -> tuple[Quote | Invoice, str, str]:
    record: Quote | Invoice
    if kind == "quote":
        record = Quote.objects.select_related("contact", "opportunity").get(pk=record_id)
        return record, record.quote_number, "quote"
    record = Invoice.objects.select_related("contact").get(pk=record_id)
    title_key = "credit_note" if record.kind == Invoice.Kind.CREDIT_NOTE else "invoice"
    return record, record.number, title_key


def send_defaults(*, kind: str, record_id: int, organization_id: int) -> SendDefaults:
    """What the send dialog starts from: the contact's address, the subject and the message a mail
    takes when the sender leaves them out (in the document's language)."""
    record, number, title_key = _load(kind, record_id)
    org = Organization.objects.get(pk=organization_id)
    labels = LABELS.get(record.language or org.default_language, LABELS["en"])
    to = record.contact.email if record.contact is not None and record.contact.email else ""
    return SendDefaults(
        record=record,
        number=number,
        to=to,
        subject=f"{labels[title_key]} {number} - {org.legal_name or org.name}",
        message=f"{labels[title_key]} {number}",
    )


def document_send(
    *,
    kind: str,
    record_id: int,
    actor_id: int,
    to: str | None = None,
    cc: list[str] | None = None,
    subject: str | None = None,
    message: str = "",
    idempotency_key: str | None = None,
) -> SendResult:
    actor = User.objects.get(pk=actor_id)
    key = idempotency_key or uuid.uuid4().hex
    earlier = Delivery.objects.filter(idempotency_key=key).first()
    if earlier is not None:
        if (earlier.object_type, earlier.object_id) != (kind, record_id):
            raise ApplicationError(
                "idempotency_key_reused", _("This idempotency key was used for another document."), status_code=409
            )
        return SendResult(delivery=earlier, sent=False)
    defaults = send_defaults(kind=kind, record_id=record_id, organization_id=actor.organization_id)
    record, number = defaults.record, defaults.number
    if isinstance(record, Invoice) and record.status == Invoice.Status.DRAFT:
        raise InvalidStateTransition("invoice_not_issued", _("Issue the invoice before sending it."))
    language = record.language or Organization.objects.get(pk=actor.organization_id).default_language or "en"
    recipient = _recipient(record, to)
    copies = [address for address in dict.fromkeys(cc or []) if address.lower() != recipient.lower()]
    subject = subject or defaults.subject
    if kind == "quote":
        rendered = documents.render_record(kind="quote", record_id=record_id)
        pdf, template_version = rendered.pdf, version_row(doc_type="quote", number=rendered.template_version)
    else:
        pdf = documents.invoice_pdf(invoice_id=record_id)
        stored = getattr(Invoice.objects.select_related("document").get(pk=record_id), "document", None)
        template_version = stored.template_version if stored is not None else None
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                object_type=kind,
                object_id=record_id,
                idempotency_key=key,
                recipient=recipient,
                cc=", ".join(copies),
                subject=subject[:255],
                template_version=template_version,
                created_by=actor,
            )
    except IntegrityError:  # a concurrent call with the same key claimed it first
        return SendResult(delivery=Delivery.objects.get(idempotency_key=key), sent=False)
    mail = EmailMessage(
        subject=subject,
        body="\n\n".join([message or defaults.message, *_extra_lines(record, language)]),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        cc=copies,
    )
    mail.attach(f"{number or 'document'}.pdf", pdf, "application/pdf")
    try:
        mail.send(fail_silently=False)
    except Exception:
        Delivery.objects.filter(pk=delivery.pk).delete()  # the key may be tried again
        raise
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
        _log(
            record=record,
            kind=kind,
            number=number,
            recipient=recipient,
            copies=copies,
            subject=subject,
            message=message,
            actor=actor,
        )
    delivery.refresh_from_db()
    return SendResult(delivery=delivery, sent=True)


def _extra_lines(record: Quote | Invoice, language: str) -> list[str]:
    return invoice_mail_lines(invoice=record, language=language) if isinstance(record, Invoice) else []


def _log(
    *,
    record: Quote | Invoice,
    kind: str,
    number: str,
    recipient: str,
    copies: list[str],
    subject: str,
    message: str,
    actor: User,
) -> None:
    if isinstance(record, Quote):
        what_type, what_id = Activity.WhatType.OPPORTUNITY, record.opportunity_id
        if record.status in (
            Quote.Status.DRAFT,
            Quote.Status.APPROVED,
            Quote.Status.NEEDS_REVIEW,
            Quote.Status.IN_REVIEW,
        ):
            Quote.objects.filter(pk=record.pk).update(status=Quote.Status.PRESENTED)
    elif record.order_id:
        what_type, what_id = Activity.WhatType.ORDER, record.order_id
    elif record.contract_id:
        what_type, what_id = Activity.WhatType.CONTRACT, record.contract_id
    else:
        what_type, what_id = Activity.WhatType.ACCOUNT, record.account_id
    what = _("quote") if kind == "quote" else _("invoice")
    details = [_("Subject: %(subject)s") % {"subject": subject}]
    if copies:
        details.append(_("Cc: %(addresses)s") % {"addresses": ", ".join(copies)})
    if message:
        details += ["", message]
    activity_create_nested(
        data={
            "type": Activity.Type.TASK,
            "subject": (
                _("Sent %(what)s %(number)s to %(recipient)s")
                % {"what": what, "number": number, "recipient": recipient}
            )[:255],
            "description": "\n".join(details),
            "status": Activity.Status.COMPLETED,
            "due_date": timezone.localdate(),
            "what_type": what_type,
            "what_id": what_id,
        },
        actor=actor,
    )
    audit.write_event(
        record=record,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name=f"{kind}.send",
        changes={"to": (None, recipient), "cc": (None, ", ".join(copies)), "subject": (None, subject)},
    )
