"""Quotes, invoices, credit notes, payment allocations and document templates (seeds 000/002/003).

A quote is an offer built from an opportunity's products; an invoice bills an order, a contract's
billing cycle or anything entered by hand. Totals are stored on the document and recalculated by
the services whenever a line changes (an issued invoice never changes again), so lists read them
from the row.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from crm.records.models import OrgOwned, Record

DEFAULT_VAT_RATE = Decimal("20.00")


class TaxCategory(models.TextChoices):
    """EN 16931 VAT category codes (UNTDID 5305)."""

    STANDARD = "S", "Standard rate"
    ZERO = "Z", "Zero rated"
    EXEMPT = "E", "Exempt from VAT"
    REVERSE_CHARGE = "AE", "Reverse charge"
    INTRA_COMMUNITY = "K", "Intra-community supply"
    OUTSIDE_SCOPE = "O", "Outside the scope of VAT"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    BULGARIAN = "bg", "Bulgarian"


class Totals(models.Model):
    """Net, tax and gross total, stored on a document and kept by its services."""

    net_total = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"), editable=False)
    tax_total = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"), editable=False)
    gross_total = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"), editable=False)

    class Meta:
        abstract = True


class Quote(Totals, Record):
    object_name = "quote"
    name_fields = ("quote_number", "name")

    class Status(models.TextChoices):
        DRAFT = "Draft"
        NEEDS_REVIEW = "Needs Review"
        IN_REVIEW = "In Review"
        APPROVED = "Approved"
        REJECTED = "Rejected"
        PRESENTED = "Presented"
        ACCEPTED = "Accepted"
        DENIED = "Denied"

    quote_number = models.CharField(max_length=20, editable=False)
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    expiration_date = models.DateField(null=True, blank=True)
    opportunity = models.ForeignKey("sales.Opportunity", on_delete=models.PROTECT, related_name="quotes")
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="quotes", editable=False)
    contact = models.ForeignKey(
        "accounts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="quotes"
    )
    billing_address = models.TextField(blank=True, default="")
    shipping_address = models.TextField(blank=True, default="")
    terms = models.TextField(blank=True, default="")
    language = models.CharField(max_length=8, choices=Language.choices, blank=True, default="")
    # The one quote whose lines mirror the opportunity's (both ways) while it is not accepted.
    is_synced = models.BooleanField(default=False, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    order = models.ForeignKey(
        "billing.Order", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta(Record.Meta):
        indexes = [
            # The list's order (newest first, id breaking ties), with and without a status filter.
            models.Index(fields=["organization", "-created_at", "-id"], name="quote_org_created_id"),
            models.Index(fields=["organization", "opportunity"], name="quote_org_opportunity"),
            models.Index(fields=["organization", "status", "-created_at", "-id"], name="quote_org_status_id"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "quote_number"], name="quote_number_unique_per_org"),
            models.UniqueConstraint(
                fields=["opportunity"], condition=Q(is_synced=True), name="quote_one_synced_per_opportunity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quote_number} {self.name}"


class DocumentLine(OrgOwned):
    """A priced line with its discount and VAT, shared by quote and invoice lines."""

    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=255, blank=True, default="")
    quantity = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    unit_price = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    discount_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    vat_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_VAT_RATE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    tax_category = models.CharField(max_length=2, choices=TaxCategory.choices, default=TaxCategory.STANDARD)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class QuoteLineItem(DocumentLine):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="line_items")
    # The opportunity line a synced quote's line mirrors.
    opportunity_line = models.ForeignKey(
        "sales.OpportunityLineItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["quote", "id"], name="quote_line_quote")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quote_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quote_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.unit_price}"


class Invoice(Totals, Record):
    object_name = "invoice"
    name_fields = ("number", "kind")

    class Kind(models.TextChoices):
        INVOICE = "Invoice"
        CREDIT_NOTE = "Credit Note"

    class Status(models.TextChoices):
        DRAFT = "Draft"
        ISSUED = "Issued"
        PARTIALLY_PAID = "Partially Paid"
        PAID = "Paid"
        OVERDUE = "Overdue"
        CANCELLED = "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INVOICE, editable=False)
    # Empty while a draft: the number is assigned when the invoice is issued (gapless per series and year).
    number = models.CharField(max_length=32, blank=True, default="", editable=False)
    series = models.CharField(max_length=10, default="INV")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="invoices")
    contact = models.ForeignKey(
        "accounts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    order = models.ForeignKey(
        "billing.Order", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="invoices"
    )
    contract = models.ForeignKey(
        "billing.Contract", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="invoices"
    )
    credited_invoice = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="credit_notes"
    )
    service_period_start = models.DateField(null=True, blank=True)
    service_period_end = models.DateField(null=True, blank=True)
    issue_date = models.DateField(null=True, blank=True, editable=False)
    payment_terms_days = models.PositiveSmallIntegerField(default=14, validators=[MaxValueValidator(365)])
    due_date = models.DateField(null=True, blank=True, editable=False)
    currency = models.CharField(max_length=3, default="EUR")
    language = models.CharField(max_length=8, choices=Language.choices, blank=True, default="")
    billing_address = models.TextField(blank=True, default="")
    notes = models.TextField(blank=True, default="")
    amount_paid = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"), editable=False)
    amount_credited = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"), editable=False)

    class Meta(Record.Meta):
        indexes = [
            # The list's order (newest first, id breaking ties), with and without a status filter.
            models.Index(fields=["organization", "-created_at", "-id"], name="invoice_org_created_id"),
            models.Index(fields=["organization", "status", "-created_at", "-id"], name="invoice_org_status_id"),
            models.Index(fields=["organization", "account", "-created_at"], name="invoice_org_account"),
            models.Index(fields=["organization", "order"], name="invoice_org_order"),
            models.Index(fields=["organization", "contract", "service_period_start"], name="invoice_org_contract"),
            models.Index(fields=["organization", "due_date"], name="invoice_org_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], condition=~Q(number=""), name="invoice_number_unique_per_org"
            ),
            # Retainer billing: one invoice per contract and service period, whoever runs it and how often.
            models.UniqueConstraint(
                fields=["contract", "service_period_start"],
                condition=Q(contract__isnull=False, kind="Invoice", service_period_start__isnull=False),
                name="invoice_one_per_contract_period",
            ),
            models.CheckConstraint(
                condition=Q(service_period_start__isnull=True)
                | Q(service_period_end__isnull=True)
                | Q(service_period_end__gte=F("service_period_start")),
                name="invoice_service_period_valid",
            ),
            models.CheckConstraint(condition=~Q(status="Draft") | Q(number=""), name="invoice_draft_has_no_number"),
        ]

    def __str__(self) -> str:
        return self.number or f"Draft {self.kind.lower()} #{self.pk}"

    @property
    def open_balance(self) -> Decimal:
        return self.gross_total - self.amount_paid - self.amount_credited


class InvoiceLineItem(DocumentLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="line_items")
    order_line = models.ForeignKey(
        "billing.OrderLineItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # On a credit note: the invoice line it credits.
    credited_line = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["invoice", "id"], name="invoice_line_invoice")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="invoice_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="invoice_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.unit_price}"


class InvoiceCounter(OrgOwned):
    """The last invoice number handed out per organization, series and year.

    Locked (``locks.counter_for_update``) inside the issuing transaction: a number is used exactly
    once, and a rolled-back issue gives it back, so the series has no gaps.
    """

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "series", "year"], name="invoice_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}#{self.last_value}"


class PaymentAllocation(OrgOwned):
    """The part of a payment that settles an invoice."""

    payment = models.ForeignKey("billing.Payment", on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="allocation_unique_payment_invoice"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} of payment {self.payment_id} to invoice {self.invoice_id}"


class DocumentTemplate(OrgOwned):
    """The organization's HTML + CSS for one document type; each save is a new version."""

    class DocType(models.TextChoices):
        QUOTE = "quote", "Quote"
        INVOICE = "invoice", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit Note"
        PAYMENT_REMINDER = "payment_reminder", "Payment Reminder"

    doc_type = models.CharField(max_length=20, choices=DocType.choices)
    name = models.CharField(max_length=100)
    html = models.TextField()
    css = models.TextField(blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["organization", "doc_type"], name="template_one_per_type")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class DocumentTemplateVersion(OrgOwned):
    template = models.ForeignKey(DocumentTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    html = models.TextField()
    css = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta(OrgOwned.Meta):
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"


class StoredDocument(OrgOwned):
    """A rendered PDF kept as it was: an issued invoice's document, downloaded byte for byte again."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="document")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    template_version = models.ForeignKey(DocumentTemplateVersion, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.sha256[:12]}"


class Delivery(OrgOwned):
    """A document sent by mail, keyed by the caller's idempotency key: a repeated call sends nothing."""

    object_type = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=100)
    recipient = models.EmailField(max_length=254)
    cc = models.TextField(blank=True, default="")  # the copies' addresses, comma-separated
    subject = models.CharField(max_length=255)
    template_version = models.ForeignKey(DocumentTemplateVersion, on_delete=models.PROTECT, null=True, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"], name="delivery_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} to {self.recipient}"
