"""What the CRM keeps of Stripe: the Checkout sessions it opened for invoices, and every webhook event
it has taken in (by Stripe's event id, so that a delivery repeated or replayed is applied once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.core.owned import OrgOwned


class PaymentLink(OrgOwned):
    """A Stripe Checkout session for the open balance of one invoice (amount in minor units)."""

    class Status(models.TextChoices):
        OPEN = "open"
        PAID = "paid"
        EXPIRED = "expired"
        REFUNDED = "refunded"
        PARTIALLY_REFUNDED = "partially_refunded"
        FAILED = "failed"

    invoice = models.ForeignKey("invoicing.Invoice", on_delete=models.CASCADE, related_name="+")
    session_id = models.CharField(max_length=255, unique=True)
    url = models.URLField(max_length=2000)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    idempotency_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)
    payment_intent = models.CharField(max_length=255, blank=True, default="", db_index=True)
    # The Stripe payment logged on the invoice, and what Stripe refunded of it (a refund may arrive
    # before the completed checkout: it is kept here and applied when the payment is logged).
    payment = models.ForeignKey("billing.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    paid_minor = models.BigIntegerField(default=0)
    refunded_minor = models.BigIntegerField(default=0)
    problem = models.TextField(blank=True, default="")
    # Set while one delivery applies an event to this link; another waits for Stripe's retry.
    busy_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "invoice", "-created_at"], name="paylink_org_invoice")]

    def __str__(self) -> str:
        return f"{self.session_id} ({self.status})"


class WebhookEvent(models.Model):
    """One Stripe event taken in. Installation-wide: Stripe sends events for the whole account, and
    which organization one concerns is known only from its object (a link's session id)."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField(default=False)
    stripe_created = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["processed_at", "received_at"], name="stripe_event_pending")]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
