"""Reads for billing: calculated totals, lists for related panels and the retainer report."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from .models import Contract, ContractLineItem, Order, OrderLineItem, Payment

MONEY = DecimalField(max_digits=20, decimal_places=2)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _sum_subquery(queryset: QuerySet, group: str, expression: Any) -> Coalesce:
    rows = queryset.values(group).annotate(total=Sum(expression, output_field=MONEY)).values("total")
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO, output_field=MONEY), output_field=MONEY)


def order_total_expression() -> Coalesce:
    lines = OrderLineItem.objects.filter(order=OuterRef("pk")).order_by()
    return _sum_subquery(lines, "order", F("quantity") * F("price_at_purchase"))


def order_paid_expression() -> Coalesce:
    payments = Payment.all_orgs.filter(order=OuterRef("pk"), status=Payment.Status.COMPLETED).order_by()
    return _sum_subquery(payments, "order", F("amount"))


def order_with_totals(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """``total``, ``amount_paid`` and ``balance_due`` on every row, each one subquery."""
    return queryset.annotate(total=order_total_expression(), amount_paid=order_paid_expression()).annotate(
        balance_due=F("total") - F("amount_paid")
    )


def contract_with_totals(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    lines = ContractLineItem.objects.filter(contract=OuterRef("pk")).order_by()
    payments = Payment.all_orgs.filter(contract=OuterRef("pk"), status=Payment.Status.COMPLETED).order_by()
    return queryset.annotate(
        amount_per_cycle=_sum_subquery(lines, "contract", F("quantity") * F("price_per_cycle")),
        amount_paid=_sum_subquery(payments, "contract", F("amount")),
    )


def order_amounts(*, order_id: int) -> tuple[Decimal, Decimal]:
    """(total, completed payments) of one order, computed in the database."""
    row = order_with_totals(Order.all_orgs.filter(pk=order_id)).values("total", "amount_paid").get()
    return _money(row["total"]), _money(row["amount_paid"])


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def order_list_for_account(*, account_id: int) -> list[Order]:
    return list(order_with_totals(Order.objects.filter(account_id=account_id)).order_by("-order_date", "-id")[:100])


def order_list_for_opportunity(*, opportunity_id: int) -> list[Order]:
    return list(order_with_totals(Order.objects.filter(opportunity_id=opportunity_id)).order_by("-order_date", "-id"))


def contract_list_for_account(*, account_id: int) -> list[Contract]:
    return list(
        contract_with_totals(Contract.objects.filter(account_id=account_id)).order_by("-start_date", "-id")[:100]
    )


def payment_retainer_report(*, year: int) -> dict[str, Any]:
    """Completed payments per account and month of ``service_period_start`` in ``year`` (one query)."""
    rows = (
        Payment.objects.filter(
            status=Payment.Status.COMPLETED,
            service_period_start__gte=datetime.date(year, 1, 1),
            service_period_start__lt=datetime.date(year + 1, 1, 1),
        )
        .annotate(
            report_account_id=Coalesce("order__account_id", "contract__account_id"),
            report_account_name=Coalesce("order__account__name", "contract__account__name"),
            month=ExtractMonth("service_period_start"),
        )
        .values("report_account_id", "report_account_name", "month")
        .annotate(amount=Sum("amount", output_field=MONEY))
        .order_by("report_account_name", "report_account_id", "month")
    )
    accounts: dict[int, dict[str, Any]] = {}
    month_totals = [ZERO] * 12
    for row in rows:
        entry = accounts.setdefault(
            row["report_account_id"],
            {
                "account_id": row["report_account_id"],
                "account_name": row["report_account_name"],
                "months": [ZERO] * 12,
            },
        )
        amount = _money(row["amount"])
        entry["months"][row["month"] - 1] += amount
        month_totals[row["month"] - 1] += amount
    result_rows = [
        {
            "account_id": entry["account_id"],
            "account_name": entry["account_name"],
            "months": [str(value) for value in entry["months"]],
            "total": str(sum(entry["months"], ZERO)),
        }
        for entry in accounts.values()
    ]
    return {
        "year": year,
        "months": list(range(1, 13)),
        "rows": result_rows,
        "totals": {"months": [str(value) for value in month_totals], "total": str(sum(month_totals, ZERO))},
    }
