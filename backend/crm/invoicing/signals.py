"""A synced quote mirrors its opportunity's lines: every change of an opportunity line, however it
is made, is applied to the synced quote's line in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from crm.billing.models import Payment
from crm.billing.signals import payment_changed
from crm.sales.models import OpportunityLineItem

from . import locks
from .models import PaymentAllocation
from .services.payments import invoice_refresh_paid
from .services.quotes import quote_mirror_line_changed, quote_mirror_line_deleted


@receiver(post_save, sender=OpportunityLineItem, dispatch_uid="invoicing.quote_mirror_save")
def _line_saved(sender: type[OpportunityLineItem], instance: OpportunityLineItem, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    quote_mirror_line_changed(line=instance)


@receiver(pre_delete, sender=OpportunityLineItem, dispatch_uid="invoicing.quote_mirror_delete")
def _line_deleted(sender: type[OpportunityLineItem], instance: OpportunityLineItem, **kwargs: Any) -> None:
    quote_mirror_line_deleted(line=instance)


@receiver(payment_changed, sender=Payment, dispatch_uid="invoicing.payment_changed")
def _payment_changed(sender: type[Payment], payment: Payment, actor: Any, **kwargs: Any) -> None:
    """A payment edited or voided: the invoices it is allocated to recount what is paid (a void
    payment counts nothing), in the payment's transaction (lock order: the payment, then the invoice)."""
    invoice_ids = sorted(
        set(PaymentAllocation.objects.filter(payment_id=payment.pk).values_list("invoice_id", flat=True))
    )
    for invoice_id in invoice_ids:
        invoice_refresh_paid(invoice=locks.invoice_for_update(invoice_id=invoice_id), actor=actor)
