"""Orders, contracts and payments (seed 003 §1.3.9, §1.3.10, §1.3.11 and the full ERD).

An order is the frozen record of a won one-time sale; a contract is the agreement behind a
retainer. Payments belong to exactly one of them. Totals and amounts paid are calculated from
line items and payments, never stored.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from crm.records.models import OrgOwned, Record


class Order(Record):
    object_name = "order"
    name_fields = ("order_number",)

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "Awaiting Payment"
        PARTIALLY_PAID = "Partially Paid"
        PAID_IN_FULL = "Paid in Full"
        FULFILLED = "Fulfilled"
        CANCELLED = "Cancelled"

    order_number = models.CharField(max_length=20, editable=False)
    order_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="orders")
    opportunity = models.ForeignKey(
        "sales.Opportunity", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    description = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["organization", "status", "-order_date"], name="order_org_status"),
            models.Index(fields=["organization", "account", "-order_date"], name="order_org_account"),
            models.Index(fields=["organization", "-order_date", "id"], name="order_org_date"),
            models.Index(fields=["organization", "owner", "status"], name="order_org_owner"),
            models.Index(fields=["organization", "-created_at"], name="order_org_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "order_number"], name="order_number_unique_per_org"),
            models.UniqueConstraint(
                fields=["opportunity"], condition=Q(opportunity__isnull=False), name="order_one_per_opportunity"
            ),
        ]

    def __str__(self) -> str:
        return self.order_number


class ImmutableLineMixin:
    """Line items of a confirmed sale or agreement are written once and never changed."""

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:  # type: ignore[attr-defined]
            raise RuntimeError(f"{type(self).__name__} rows are immutable.")
        super().save(*args, **kwargs)  # type: ignore[misc]


class OrderLineItem(ImmutableLineMixin, OrgOwned):
    """What was sold, copied from the opportunity when the order was generated."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="line_items")
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    price_at_purchase = models.DecimalField(max_digits=14, decimal_places=2)
    # The VAT the line was sold with (the accepted quote's line; the standard rate without a quote):
    # the order's invoices bill each line with it. An EN 16931 category code (UNTDID 5305).
    vat_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    tax_category = models.CharField(max_length=2, default="S")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["order", "id"], name="order_line_order")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(price_at_purchase__gte=0), name="order_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id} @ {self.price_at_purchase}"


class Contract(Record):
    object_name = "contract"
    name_fields = ("contract_number",)

    class Status(models.TextChoices):
        ACTIVE = "Active"
        EXPIRED = "Expired"
        TERMINATED = "Terminated"
        CANCELLED = "Cancelled"

    class BillingCycle(models.TextChoices):
        MONTHLY = "Monthly"
        ANNUALLY = "Annually"

    contract_number = models.CharField(max_length=20, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    start_date = models.DateField()
    end_date = models.DateField()
    billing_cycle = models.CharField(max_length=20, choices=BillingCycle.choices, default=BillingCycle.MONTHLY)
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="contracts")
    opportunity = models.ForeignKey(
        "sales.Opportunity", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts"
    )
    renewed_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="renewals"
    )
    description = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["organization", "status", "-start_date"], name="contract_org_status"),
            models.Index(fields=["organization", "account", "-start_date"], name="contract_org_account"),
            models.Index(fields=["organization", "end_date"], name="contract_org_end"),
            models.Index(fields=["organization", "-created_at"], name="contract_org_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "contract_number"], name="contract_number_unique_per_org"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="contract_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.contract_number


class ContractLineItem(ImmutableLineMixin, OrgOwned):
    """A recurring service on a contract and its price per billing cycle."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="line_items")
    product = models.ForeignKey("sales.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    price_per_cycle = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["contract", "id"], name="contract_line_contract")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="contract_line_quantity_positive"),
            models.CheckConstraint(condition=Q(price_per_cycle__gte=0), name="contract_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id} @ {self.price_per_cycle}"


class Payment(Record):
    object_name = "payment"

    class Method(models.TextChoices):
        STRIPE = "Stripe"
        PAYPAL = "PayPal"
        CASH = "Cash"
        BANK_TRANSFER = "Bank Transfer"

    class Status(models.TextChoices):
        COMPLETED = "Completed"
        PENDING = "Pending"
        FAILED = "Failed"
        VOID = "Void"

    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    payment_date = models.DateField()
    payment_method = models.CharField(max_length=20, choices=Method.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMPLETED)
    transaction_id = models.CharField(max_length=255, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    # Set when the user explicitly records money beyond the open balance as a credit.
    is_overpayment = models.BooleanField(default=False)
    # The part of the amount that pays VAT billed on one of the order's invoices (the invoice's own
    # share of VAT in what it was paid). An order's figures are net of VAT, so the order counts the
    # payment's amount less this part (crm.billing.services.payments explains the rule).
    vat_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"), editable=False)
    service_period_start = models.DateField(null=True, blank=True)
    service_period_end = models.DateField(null=True, blank=True)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="payments"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="payments"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organization", "order", "status"], name="payment_org_order"),
            models.Index(fields=["organization", "contract", "status"], name="payment_org_contract"),
            # The retainer report reads the year's payments from this index alone (no table rows):
            # the report's columns are key columns rather than INCLUDE ones, so SQLite uses it too.
            models.Index(
                fields=["organization", "status", "service_period_start", "contract", "order", "amount"],
                name="payment_org_retainer",
            ),
            models.Index(fields=["organization", "-payment_date", "id"], name="payment_org_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(vat_amount__gte=0) & Q(vat_amount__lte=F("amount")), name="payment_vat_within_amount"
            ),
            models.CheckConstraint(
                condition=(Q(order__isnull=False) & Q(contract__isnull=True))
                | (Q(order__isnull=True) & Q(contract__isnull=False)),
                name="payment_order_xor_contract",
            ),
            models.CheckConstraint(
                condition=(Q(service_period_start__isnull=True) & Q(service_period_end__isnull=True))
                | (
                    Q(service_period_start__isnull=False)
                    & Q(service_period_end__isnull=False)
                    & Q(service_period_end__gte=F("service_period_start"))
                ),
                name="payment_service_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.payment_date}"
