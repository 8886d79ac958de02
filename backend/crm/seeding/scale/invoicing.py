"""Benchmark-sized quotes and invoices, generated from the orders.

Each order has its accepted quote (a fifth of them an earlier, denied one too) and an invoice
whose status follows the order's: drafts and issued or overdue invoices for orders awaiting
payment, partially paid ones, paid ones (a few credited by a credit note) and cancelled ones.
Invoices are numbered per series and year as issuing them would have (the counters are set to
the last number), and every line carries its VAT (20 %, standard rate).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from crm.billing.models import OrderLineItem
from crm.invoicing.models import Invoice, InvoiceCounter, InvoiceLineItem, Quote, QuoteLineItem
from crm.invoicing.services.quotes import QUOTE_NUMBERS
from crm.invoicing.taxes import money
from crm.records.sequences import sequence_reserve_through
from crm.sales.models import Product
from crm.seeding.scale import ScaleContext, Timer, bulk_load, ids_of

VAT = Decimal("20.00")
HUNDRED = Decimal("100")
# order status -> [(invoice status, share)]
INVOICE_MIX = {
    "Awaiting Payment": [("Draft", 0.35), ("Issued", 0.35), ("Overdue", 0.30)],
    "Partially Paid": [("Partially Paid", 0.75), ("Overdue", 0.25)],
    "Paid in Full": [("Paid", 1.0)],
    "Fulfilled": [("Paid", 1.0)],
    "Cancelled": [("Cancelled", 1.0)],
}
CREDITED_SHARE = 0.04  # of the paid invoices, credited in part by a credit note


def _pick(rng, mix: list[tuple[str, float]]) -> str:
    roll = rng.random()
    for name, share in mix:
        roll -= share
        if roll <= 0:
            return name
    return mix[-1][0]


def _totals(lines: list[tuple[int, Decimal, Decimal]]) -> tuple[Decimal, Decimal, Decimal]:
    net = sum((money(quantity * price) for _, quantity, price in lines), Decimal("0.00"))
    tax = money(net * VAT / HUNDRED)
    return net, tax, net + tax


def _line(ctx: ScaleContext, names: dict[int, str], product: int, quantity: Decimal, price: Decimal) -> dict:
    return {
        "organization_id": ctx.organization_id,
        "product_id": product,
        "description": names.get(product, ""),
        "quantity": quantity,
        "unit_price": price,
        "vat_rate": VAT,
        "tax_category": "S",
    }


def generate(ctx: ScaleContext) -> None:
    orders = ctx.data.get("orders", [])
    if not orders:
        return
    today = ctx.now.date()
    names = dict(Product.all_orgs.filter(organization_id=ctx.organization_id).values_list("id", "name"))
    _quotes(ctx, orders, names)
    _invoices(ctx, orders, names, today)


def _quotes(ctx: ScaleContext, orders: list, names: dict[int, str]) -> None:
    rng = ctx.rng
    plan: list[tuple[int, str, tuple]] = []  # (order index, status, order)
    for index, order in enumerate(orders):
        if rng.random() < 0.2:
            plan.append((index, "Denied", order))
        plan.append((index, "Accepted", order))
    with Timer(ctx, f"{len(plan)} quotes"):

        def rows():
            for number, (_, status, (order_id, opportunity, account, order_date, _, lines)) in enumerate(plan, 1):
                net, tax, gross = _totals(lines)
                stamp = datetime.datetime.combine(
                    order_date - datetime.timedelta(days=7 if status == "Denied" else 1),
                    datetime.time(10),
                    tzinfo=datetime.UTC,
                )
                yield {
                    **ctx.record(created_at=stamp),
                    "quote_number": QUOTE_NUMBERS.format(number),
                    "name": f"Quote {number}",
                    "status": status,
                    "expiration_date": order_date + datetime.timedelta(days=30),
                    "opportunity_id": opportunity,
                    "account_id": account,
                    "accepted_at": stamp if status == "Accepted" else None,
                    "order_id": order_id if status == "Accepted" else None,
                    "net_total": net,
                    "tax_total": tax,
                    "gross_total": gross,
                }

        bulk_load(Quote, rows())
    quote_ids = ids_of(Quote, ctx.organization_id)
    sequence_reserve_through(key=QUOTE_NUMBERS.key, value=len(plan))
    with Timer(ctx, "quote line items"):
        bulk_load(
            QuoteLineItem,
            (
                {**_line(ctx, names, product, quantity, price), "quote_id": quote_ids[position]}
                for position, (_, _, order) in enumerate(plan)
                for product, quantity, price in order[5]
            ),
        )


def _invoices(ctx: ScaleContext, orders: list, names: dict[int, str], today: datetime.date) -> None:
    rng = ctx.rng
    order_lines: dict[int, list[int]] = {}
    for pk, order_id in (
        OrderLineItem.all_orgs.filter(organization_id=ctx.organization_id).order_by("id").values_list("id", "order_id")
    ):
        order_lines.setdefault(order_id, []).append(pk)
    counters: dict[tuple[str, int], int] = {}

    def number(series: str, day: datetime.date) -> str:
        key = (series, day.year)
        counters[key] = counters.get(key, 0) + 1
        return f"{series}-{day.year}-{counters[key]:06d}"

    # Issue dates in order, so the numbers of a year grow with their dates as issuing gives them.
    plan = []
    for order in sorted(orders, key=lambda o: (o[3], o[0])):
        order_id, _, account, order_date, order_status, lines = order
        status = _pick(rng, INVOICE_MIX[order_status])
        net, tax, gross = _totals(lines)
        terms = rng.choice((14, 14, 30))
        if status == "Draft":
            issue = due = None
        elif status == "Overdue":
            issue = min(order_date, today - datetime.timedelta(days=terms + rng.randint(1, 60)))
            due = issue + datetime.timedelta(days=terms)
        elif status in ("Issued", "Partially Paid"):
            issue = max(order_date, today - datetime.timedelta(days=rng.randint(0, terms - 1)))
            due = issue + datetime.timedelta(days=terms)
        else:
            issue = order_date
            due = issue + datetime.timedelta(days=terms)
        paid = Decimal("0.00")
        if status == "Paid":
            paid = gross
        elif status in ("Partially Paid", "Overdue") and order_status == "Partially Paid":
            paid = money(gross * Decimal(rng.randint(10, 90)) / HUNDRED)
        plan.append((order, status, issue, due, terms, net, tax, gross, paid))
    plan.sort(key=lambda row: (row[2] or today, row[0][0]))
    credited = [index for index, row in enumerate(plan) if row[1] == "Paid" and rng.random() < CREDITED_SHARE]

    # Credit notes: half of each credited invoice's first line, issued a few days after it was paid.
    notes = []
    for index in credited:
        (order_id, _, account, _, _, lines), _, issue, *_ = plan[index]
        product, quantity, price = lines[0]
        half = max(Decimal("0.01"), (quantity / 2).quantize(Decimal("0.01")))
        net, tax, gross = _totals([(product, half, price)])
        day = min(today, issue + datetime.timedelta(days=rng.randint(5, 40)))
        notes.append((index, product, half, price, day, net, tax, gross, order_id, account))
    notes.sort(key=lambda note: note[4])
    credit_of = {note[0]: note[7] for note in notes}

    with Timer(ctx, f"{len(plan)} invoices"):

        def rows():
            for index, (
                (order_id, _, account, _, _, _),
                status,
                issue,
                due,
                terms,
                net,
                tax,
                gross,
                paid,
            ) in enumerate(plan):
                credit = credit_of.get(index, Decimal("0.00"))
                stamp = datetime.datetime.combine(issue or today, datetime.time(9), tzinfo=datetime.UTC)
                yield {
                    **ctx.record(created_at=stamp),
                    "number": number("INV", issue) if issue else "",
                    "status": status,
                    "account_id": account,
                    "order_id": order_id,
                    "issue_date": issue,
                    "payment_terms_days": terms,
                    "due_date": due,
                    "net_total": net,
                    "tax_total": tax,
                    "gross_total": gross,
                    "amount_paid": paid,
                    "amount_credited": credit,
                }

        bulk_load(Invoice, rows())
    invoice_ids = ids_of(Invoice, ctx.organization_id)
    with Timer(ctx, "invoice line items"):

        def lines():
            for position, row in enumerate(plan):
                order = row[0]
                for (product, quantity, price), order_line in zip(
                    order[5], order_lines.get(order[0], []), strict=False
                ):
                    yield {
                        **_line(ctx, names, product, quantity, price),
                        "invoice_id": invoice_ids[position],
                        "order_line_id": order_line,
                    }

        bulk_load(InvoiceLineItem, lines())

    with Timer(ctx, f"{len(credited)} credit notes"):
        bulk_load(
            Invoice,
            (
                {
                    **ctx.record(created_at=datetime.datetime.combine(day, datetime.time(11), tzinfo=datetime.UTC)),
                    "kind": "Credit Note",
                    "number": number("CN", day),
                    "series": "CN",
                    "status": "Issued",
                    "account_id": account,
                    "order_id": order_id,
                    "credited_invoice_id": invoice_ids[index],
                    "issue_date": day,
                    "payment_terms_days": 0,
                    "due_date": day,
                    "net_total": net,
                    "tax_total": tax,
                    "gross_total": gross,
                    "notes": "Partial credit",
                }
                for index, product, half, price, day, net, tax, gross, order_id, account in notes
            ),
        )
        note_ids = ids_of(Invoice, ctx.organization_id)[len(invoice_ids) :]
        bulk_load(
            InvoiceLineItem,
            (
                {**_line(ctx, names, product, half, price), "invoice_id": note_ids[position]}
                for position, (_, product, half, price, *_) in enumerate(notes)
            ),
        )
    InvoiceCounter.all_orgs.bulk_create(
        [
            InvoiceCounter(organization_id=ctx.organization_id, series=series, year=year, last_value=value)
            for (series, year), value in counters.items()
        ]
    )
