"""The batch form of the invoice payment service (a bank statement's matches): the same rules and
outcome as payments logged one by one, with a number of queries that does not grow with the batch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.billing.models import Order, Payment
from crm.billing.selectors import order_amounts
from crm.billing.tests.factories import OrderFactory
from crm.core.errors import ApplicationError

from ..models import Invoice
from ..services.invoices import invoice_create_from_order, invoice_issue
from ..services.payments import InvoicePayment, invoice_log_payment, invoice_log_payments_nested


def issued(user, net: str) -> Invoice:
    """An issued invoice of a new order of one line (20 % VAT: gross = net * 1.2)."""
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal(net))])
    draft = invoice_create_from_order(order_id=order.pk, actor=user)
    return invoice_issue(invoice_id=draft.pk, actor=user)


def paid(amount: str | None) -> dict:
    return {
        "amount": None if amount is None else Decimal(amount),
        "payment_date": timezone.localdate(),
        "payment_method": Payment.Method.BANK_TRANSFER,
    }


def test_a_batch_pays_like_payments_logged_one_by_one(user, in_org):
    batch_a, batch_b = issued(user, "1000.00"), issued(user, "500.00")
    single_a, single_b = issued(user, "1000.00"), issued(user, "500.00")

    # two parts of one invoice and the whole of another in one batch ...
    with transaction.atomic():
        allocations = invoice_log_payments_nested(
            items=[
                InvoicePayment(batch_a.pk, paid("700.00")),
                InvoicePayment(batch_b.pk, paid(None)),
                InvoicePayment(batch_a.pk, paid("500.00")),
            ],
            actor=user,
        )
    # ... and the same payments one by one
    invoice_log_payment(invoice_id=single_a.pk, data=paid("700.00"), actor=user)
    invoice_log_payment(invoice_id=single_b.pk, data=paid(None), actor=user)
    invoice_log_payment(invoice_id=single_a.pk, data=paid("500.00"), actor=user)

    assert [a.amount for a in allocations] == [Decimal("700.00"), Decimal("600.00"), Decimal("500.00")]
    for batch, single in ((batch_a, single_a), (batch_b, single_b)):
        b, s = Invoice.objects.get(pk=batch.pk), Invoice.objects.get(pk=single.pk)
        assert (b.status, b.amount_paid) == (s.status, s.amount_paid) == (Invoice.Status.PAID, b.gross_total)
        payments = Payment.objects.filter(order_id=b.order_id).order_by("id")
        singles = Payment.objects.filter(order_id=s.order_id).order_by("id")
        # the VAT part of each payment, their sum the invoice's VAT; the order paid in full, not overpaid
        assert [(p.amount, p.vat_amount, p.is_overpayment) for p in payments] == [
            (p.amount, p.vat_amount, p.is_overpayment) for p in singles
        ]
        assert sum(p.vat_amount for p in payments) == b.tax_total
        assert not any(p.is_overpayment for p in payments)
        assert Order.objects.get(pk=b.order_id).status == Order.Status.PAID_IN_FULL
        assert order_amounts(order_id=b.order_id) == order_amounts(order_id=s.order_id)


def test_a_batch_beyond_an_open_balance_changes_nothing(user, in_org):
    first, second = issued(user, "1000.00"), issued(user, "500.00")
    with pytest.raises(ApplicationError) as refused, transaction.atomic():
        invoice_log_payments_nested(
            items=[InvoicePayment(second.pk, paid("600.00")), InvoicePayment(first.pk, paid("1200.01"))], actor=user
        )
    assert refused.value.code == "payment_exceeds_balance"
    assert "amount" in refused.value.fields
    assert not Payment.objects.filter(order_id__in=[first.order_id, second.order_id]).exists()
    assert Invoice.objects.get(pk=second.pk).status == Invoice.Status.ISSUED


def test_the_queries_of_a_batch_do_not_grow_with_its_size(user, in_org):
    def run(count: int) -> int:
        invoices = [issued(user, "100.00") for _ in range(count)]
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            invoice_log_payments_nested(items=[InvoicePayment(i.pk, paid(None)) for i in invoices], actor=user)
        assert all(Invoice.objects.get(pk=i.pk).status == Invoice.Status.PAID for i in invoices)
        return len(queries)

    assert run(2) == run(8)
