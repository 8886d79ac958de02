"""Benchmark-sized orders, contracts and payments, generated from the won opportunities.

Two thirds of the payments settle orders (each order's status agrees with its Completed
payments); a third pay retainer contracts month by month, each with its service period, over
the last two years.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from crm.billing.models import Contract, ContractLineItem, Order, OrderLineItem, Payment
from crm.billing.services.common import CONTRACT_NUMBERS, ORDER_NUMBERS
from crm.records.sequences import sequence_reserve_through
from crm.sales.models import Opportunity
from crm.seeding.scale import ScaleContext, Timer, bulk_load, ids_of

CENT = Decimal("0.01")
METHODS = [m.value for m in Payment.Method]
# order status -> share of orders
ORDER_MIX = [
    ("Awaiting Payment", 0.15),
    ("Partially Paid", 0.20),
    ("Paid in Full", 0.52),
    ("Fulfilled", 0.10),
    ("Cancelled", 0.03),
]


def _pick(rng, mix: list[tuple[str, float]]) -> str:
    roll = rng.random()
    for name, share in mix:
        roll -= share
        if roll <= 0:
            return name
    return mix[-1][0]


def _split(rng, total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` positive amounts that add up exactly."""
    cents = int(total / CENT)
    parts = max(1, min(parts, cents))
    cuts = sorted(rng.sample(range(1, cents), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, cents]
    return [Decimal(bounds[i + 1] - bounds[i]) * CENT for i in range(parts)]


def _month_add(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def generate(ctx: ScaleContext) -> None:
    rng = ctx.rng
    today = ctx.now.date()
    won: list[tuple[int, int, datetime.date, list[tuple[int, Decimal, Decimal]]]] = ctx.data.get("won", [])
    if not won:
        return
    n_orders = min(ctx.size(100_000), len(won))
    n_order_payments = ctx.size(200_000)
    n_contract_payments = ctx.size(100_000)
    retainers = [(pk, price) for pk, price, retainer in ctx.data["products"] if retainer]

    with Timer(ctx, f"{n_orders} orders"):
        statuses = [_pick(rng, ORDER_MIX) for _ in range(n_orders)]
        rows = (
            {
                **ctx.record(),
                "order_number": ORDER_NUMBERS.format(i + 1),
                "order_date": won[i][2],
                "status": statuses[i],
                "account_id": won[i][1],
                "opportunity_id": won[i][0],
            }
            for i in range(n_orders)
        )
        bulk_load(Order, rows)
        _mark_billed(ctx, Order, "order_number")
    order_ids = ids_of(Order, ctx.organization_id)
    sequence_reserve_through(key=ORDER_NUMBERS.key, value=n_orders)
    # (order id, opportunity id, account id, order date, status, lines): invoices and quotes copy them.
    ctx.data["orders"] = [
        (order_ids[i], won[i][0], won[i][1], won[i][2], statuses[i], won[i][3]) for i in range(n_orders)
    ]

    with Timer(ctx, "order line items"):
        rows = (
            {
                "organization_id": ctx.organization_id,
                "order_id": order_ids[i],
                "product_id": product,
                "quantity": quantity,
                "price_at_purchase": price,
            }
            for i in range(n_orders)
            for product, quantity, price in won[i][3]
        )
        bulk_load(OrderLineItem, rows)

    # Paid orders get 1-4 payments; the mean is tuned so the total lands near n_order_payments.
    paying = sum(1 for s in statuses if s in ("Partially Paid", "Paid in Full", "Fulfilled"))
    mean = max(1.0, n_order_payments / max(1, paying))
    with Timer(ctx, "order payments"):

        def order_payments():
            for i in range(n_orders):
                status = statuses[i]
                order_date = won[i][2]
                total = sum((q * p for _, q, p in won[i][3]), Decimal("0"))
                if status in ("Paid in Full", "Fulfilled"):
                    amounts = _split(rng, total, max(1, round(rng.uniform(1, 2 * mean - 1))))
                elif status == "Partially Paid":
                    part = (total * Decimal(rng.randint(10, 90)) / 100).quantize(CENT)
                    amounts = _split(rng, max(part, CENT), max(1, round(rng.uniform(1, 2 * mean - 1))))
                else:
                    amounts = []
                span = max(0, (today - order_date).days)
                for amount in amounts:
                    paid = order_date + datetime.timedelta(days=rng.randint(0, min(span, 60)))
                    yield {
                        **ctx.record(),
                        "amount": amount,
                        "payment_date": paid,
                        "payment_method": rng.choice(METHODS),
                        "transaction_id": f"txn-o{i}-{paid.toordinal()}",
                        "order_id": order_ids[i],
                    }
                if status == "Awaiting Payment" and rng.random() < 0.1:
                    yield {
                        **ctx.record(),
                        "amount": total,
                        "payment_date": order_date,
                        "payment_method": "Stripe",
                        "status": "Failed",
                        "order_id": order_ids[i],
                    }

        bulk_load(Payment, order_payments())

    # Contracts: monthly retainers starting over the last two years, until the payments add up.
    contracts: list[tuple[int, datetime.date, datetime.date, Decimal, int]] = []
    lines: list[tuple[int, int, Decimal, Decimal]] = []
    planned = 0
    first_month = today.replace(day=1)
    spare = won[n_orders:]
    while planned < n_contract_payments:
        index = len(contracts)
        start = _month_add(first_month, -rng.randint(0, 23))
        term = rng.choice((12, 12, 24))
        end = _month_add(start, term) - datetime.timedelta(days=1)
        chosen = rng.sample(retainers, rng.randint(1, 2))
        per_cycle = Decimal("0")
        for product, price in chosen:
            quantity = Decimal(rng.randint(1, 3))
            per_cycle += quantity * price
            lines.append((index, product, quantity, price))
        elapsed = (today.year - start.year) * 12 + today.month - start.month + 1
        months = min(term, elapsed, n_contract_payments - planned)
        account = spare[index][1] if index < len(spare) else won[index % len(won)][1]
        contracts.append((account, start, end, per_cycle, months))
        planned += months

    with Timer(ctx, f"{len(contracts)} contracts"):
        rows = (
            {
                **ctx.record(),
                "contract_number": CONTRACT_NUMBERS.format(i + 1),
                "status": "Active" if end >= today else "Expired",
                "start_date": start,
                "end_date": end,
                "account_id": account,
                "opportunity_id": spare[i][0] if i < len(spare) else None,
            }
            for i, (account, start, end, _, _) in enumerate(contracts)
        )
        bulk_load(Contract, rows)
        _mark_billed(ctx, Contract, "contract_number")
    contract_ids = ids_of(Contract, ctx.organization_id)
    sequence_reserve_through(key=CONTRACT_NUMBERS.key, value=len(contracts))
    bulk_load(
        ContractLineItem,
        (
            {
                "organization_id": ctx.organization_id,
                "contract_id": contract_ids[index],
                "product_id": product,
                "quantity": quantity,
                "price_per_cycle": price,
            }
            for index, product, quantity, price in lines
        ),
    )

    with Timer(ctx, f"{planned} retainer payments"):

        def contract_payments():
            for i, (_, start, _, per_cycle, months) in enumerate(contracts):
                for month in range(months):
                    period_start = _month_add(start, month)
                    period_end = _month_add(start, month + 1) - datetime.timedelta(days=1)
                    paid = min(today, period_start + datetime.timedelta(days=rng.randint(0, 10)))
                    yield {
                        **ctx.record(),
                        "amount": per_cycle,
                        "payment_date": paid,
                        "payment_method": rng.choice(METHODS),
                        "transaction_id": f"txn-c{i}-{month}",
                        "service_period_start": period_start,
                        "service_period_end": period_end,
                        "contract_id": contract_ids[i],
                    }

        bulk_load(Payment, contract_payments())


def _mark_billed(ctx: ScaleContext, model: type[Order] | type[Contract], number: str) -> None:
    """Opportunities with an order or a contract are billed, as the services would have marked them."""
    document = model.all_orgs.filter(opportunity=OuterRef("pk")).order_by("id").values(number)[:1]
    Opportunity.all_orgs.filter(
        organization_id=ctx.organization_id,
        billed_at__isnull=True,
        pk__in=model.all_orgs.filter(organization_id=ctx.organization_id, opportunity__isnull=False).values(
            "opportunity_id"
        ),
    ).update(billed_at=ctx.now, billed_by=Subquery(document))
