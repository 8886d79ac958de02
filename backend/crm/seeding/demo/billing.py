"""Demo billing: orders for won demo deals with some payments, and a retainer contract paid monthly."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.billing import services
from crm.billing.models import Contract, ContractLineItem, Order, Payment
from crm.billing.selectors import order_amounts
from crm.billing.services.common import CONTRACT_NUMBERS, won_stage_names
from crm.core.errors import ApplicationError
from crm.records.sequences import number_next
from crm.records.services import record_create
from crm.sales.models import Product
from crm.seeding.demo import DemoContext

METHODS = [Payment.Method.BANK_TRANSFER, Payment.Method.STRIPE, Payment.Method.PAYPAL]


def _seed_orders(ctx: DemoContext) -> None:
    won = won_stage_names()
    for opportunity in ctx.objects.get("opportunities", []):
        if opportunity.stage not in won:
            continue
        try:
            order = services.order_create_from_opportunity(opportunity_id=opportunity.pk, actor=ctx.actor)
        except ApplicationError:
            continue  # no line items, or already billed
        ctx.count("orders")
        total, _ = order_amounts(order_id=order.pk)
        share = ctx.rng.choice([Decimal("0"), Decimal("0.5"), Decimal("1")])
        if share and total > 0:
            amount = (total * share).quantize(Decimal("0.01"))
            services.payment_add(
                order_id=order.pk,
                actor=ctx.actor,
                data={
                    "amount": amount,
                    "payment_date": timezone.localdate(),
                    "payment_method": ctx.rng.choice(METHODS),
                    "transaction_id": f"DEMO-{order.order_number}",
                },
            )
            ctx.count("payments")


def _seed_retainer(ctx: DemoContext) -> None:
    accounts = ctx.objects.get("accounts", [])
    if not accounts:
        return
    account = accounts[0]
    product = Product.objects.filter(is_retainer_product=True).first() or record_create(
        model=Product,
        actor=ctx.actor,
        data={"name": "Monthly Website Care", "standard_list_price": Decimal("500.00"), "is_retainer_product": True},
    )
    today = timezone.localdate()
    previous = today.year - 1
    contract = record_create(
        model=Contract,
        actor=ctx.actor,
        data={
            "status": Contract.Status.ACTIVE,
            "start_date": datetime.date(previous, 1, 1),
            "end_date": datetime.date(today.year, 12, 31),
            "billing_cycle": Contract.BillingCycle.MONTHLY,
            "account": account,
            "description": "Hosting, updates and monthly SEO report.",
        },
        contract_number=number_next(CONTRACT_NUMBERS),
    )
    ContractLineItem.objects.create(
        contract=contract,
        product=product,
        quantity=Decimal("1"),
        price_per_cycle=product.standard_list_price,
    )
    ctx.count("contracts")
    months = [(previous, m) for m in range(1, 13)] + [(today.year, m) for m in range(1, today.month + 1)]
    for year, month in months:
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        services.payment_add(
            contract_id=contract.pk,
            actor=ctx.actor,
            data={
                "amount": product.standard_list_price,
                "payment_date": min(start + datetime.timedelta(days=4), today),
                "payment_method": Payment.Method.BANK_TRANSFER,
                "service_period_start": start,
                "service_period_end": end,
            },
        )
        ctx.count("payments")


def seed(ctx: DemoContext) -> None:
    if Order.objects.exists() or Contract.objects.exists():
        return
    _seed_orders(ctx)
    _seed_retainer(ctx)
