from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.accounts.tests.factories import ContactFactory
from crm.billing.tests.factories import OrderFactory
from crm.invoicing.models import Invoice
from crm.invoicing.services.invoices import invoice_create_from_order, invoice_issue


def overdue_invoice(
    user, *, days: int, amount: Decimal = Decimal("1000.00"), email: str = "ap@client.example", account=None
) -> Invoice:
    """An issued invoice of an order (amount net, 20 % VAT) whose due date was ``days`` days ago.

    Call inside the organization's scope."""
    extra = {"account": account} if account is not None else {}
    order = OrderFactory(owner=user, lines=[(Decimal("1"), amount)], **extra)
    if email:
        ContactFactory(owner=user, account=order.account, email=email)
    draft = invoice_create_from_order(order_id=order.pk, actor=user)
    invoice = invoice_issue(invoice_id=draft.pk, actor=user)
    due = timezone.localdate() - datetime.timedelta(days=days)
    Invoice.all_orgs.filter(pk=invoice.pk).update(due_date=due, issue_date=due - datetime.timedelta(days=14))
    return Invoice.objects.get(pk=invoice.pk)
