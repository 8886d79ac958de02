"""Reads for invoicing: the MRR report and the retainer invoiced-versus-paid report."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Sum
from django.db.models.functions import ExtractMonth

from crm.billing.models import Contract, ContractLineItem, Payment

from .models import Invoice, PaymentAllocation
from .taxes import ZERO, money

MONEY = DecimalField(max_digits=20, decimal_places=2)


def _month_starts(start: datetime.date, months: int) -> list[datetime.date]:
    out = []
    year, month = start.year, start.month
    for _ in range(months):
        out.append(datetime.date(year, month, 1))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def _month_end(day: datetime.date) -> datetime.date:
    following = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def mrr_report(*, start: datetime.date, months: int = 12) -> dict[str, Any]:
    """Monthly recurring revenue from contracts, month by month: the MRR at each month's end and its
    movements (new, expansion, contraction, churn), per account.

    A contract counts from its start to its end date (a terminated contract until it was last
    changed); a cancelled one never counts. An annual contract counts a twelfth of its amount.
    Two queries whatever the number of months."""
    starts = _month_starts(start.replace(day=1), months)
    previous = _month_end(starts[0] - datetime.timedelta(days=1))
    checkpoints = [previous, *(_month_end(day) for day in starts)]
    first, last = checkpoints[0], checkpoints[-1]
    contracts = list(
        Contract.objects.exclude(status=Contract.Status.CANCELLED)
        .filter(start_date__lte=last, end_date__gte=first)
        .values("id", "account_id", "status", "start_date", "end_date", "billing_cycle", "updated_at")
    )
    amounts: dict[int, Decimal] = {
        row["contract_id"]: Decimal(row["amount"] or 0)
        for row in ContractLineItem.objects.filter(contract_id__in=[c["id"] for c in contracts])
        .values("contract_id")
        .annotate(amount=Sum(F("quantity") * F("price_per_cycle"), output_field=MONEY))
    }
    per_account: list[dict[int, Decimal]] = []
    for day in checkpoints:
        accounts: dict[int, Decimal] = {}
        for contract in contracts:
            end = contract["end_date"]
            if contract["status"] == Contract.Status.TERMINATED:
                end = min(end, contract["updated_at"].date())
            if contract["start_date"] <= day <= end:
                monthly = amounts.get(contract["id"], ZERO)
                if contract["billing_cycle"] == Contract.BillingCycle.ANNUALLY:
                    monthly = monthly / 12
                accounts[contract["account_id"]] = accounts.get(contract["account_id"], ZERO) + monthly
        per_account.append(accounts)
    rows = []
    for index, month in enumerate(starts):
        before, now = per_account[index], per_account[index + 1]
        new = expansion = contraction = churn = ZERO
        for account_id in set(before) | set(now):
            old, current = before.get(account_id, ZERO), now.get(account_id, ZERO)
            if old == 0 and current > 0:
                new += current
            elif old > 0 and current == 0:
                churn += old
            elif current > old:
                expansion += current - old
            elif current < old:
                contraction += old - current
        rows.append(
            {
                "month": month.isoformat()[:7],
                "mrr": str(money(sum(now.values(), ZERO))),
                "new": str(money(new)),
                "expansion": str(money(expansion)),
                "contraction": str(money(contraction)),
                "churn": str(money(churn)),
                "accounts": sum(1 for value in now.values() if value > 0),
            }
        )
    return {"start": starts[0].isoformat()[:7], "months": rows}


def retainer_invoiced_report(*, year: int) -> dict[str, Any]:
    """Per month of the service period in ``year``: what contracts' invoices billed and what of it is paid."""
    invoices = Invoice.objects.filter(
        contract__isnull=False,
        kind=Invoice.Kind.INVOICE,
        service_period_start__year=year,
    ).exclude(status__in=[Invoice.Status.DRAFT, Invoice.Status.CANCELLED])
    invoiced = [ZERO] * 12
    for row in (
        invoices.annotate(month=ExtractMonth("service_period_start"))
        .values("month")
        .annotate(total=Sum("gross_total"))
        .order_by()
    ):
        invoiced[row["month"] - 1] = money(row["total"] or 0)
    paid = [ZERO] * 12
    for row in (
        PaymentAllocation.objects.filter(invoice__in=invoices.values("pk"), payment__status=Payment.Status.COMPLETED)
        .annotate(month=ExtractMonth("invoice__service_period_start"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid[row["month"] - 1] = money(row["total"] or 0)
    return {
        "year": year,
        "months": list(range(1, 13)),
        "invoiced": [str(value) for value in invoiced],
        "paid": [str(value) for value in paid],
        "total_invoiced": str(sum(invoiced, ZERO)),
        "total_paid": str(sum(paid, ZERO)),
    }
