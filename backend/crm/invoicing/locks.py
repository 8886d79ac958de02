"""Row locks of the invoicing domain, taken only here.

Lock order, always in this direction:
1. the opportunity (accepting a quote, a synced quote's line change);
2. the order or contract an invoice bills, then a payment of it;
3. the quote or the invoice;
4. the invoice number counter (last, held until the issuing transaction commits).
"""

from __future__ import annotations

from crm.billing.models import Contract, Order, Payment
from crm.sales.models import Opportunity

from .models import DocumentTemplate, Invoice, InvoiceCounter, InvoiceLineItem, Quote, QuoteLineItem


def opportunity_for_update(*, opportunity_id: int) -> Opportunity:
    return Opportunity.objects.select_for_update(of=("self",)).select_related("account").get(pk=opportunity_id)


def quote_for_update(*, quote_id: int) -> Quote:
    return Quote.objects.select_for_update().get(pk=quote_id)


def invoice_for_update(*, invoice_id: int) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice_id)


def invoices_for_update(*, invoice_ids: list[int]) -> list[Invoice]:
    """Several invoices, locked in id order (a batch of payments)."""
    return list(Invoice.objects.select_for_update().filter(pk__in=invoice_ids).order_by("id")) if invoice_ids else []


def order_for_update(*, order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def contract_for_update(*, contract_id: int) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract_id)


def parents_for_update(*, order_ids: list[int], contract_ids: list[int]) -> None:
    """The orders and contracts of a batch of invoices, locked in id order (before the invoices)."""
    if order_ids:
        list(Order.objects.select_for_update().filter(pk__in=order_ids).order_by("id").values_list("pk"))
    if contract_ids:
        list(Contract.objects.select_for_update().filter(pk__in=contract_ids).order_by("id").values_list("pk"))


def payment_for_update(*, payment_id: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_id)


def counter_for_update(*, series: str, year: int) -> InvoiceCounter:
    """The counter row of ``series`` and ``year``, created race-free on first use, then locked."""
    InvoiceCounter.objects.bulk_create([InvoiceCounter(series=series, year=year)], ignore_conflicts=True)
    return InvoiceCounter.objects.select_for_update().get(series=series, year=year)


def quote_line_for_update(*, quote: Quote, line_id: int) -> QuoteLineItem:
    """After the quote (3.): one of its lines."""
    return QuoteLineItem.objects.select_for_update().get(pk=line_id, quote=quote)


def invoice_line_for_update(*, invoice: Invoice, line_id: int) -> InvoiceLineItem:
    """After the invoice (3.): one of its lines."""
    return InvoiceLineItem.objects.select_for_update().get(pk=line_id, invoice=invoice)


def template_for_update(*, template_id: int) -> DocumentTemplate:
    """A document template, on its own (saving and reverting take no other lock)."""
    return DocumentTemplate.objects.select_for_update().get(pk=template_id)
