"""Payment reminders (dunning): levels, the daily run, "send now", pauses and late charges.

Sending a reminder, whoever asks (the daily job, a second overlapping job, a user's "Send
reminder now"):

1. claim: in one short transaction the ``Reminder`` row is inserted (unique per invoice and
   level) with its charges. A concurrent claim of the same pair fails on the constraint and sends
   nothing; the fixed fee is inserted under its own partial unique constraint (once per invoice),
   so two levels racing each other still charge it once;
2. the reminder PDF is rendered with the organization's payment reminder template and the mail
   goes out through Django's mail backend;
3. the row is marked sent and the reminder is logged on the invoice's timeline (a completed task,
   which the account's timeline gathers with those of its other records) and in the invoice's and
   the account's history.

If the mail server refuses the message, the claim is removed again (with its charges) so the next
run tries once more. Issued invoices are never edited: interest and the fee are ``ReminderCharge``
rows, shown on the reminder, in its mail and on its PDF.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from crm.accounts.models import Account, Contact
from crm.activities.models import Activity
from crm.activities.services import activity_create_nested
from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.core.scoping import current_org_id, org_scope
from crm.identity.models import Organization, User
from crm.invoicing.documents import render as documents
from crm.invoicing.models import Invoice

from .. import locks
from ..models import (
    STATUTORY_MARGIN,
    AccountNoReminders,
    CollectionSettings,
    InvoiceReminderPause,
    Reminder,
    ReminderCharge,
    ReminderLevel,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

log = logging.getLogger("crm.collections.reminders")

CENT = Decimal("0.01")
OPEN_STATUSES = (Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID, Invoice.Status.OVERDUE)
MAIL_TEMPLATES = SandboxedEnvironment(autoescape=False, trim_blocks=True)


def _invalid(fields: dict[str, Any]) -> ApplicationError:
    return ApplicationError("validation_error", _("Please correct the errors below."), fields)


# --- defaults and settings ---------------------------------------------------------------------------
def _default_levels() -> list[dict[str, Any]]:
    return [
        {
            "name": _("Friendly reminder"),
            "days_after_due": 3,
            "subject": _("Friendly reminder: invoice {{ invoice.number }}"),
            "body": _(
                "Dear {{ account.name }},\n\nour records show that invoice {{ invoice.number }} of "
                "{{ invoice.issue_date }} was due on {{ invoice.due_date }} and {{ invoice.balance_due }} is still "
                "open. Perhaps it slipped through: please pay at your earliest convenience. If you have paid "
                "already, please ignore this message.\n\nKind regards,\n{{ org.name }}"
            ),
            "charge_interest": False,
            "fixed_fee": Decimal("0.00"),
        },
        {
            "name": _("Second reminder"),
            "days_after_due": 14,
            "subject": _("Second reminder: invoice {{ invoice.number }}"),
            "body": _(
                "Dear {{ account.name }},\n\ninvoice {{ invoice.number }} was due on {{ invoice.due_date }} and "
                "{{ invoice.balance_due }} is still open, {{ reminder.days_overdue }} days later. Please pay the "
                "balance within 7 days.\n\nKind regards,\n{{ org.name }}"
            ),
            "charge_interest": False,
            "fixed_fee": Decimal("0.00"),
        },
        {
            "name": _("Final reminder"),
            "days_after_due": 30,
            "subject": _("Final reminder: invoice {{ invoice.number }}"),
            "body": _(
                "Dear {{ account.name }},\n\ndespite our reminders, invoice {{ invoice.number }} "
                "({{ invoice.balance_due }}) is still unpaid, {{ reminder.days_overdue }} days after its due date. "
                "{% for charge in reminder.charges %}{{ charge.label }}: {{ charge.amount }}\n{% endfor %}"
                "Please pay {{ reminder.total_due }} within 7 days.\n\nKind regards,\n{{ org.name }}"
            ),
            "charge_interest": True,
            "fixed_fee": Decimal("40.00"),
        },
    ]


def reminder_levels_create_defaults() -> None:
    """The current organization's default levels (3, 14 and 30 days), unless it has levels already.

    Registered as an organization initialiser; in the organization's language."""
    if ReminderLevel.objects.exists():
        return
    language = Organization.objects.filter(pk=current_org_id()).values_list("default_language", flat=True).first()
    with translation.override(language or "en"):
        ReminderLevel.objects.bulk_create(
            [ReminderLevel(**values) for values in _default_levels()], ignore_conflicts=True
        )


def collection_settings_get() -> CollectionSettings:
    """The organization's settings row, created with the defaults on first use (race-free)."""
    row = CollectionSettings.objects.first()
    if row is None:
        CollectionSettings.objects.bulk_create([CollectionSettings()], ignore_conflicts=True)
        row = CollectionSettings.objects.get()
    return row


@transaction.atomic(durable=True)
def collection_settings_update(*, data: dict[str, Any], expected_version: int, actor: User) -> CollectionSettings:
    collection_settings_get()
    row = locks.collection_settings_for_update()
    if row.version != expected_version:
        raise VersionConflict(current_version=row.version)
    changes: dict[str, tuple[Any, Any]] = {}
    for name in ("reference_rate", "match_threshold"):
        if name in data and data[name] != getattr(row, name):
            changes[name] = (str(getattr(row, name)), str(data[name]))
            setattr(row, name, data[name])
    if changes:
        row.version += 1
        row.save()
        audit.write_event(record=row, action=AuditEvent.Action.UPDATE, actor=actor, changes=changes)
    return row


# --- levels -----------------------------------------------------------------------------------------
def _check_level_templates(data: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    for name in ("subject", "body"):
        if name in data:
            try:
                MAIL_TEMPLATES.parse(data[name])
            except TemplateError as exc:
                errors[name] = [_("The template does not compile: %(error)s") % {"error": exc}]
    if errors:
        raise _invalid(errors)


def _days_taken(days: int, *, except_id: int | None = None) -> None:
    others = ReminderLevel.objects.filter(days_after_due=days)
    if except_id is not None:
        others = others.exclude(pk=except_id)
    if others.exists():
        raise _invalid(
            {"days_after_due": [_("Another level is sent %(days)s days after the due date.") % {"days": days}]}
        )


@transaction.atomic(durable=True)
def reminder_level_create(*, data: dict[str, Any], actor: User) -> ReminderLevel:
    _check_level_templates(data)
    _days_taken(data["days_after_due"])
    try:
        with transaction.atomic():
            level = ReminderLevel.objects.create(**data)
    except IntegrityError:  # a concurrent create took the same days
        raise _invalid({"days_after_due": [_("Another level is sent this many days after the due date.")]}) from None
    audit.write_event(record=level, action=AuditEvent.Action.CREATE, actor=actor)
    return level


@transaction.atomic(durable=True)
def reminder_level_update(*, level_id: int, data: dict[str, Any], expected_version: int, actor: User) -> ReminderLevel:
    level = locks.reminder_level_for_update(level_id=level_id)
    if level.version != expected_version:
        raise VersionConflict(current_version=level.version)
    _check_level_templates(data)
    if "days_after_due" in data:
        _days_taken(data["days_after_due"], except_id=level.pk)
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in data.items():
        if getattr(level, name) != value:
            changes[name] = (str(getattr(level, name)), str(value))
            setattr(level, name, value)
    if changes:
        level.version += 1
        level.save()
        audit.write_event(record=level, action=AuditEvent.Action.UPDATE, actor=actor, changes=changes)
    return level


@transaction.atomic(durable=True)
def reminder_level_delete(*, level_id: int, expected_version: int, actor: User) -> None:
    """Remove a level no reminder was sent with; a used level is deactivated instead (409)."""
    level = locks.reminder_level_for_update(level_id=level_id)
    if level.version != expected_version:
        raise VersionConflict(current_version=level.version)
    if Reminder.objects.filter(level=level).exists():
        raise InvalidStateTransition(
            "reminder_level_in_use", _("Reminders were sent with this level: deactivate it instead.")
        )
    audit.write_event(record=level, action=AuditEvent.Action.ACTION, actor=actor, name="reminder_level.delete")
    level.delete()


# --- pause and "no reminders" -------------------------------------------------------------------------
@transaction.atomic(durable=True)
def invoice_reminders_pause(*, invoice: Invoice, reason: str, actor: User) -> None:
    created = InvoiceReminderPause.objects.bulk_create(
        [InvoiceReminderPause(invoice=invoice, reason=reason, created_by=actor)], ignore_conflicts=True
    )
    if created and InvoiceReminderPause.objects.filter(invoice=invoice, created_by=actor, reason=reason).exists():
        audit.write_event(
            record=invoice,
            action=AuditEvent.Action.ACTION,
            actor=actor,
            name="invoice.reminders_pause",
            changes={"reminders_paused": (False, True)},
        )


@transaction.atomic(durable=True)
def invoice_reminders_resume(*, invoice: Invoice, actor: User) -> None:
    deleted, _rows = InvoiceReminderPause.objects.filter(invoice=invoice).delete()
    if deleted:
        audit.write_event(
            record=invoice,
            action=AuditEvent.Action.ACTION,
            actor=actor,
            name="invoice.reminders_resume",
            changes={"reminders_paused": (True, False)},
        )


@transaction.atomic(durable=True)
def account_no_reminders_set(*, account: Account, no_reminders: bool, actor: User) -> None:
    had = AccountNoReminders.objects.filter(account=account).exists()
    if no_reminders and not had:
        AccountNoReminders.objects.bulk_create(
            [AccountNoReminders(account=account, created_by=actor)], ignore_conflicts=True
        )
    elif not no_reminders and had:
        AccountNoReminders.objects.filter(account=account).delete()
    if had != no_reminders:
        audit.write_event(
            record=account,
            action=AuditEvent.Action.ACTION,
            actor=actor,
            name="account.no_reminders",
            changes={"no_reminders": (had, no_reminders)},
        )


def reminder_state(*, invoice: Invoice) -> dict[str, Any]:
    """What the invoice page shows: paused, the account's flag, the reminders and the next level."""
    sent = list(Reminder.objects.filter(invoice=invoice).select_related("level").order_by("created_at", "id"))
    upcoming = _next_level(invoice, {r.level_id for r in sent})
    return {
        "paused": InvoiceReminderPause.objects.filter(invoice=invoice).exists(),
        "account_no_reminders": AccountNoReminders.objects.filter(account_id=invoice.account_id).exists(),
        "reminders_sent": len(sent),
        "next_level": {"id": upcoming.pk, "name": upcoming.name, "days_after_due": upcoming.days_after_due}
        if upcoming
        else None,
    }


# --- what a reminder charges --------------------------------------------------------------------------
@dataclass
class Charges:
    days_overdue: int
    overdue: Decimal
    rate: Decimal = Decimal("0.00")
    interest: Decimal = Decimal("0.00")
    interest_days: int = 0
    fee: Decimal = Decimal("0.00")
    lines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.overdue + self.interest + self.fee


def late_interest(*, amount: Decimal, annual_rate: Decimal, days: int) -> Decimal:
    """Simple interest, pro rata per day (actual/365), on ``amount`` at ``annual_rate`` percent."""
    if days <= 0 or amount <= 0 or annual_rate <= 0:
        return Decimal("0.00")
    return (amount * annual_rate / Decimal(100) * Decimal(days) / Decimal(365)).quantize(CENT, ROUND_HALF_UP)


def reminder_charges(*, invoice: Invoice, level: ReminderLevel, today: datetime.date) -> Charges:
    """The interest and the fee a reminder at ``level`` adds today (nothing charged twice).

    Interest per Directive 2011/7/EU: the organization's reference rate plus 8 percentage points,
    on the open amount, per day since the due date; what earlier reminders charged is deducted.
    The fee is charged if the level has one and no reminder of the invoice charged it yet."""
    days = (today - invoice.due_date).days if invoice.due_date else 0
    charges = Charges(days_overdue=days, overdue=max(invoice.open_balance, Decimal("0.00")))
    if level.charge_interest and days > 0:
        charges.rate = collection_settings_get().reference_rate + STATUTORY_MARGIN
        accrued = late_interest(amount=charges.overdue, annual_rate=charges.rate, days=days)
        earlier = ReminderCharge.objects.filter(invoice=invoice, kind=ReminderCharge.Kind.INTEREST).aggregate(
            total=Sum("amount")
        )["total"] or Decimal("0.00")
        charges.interest = max(accrued - earlier, Decimal("0.00"))
        charges.interest_days = days
    if (
        level.fixed_fee > 0
        and not ReminderCharge.objects.filter(invoice=invoice, kind=ReminderCharge.Kind.FEE).exists()
    ):
        charges.fee = level.fixed_fee
    return charges


# --- sending ------------------------------------------------------------------------------------------
@dataclass
class Sent:
    reminder: Reminder | None
    skipped: str = ""  # why nothing was sent


def _recipient(invoice: Invoice) -> str:
    if invoice.contact_id is not None and invoice.contact is not None and invoice.contact.email:
        return invoice.contact.email
    email = (
        Contact.objects.filter(account_id=invoice.account_id, is_active=True)
        .exclude(email="")
        .order_by("id")
        .values_list("email", flat=True)
        .first()
    )
    return email or ""


def _context(
    *, invoice: Invoice, org: Organization, reminder: Reminder, charges: list[ReminderCharge], language: str
) -> dict[str, Any]:
    fmt = documents.Formats(language, invoice.currency)
    with translation.override(language):
        lines = []
        for charge in charges:
            if charge.kind == ReminderCharge.Kind.INTEREST:
                label = _("Late interest (%(rate)s%% a year, %(days)s days)") % {
                    "rate": fmt.number(charge.rate),
                    "days": charge.days,
                }
            else:
                label = _("Compensation for recovery costs")
            lines.append({"label": label, "amount": fmt.money(charge.amount)})
        return {
            "org": {"name": org.legal_name or org.name},
            "account": {"name": invoice.account.name},
            "invoice": {
                "number": invoice.number,
                "issue_date": fmt.date(invoice.issue_date),
                "due_date": fmt.date(invoice.due_date),
                "balance_due": fmt.money(reminder.overdue_amount),
            },
            "reminder": {
                "level": reminder.level.name,
                "days_overdue": reminder.days_overdue,
                "charges": lines,
                "interest": fmt.money(reminder.interest_amount),
                "fee": fmt.money(reminder.fee_amount),
                "total_due": fmt.money(reminder.total_due),
                "total_label": _("Total due"),
            },
        }


def _render_mail(level: ReminderLevel, context: dict[str, Any]) -> tuple[str, str]:
    try:
        subject = MAIL_TEMPLATES.from_string(level.subject).render(context)
        body = MAIL_TEMPLATES.from_string(level.body).render(context)
    except TemplateError as exc:
        raise _invalid(
            {"body": [_("The level's mail template cannot be rendered: %(error)s") % {"error": exc}]}
        ) from None
    return " ".join(subject.split())[:255], body


def _claim(
    *, invoice: Invoice, level: ReminderLevel, today: datetime.date, trigger: str, actor: User | None, recipient: str
) -> tuple[Reminder, list[ReminderCharge]] | None:
    """Insert the reminder and its charges in one transaction; None when the pair is taken."""
    with transaction.atomic():
        charges = reminder_charges(invoice=invoice, level=level, today=today)
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    invoice=invoice,
                    account_id=invoice.account_id,
                    level=level,
                    trigger=trigger,
                    recipient=recipient,
                    subject="",
                    days_overdue=charges.days_overdue,
                    overdue_amount=charges.overdue,
                    interest_rate=charges.rate,
                    currency=invoice.currency,
                    created_by=actor,
                )
        except IntegrityError:
            return None
        rows = []
        if charges.interest > 0:
            rows.append(
                ReminderCharge.objects.create(
                    reminder=reminder,
                    invoice=invoice,
                    kind=ReminderCharge.Kind.INTEREST,
                    amount=charges.interest,
                    days=charges.interest_days,
                    rate=charges.rate,
                )
            )
        if charges.fee > 0:
            try:
                with transaction.atomic():
                    rows.append(
                        ReminderCharge.objects.create(
                            reminder=reminder, invoice=invoice, kind=ReminderCharge.Kind.FEE, amount=charges.fee
                        )
                    )
            except IntegrityError:  # another reminder of the invoice charged the fee first
                charges.fee = Decimal("0.00")
        reminder.interest_amount, reminder.fee_amount = charges.interest, charges.fee
        reminder.save(update_fields=["interest_amount", "fee_amount"])
        return reminder, rows


def reminder_send(
    *, invoice_id: int, level_id: int, trigger: str, actor_id: int | None, today: datetime.date | None = None
) -> Sent:
    """Send the reminder of ``level`` for the invoice once; a second call (or a racing one) sends nothing."""
    invoice = Invoice.objects.select_related("account", "contact").get(pk=invoice_id)
    level = ReminderLevel.objects.get(pk=level_id)
    org = Organization.objects.get(pk=invoice.organization_id)
    today = today or org_today(org)
    actor = User.objects.get(pk=actor_id) if actor_id else invoice.owner
    recipient = _recipient(invoice)
    if not recipient:
        return Sent(None, "no_recipient")
    claimed = _claim(invoice=invoice, level=level, today=today, trigger=trigger, actor=actor, recipient=recipient)
    if claimed is None:
        return Sent(None, "already_sent")
    reminder, charges = claimed
    language = invoice.language or org.default_language
    try:
        context = _context(invoice=invoice, org=org, reminder=reminder, charges=charges, language=language)
        subject, body = _render_mail(level, context)
        rendered = documents.render_record(
            kind="invoice", record_id=invoice.pk, doc_type="payment_reminder", extra={"reminder": context["reminder"]}
        )
        mail = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient])
        mail.attach(f"{invoice.number}-reminder-{level.days_after_due}.pdf", rendered.pdf, "application/pdf")
        mail.send(fail_silently=False)
    except Exception:
        Reminder.objects.filter(pk=reminder.pk).delete()  # unclaimed: the next run tries again
        raise
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(
            status=Reminder.Status.SENT, sent_at=timezone.now(), subject=subject
        )
        _log(invoice=invoice, reminder=reminder, level=level, recipient=recipient, actor=actor)
    reminder.refresh_from_db()
    return Sent(reminder)


def reminder_pdf(*, reminder: Reminder) -> bytes:
    """The PDF of a reminder sent before, rendered again from what was stored when it was sent (its
    level, overdue amount and charges) with the organization's payment reminder template."""
    invoice = Invoice.objects.select_related("account").get(pk=reminder.invoice_id)
    org = Organization.objects.get(pk=invoice.organization_id)
    charges = list(ReminderCharge.objects.filter(reminder=reminder).order_by("id"))
    language = invoice.language or org.default_language
    context = _context(invoice=invoice, org=org, reminder=reminder, charges=charges, language=language)
    rendered = documents.render_record(
        kind="invoice", record_id=invoice.pk, doc_type="payment_reminder", extra={"reminder": context["reminder"]}
    )
    return rendered.pdf


def _log(*, invoice: Invoice, reminder: Reminder, level: ReminderLevel, recipient: str, actor: User) -> None:
    description = [f"{level.name}: {reminder.overdue_amount} {reminder.currency}"]
    if reminder.interest_amount:
        description.append(f"interest {reminder.interest_amount} {reminder.currency}")
    if reminder.fee_amount:
        description.append(f"fee {reminder.fee_amount} {reminder.currency}")
    activity_create_nested(
        data={
            "type": Activity.Type.TASK,
            "subject": f"Payment reminder ({level.name}) for {invoice.number} sent to {recipient}"[:255],
            "description": ", ".join(description),
            "status": Activity.Status.COMPLETED,
            "due_date": timezone.localdate(),
            "what_type": Activity.WhatType.INVOICE,
            "what_id": invoice.pk,
        },
        actor=actor,
    )
    changes = {
        "reminder": (None, reminder.pk),
        "level": (None, level.name),
        "to": (None, recipient),
        "interest": (None, str(reminder.interest_amount)),
        "fee": (None, str(reminder.fee_amount)),
    }
    audit.write_event(
        record=invoice, action=AuditEvent.Action.ACTION, actor=actor, name="invoice.reminder", changes=changes
    )
    audit.write_event(
        record=invoice.account, action=AuditEvent.Action.ACTION, actor=actor, name="account.reminder", changes=changes
    )


def org_today(org: Organization) -> datetime.date:
    try:
        zone = zoneinfo.ZoneInfo(org.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return timezone.now().astimezone(zone).date()


def _next_level(invoice: Invoice, sent_level_ids: Iterable[int]) -> ReminderLevel | None:
    sent = set(sent_level_ids)
    levels = list(ReminderLevel.objects.filter(is_active=True).order_by("days_after_due"))
    highest_sent = max((level.days_after_due for level in levels if level.pk in sent), default=-1)
    return next((level for level in levels if level.days_after_due > highest_sent and level.pk not in sent), None)


def _refuse_unremindable(invoice: Invoice) -> None:
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status not in OPEN_STATUSES or invoice.open_balance <= 0:
        raise InvalidStateTransition("invoice_not_open", _("Only an issued invoice with an open balance is reminded."))
    if InvoiceReminderPause.objects.filter(invoice=invoice).exists():
        raise InvalidStateTransition("reminders_paused", _("Reminders are paused for this invoice: resume them first."))
    if AccountNoReminders.objects.filter(account_id=invoice.account_id).exists():
        raise InvalidStateTransition("account_no_reminders", _("The account gets no reminders."))


def reminder_send_now(*, invoice: Invoice, level_id: int | None, actor: User) -> Reminder:
    """A user's "Send reminder now": the given level, or the next one not sent yet (due or not)."""
    _refuse_unremindable(invoice)
    if level_id is not None:
        level = ReminderLevel.objects.filter(pk=level_id, is_active=True).first()
        if level is None:
            raise _invalid({"level_id": [_("Choose an active reminder level.")]})
    else:
        level = _next_level(invoice, Reminder.objects.filter(invoice=invoice).values_list("level_id", flat=True))
        if level is None:
            raise InvalidStateTransition("reminders_exhausted", _("Every reminder level was sent for this invoice."))
    if not _recipient(invoice):
        raise _invalid({"to": [_("The invoice's account has no contact with an email address.")]})
    result = reminder_send(invoice_id=invoice.pk, level_id=level.pk, trigger=Reminder.Trigger.MANUAL, actor_id=actor.pk)
    if result.reminder is None:
        raise InvalidStateTransition(
            "reminder_already_sent", _("This reminder level was sent for the invoice already.")
        )
    return result.reminder


# --- the daily run ------------------------------------------------------------------------------------
@dataclass
class RunResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def reminders_due(*, today: datetime.date) -> list[tuple[int, int]]:
    """(invoice, level) pairs due today: per open, overdue invoice the highest level reached, unless
    that level (or a later one) was sent, the invoice is paused or its account gets no reminders."""
    levels = list(ReminderLevel.objects.filter(is_active=True).order_by("days_after_due"))
    if not levels:
        return []
    earliest = today - datetime.timedelta(days=levels[0].days_after_due)
    invoices = (
        Invoice.objects.filter(kind=Invoice.Kind.INVOICE, status__in=OPEN_STATUSES, due_date__lte=earliest)
        .exclude(pk__in=InvoiceReminderPause.objects.values("invoice_id"))
        .exclude(account_id__in=AccountNoReminders.objects.values("account_id"))
        .only("pk", "due_date", "gross_total", "amount_paid", "amount_credited")
        .order_by("due_date", "pk")
    )
    sent: dict[int, int] = {}
    days_of = {level.pk: level.days_after_due for level in levels}
    for invoice_id, level_id in Reminder.objects.values_list("invoice_id", "level_id"):
        sent[invoice_id] = max(sent.get(invoice_id, -1), days_of.get(level_id, -1))
    due = []
    for invoice in invoices:
        if invoice.open_balance <= 0 or invoice.due_date is None:
            continue
        overdue = (today - invoice.due_date).days
        reached = [level for level in levels if level.days_after_due <= overdue]
        if reached and reached[-1].days_after_due > sent.get(invoice.pk, -1):
            due.append((invoice.pk, reached[-1].pk))
    return due


def reminders_run(*, organization_id: int, today: datetime.date | None = None) -> RunResult:
    """Send every reminder due in the organization today (each in its own transactions)."""
    result = RunResult()
    with org_scope(organization_id):
        org = Organization.objects.get(pk=organization_id)
        today = today or org_today(org)
        for invoice_id, level_id in reminders_due(today=today):
            try:
                sent = reminder_send(
                    invoice_id=invoice_id,
                    level_id=level_id,
                    trigger=Reminder.Trigger.SCHEDULE,
                    actor_id=None,
                    today=today,
                )
            except Exception:
                log.exception("reminder failed", extra={"invoice": invoice_id, "level": level_id})
                result.failed += 1
                continue
            if sent.reminder is None:
                result.skipped += 1
            else:
                result.sent += 1
    return result
