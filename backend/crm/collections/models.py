"""Getting paid: payment reminders (dunning) and bank statements matched to open invoices.

Issued invoices are immutable, so everything collections adds lives in its own tables: the
reminders sent (one per invoice and level, a unique constraint), the charges a reminder adds
(late interest and the fixed compensation fee, the fee at most once per invoice, another unique
constraint), the per-invoice pause and the per-account "no reminders" flag, and the organization's
settings (the reference rate for statutory interest and the matching threshold).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from crm.records.models import OrgOwned

# The ECB main refinancing operations rate (percent), the reference rate of Directive 2011/7/EU.
DEFAULT_REFERENCE_RATE = Decimal("2.15")
# Directive 2011/7/EU: the reference rate plus at least eight percentage points.
STATUTORY_MARGIN = Decimal("8.00")
# Directive 2011/7/EU art. 6: a fixed sum of at least EUR 40 as compensation for recovery costs.
STATUTORY_FEE = Decimal("40.00")
DEFAULT_MATCH_THRESHOLD = 90


class CollectionSettings(OrgOwned):
    """One row per organization (created on first use)."""

    reference_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_REFERENCE_RATE,
        validators=[MinValueValidator(Decimal("-5")), MaxValueValidator(Decimal("50"))],
    )
    match_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_MATCH_THRESHOLD, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["organization"], name="collection_settings_one_per_org")]

    def __str__(self) -> str:
        return f"Collections settings of {self.organization_id}"


class ReminderLevel(OrgOwned):
    """A dunning step: sent ``days_after_due`` days after the due date, with its mail and charges."""

    name = models.CharField(max_length=100)
    days_after_due = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(365)])
    subject = models.CharField(max_length=255)
    body = models.TextField()
    charge_interest = models.BooleanField(default=False)
    fixed_fee = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        ordering = ["days_after_due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "days_after_due"], name="reminder_level_days_unique"),
            models.CheckConstraint(condition=Q(fixed_fee__gte=0), name="reminder_level_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (+{self.days_after_due} days)"


class Reminder(OrgOwned):
    """A reminder sent for an invoice at a level; the unique pair makes "never twice" hold under races."""

    class Status(models.TextChoices):
        SENDING = "Sending"
        SENT = "Sent"

    class Trigger(models.TextChoices):
        SCHEDULE = "Schedule"
        MANUAL = "Manual"

    invoice = models.ForeignKey("invoicing.Invoice", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(ReminderLevel, on_delete=models.PROTECT, related_name="reminders")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    days_overdue = models.IntegerField()
    overdue_amount = models.DecimalField(max_digits=18, decimal_places=2)
    interest_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0.00"))
    interest_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    fee_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(OrgOwned.Meta):
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "invoice"], name="reminder_org_invoice"),
            models.Index(fields=["organization", "account", "-created_at"], name="reminder_org_account"),
        ]
        constraints = [models.UniqueConstraint(fields=["invoice", "level"], name="reminder_once_per_invoice_level")]

    def __str__(self) -> str:
        return f"Reminder {self.level_id} for invoice {self.invoice_id}"

    @property
    def total_due(self) -> Decimal:
        return self.overdue_amount + self.interest_amount + self.fee_amount


class ReminderCharge(OrgOwned):
    """Late interest or the fixed fee a reminder adds to what the customer owes.

    The issued invoice is never edited: the charge is its own row, shown on the reminder and its
    PDF. The fee is charged at most once per invoice (the partial unique constraint)."""

    class Kind(models.TextChoices):
        INTEREST = "interest"
        FEE = "fee"

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="charges")
    invoice = models.ForeignKey("invoicing.Invoice", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # Interest: the days and the annual rate it is computed with.
    days = models.IntegerField(default=0)
    rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["invoice"], condition=Q(kind="fee"), name="reminder_fee_once_per_invoice"),
            models.UniqueConstraint(fields=["reminder", "kind"], name="reminder_charge_one_per_kind"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="reminder_charge_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on invoice {self.invoice_id}"


class InvoiceReminderPause(OrgOwned):
    """While this row exists, no reminder is sent for the invoice."""

    invoice = models.OneToOneField("invoicing.Invoice", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Reminders paused for invoice {self.invoice_id}"


class AccountNoReminders(OrgOwned):
    """While this row exists, no reminder is sent for any invoice of the account."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"No reminders for account {self.account_id}"


class BankStatement(OrgOwned):
    """An uploaded bank statement; matching its transactions runs in a job and reports progress here."""

    class Format(models.TextChoices):
        CAMT053 = "camt053", "CAMT.053"
        MT940 = "mt940", "MT940"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        MATCHING = "Matching"
        DONE = "Done"
        FAILED = "Failed"

    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=10, choices=Format.choices)
    sha256 = models.CharField(max_length=64)
    account_iban = models.CharField(max_length=34, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MATCHING)
    # Progress of matching: every figure counts this statement's new transactions.
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    # Transactions of the file that were stored before (a re-import, an overlapping statement).
    duplicates = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(OrgOwned.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class BankTransaction(OrgOwned):
    """One booking of a statement, stored once per organization (``dedupe_key``)."""

    class Status(models.TextChoices):
        UNMATCHED = "Unmatched"
        MATCHED = "Matched"
        REJECTED = "Rejected"
        IGNORED = "Ignored"  # a debit: money going out pays no invoice

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="transactions")
    # The bank's entry reference (AcctSvcrRef, MT940 bank reference) or a digest of the booking and
    # its sequence among identical bookings of the same day: a re-import finds the same key, two real
    # identical bookings get two.
    dedupe_key = models.CharField(max_length=128)
    booking_date = models.DateField()
    value_date = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)  # credits positive, debits negative
    currency = models.CharField(max_length=3)
    counterparty_name = models.CharField(max_length=255, blank=True, default="")
    counterparty_iban = models.CharField(max_length=34, blank=True, default="")
    remittance = models.TextField(blank=True, default="")
    bank_reference = models.CharField(max_length=255, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNMATCHED)
    confidence = models.PositiveSmallIntegerField(default=0)
    suggestions = models.JSONField(default=list, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    # Looked at by the matching run (a retried run continues with the others).
    evaluated = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        ordering = ["-booking_date", "-id"]
        indexes = [
            models.Index(fields=["organization", "status", "-booking_date"], name="bank_tx_org_status"),
            models.Index(fields=["organization", "statement"], name="bank_tx_org_statement"),
            models.Index(fields=["organization", "counterparty_iban"], name="bank_tx_org_iban"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "dedupe_key"], name="bank_tx_stored_once"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount} {self.counterparty_name}"


class BankMatch(OrgOwned):
    """The part of a bank transaction applied to an invoice, and the payment it logged."""

    transaction = models.ForeignKey(BankTransaction, on_delete=models.PROTECT, related_name="matches")
    invoice = models.ForeignKey("invoicing.Invoice", on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey("billing.Payment", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    automatic = models.BooleanField(default=False)
    undone_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(OrgOwned.Meta):
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="bank_match_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} of {self.transaction_id} to invoice {self.invoice_id}"
