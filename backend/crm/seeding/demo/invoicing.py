"""Demo quotes and invoices: quotes on open deals, invoices (issued, some paid) for the demo orders,
and the retainer's invoice for the current month."""

from __future__ import annotations

import datetime

from django.utils import timezone

from crm.billing.models import Contract, Order
from crm.billing.services.common import won_stage_names
from crm.core.errors import ApplicationError
from crm.invoicing import locks
from crm.invoicing.models import Invoice, Quote
from crm.invoicing.services.invoices import (
    contract_periods,
    invoice_create_from_order_nested,
    invoice_for_contract_period,
    issue_locked,
)
from crm.invoicing.services.payments import invoice_log_payment_nested
from crm.seeding.demo import DemoContext


def _seed_quotes(ctx: DemoContext) -> None:
    from crm.invoicing.services.quotes import quote_create_nested

    won = won_stage_names()
    open_deals = [o for o in ctx.objects.get("opportunities", []) if o.stage not in won and o.billed_at is None]
    for opportunity in open_deals[:4]:
        if Quote.objects.filter(opportunity=opportunity).exists() or not opportunity.line_items.exists():
            continue
        quote_create_nested(
            opportunity_id=opportunity.pk,
            data={
                "name": f"{opportunity.name} - proposal",
                "expiration_date": timezone.localdate() + datetime.timedelta(days=30),
                "terms": "Prices exclude VAT. 50% on signature, 50% on delivery.",
            },
            actor=ctx.actor,
        )
        ctx.count("quotes")


def _seed_invoices(ctx: DemoContext) -> None:
    for index, order in enumerate(Order.objects.exclude(status=Order.Status.CANCELLED).order_by("id")[:4]):
        if Invoice.objects.filter(order=order).exists():
            continue
        try:
            draft = invoice_create_from_order_nested(order_id=order.pk, actor=ctx.actor)
        except ApplicationError:
            continue
        ctx.count("invoices")
        if index == 3:
            continue  # one stays a draft
        invoice = issue_locked(invoice=locks.invoice_for_update(invoice_id=draft.pk), actor=ctx.actor)
        if index == 0:
            invoice_log_payment_nested(
                invoice_id=invoice.pk,
                actor=ctx.actor,
                data={"payment_date": timezone.localdate(), "payment_method": "Bank Transfer"},
            )


def _seed_retainer_invoice(ctx: DemoContext) -> None:
    today = timezone.localdate()
    for contract in Contract.objects.filter(status=Contract.Status.ACTIVE, start_date__lte=today, end_date__gte=today)[
        :1
    ]:
        periods = contract_periods(contract, through=today)
        if not periods:
            continue
        start = periods[-1]  # the billing cycle that contains today
        _, created = invoice_for_contract_period(contract=contract, period_start=start, actor=ctx.actor, issue=True)
        if created:
            ctx.count("invoices")


def seed(ctx: DemoContext) -> None:
    _seed_quotes(ctx)
    _seed_invoices(ctx)
    _seed_retainer_invoice(ctx)
