"""Reads for billing: calculated totals, lists for related panels and the retainer report."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext

from crm.accounts.models import Account
from crm.core.errors import ApplicationError
from crm.records.listing.sql import id_in

from .models import Contract, ContractLineItem, Order, OrderLineItem, Payment

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MONEY = DecimalField(max_digits=20, decimal_places=2)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _sum_subquery(queryset: QuerySet[Any], group: str, expression: Any) -> Coalesce:
    rows = queryset.values(group).annotate(total=Sum(expression, output_field=MONEY)).values("total")
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO, output_field=MONEY), output_field=MONEY)


def order_total_expression() -> Coalesce:
    lines = OrderLineItem.objects.filter(order=OuterRef("pk")).order_by()
    return _sum_subquery(lines, "order", F("quantity") * F("price_at_purchase"))


def order_paid_expression() -> Coalesce:
    """What the order's Completed payments pay of it: their amounts less the VAT of the order's
    invoices they paid (an order's figures are net; see ``crm.billing.services.payments``)."""
    payments = Payment.all_orgs.filter(order=OuterRef("pk"), status=Payment.Status.COMPLETED).order_by()
    return _sum_subquery(payments, "order", F("amount") - F("vat_amount"))


class OrderTotals(TypedDict):
    total: Any
    amount_paid: Any
    balance_due: Any


def order_with_totals(queryset: QuerySet[Order]) -> QuerySet[WithAnnotations[Order, OrderTotals]]:
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
    """(total, amount paid) of one order, both net of VAT, computed in the database: the total of
    its lines, and its Completed payments less the invoice VAT they paid."""
    found = orders_amounts(order_ids=[order_id])
    if order_id not in found:
        raise Order.DoesNotExist(f"Order {order_id} does not exist.")
    return found[order_id]


def orders_amounts(*, order_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """``order_amounts`` of many orders with one query, by order id."""
    if not order_ids:
        return {}
    rows = order_with_totals(Order.all_orgs.filter(pk__in=order_ids)).values_list("pk", "total", "amount_paid")
    return {pk: (_money(total), _money(paid)) for pk, total, paid in rows}


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


RETAINER_PAGE_SIZE = 50


def _retainer_payments(year: int) -> QuerySet[Payment]:
    """Completed payments whose service period starts in ``year`` (the payment_org_retainer index)."""
    return Payment.objects.filter(
        status=Payment.Status.COMPLETED,
        service_period_start__gte=datetime.date(year, 1, 1),
        service_period_start__lt=datetime.date(year + 1, 1, 1),
    ).order_by()


def payment_retainer_report(*, year: int, page: int = 1, page_size: int = RETAINER_PAGE_SIZE) -> dict[str, Any]:
    """Completed payments per account and month of ``service_period_start`` in ``year``, one page of accounts.

    Accounts are sorted by name then id; ``totals`` and ``count`` cover every account of the year.
    Three queries whatever the number of payments: the page of accounts with the count, the
    month totals, and the page's sums per month. Payments are reduced to their distinct contracts
    and orders before any account is read, so the year's payments are never joined row by row.
    A page past the last one raises a 404 ``ApplicationError`` (as the record lists answer).
    """
    payments = _retainer_payments(year)
    contracts = Contract.objects.filter(
        id_in("id", payments.filter(contract_id__isnull=False).values("contract_id").distinct())
    ).values("account_id")
    orders = Order.objects.filter(
        id_in("id", payments.filter(order_id__isnull=False).values("order_id").distinct())
    ).values("account_id")
    offset = (page - 1) * page_size
    accounts = list(
        Account.objects.filter(id_in("id", contracts) | id_in("id", orders))
        .annotate(accounts_in_year=Window(Count("*")))
        .order_by("name", "id")
        .values_list("id", "name", "accounts_in_year")[offset : offset + page_size]
    )
    if not accounts and page > 1:
        raise ApplicationError("not_found", gettext("Invalid page."), status_code=404)
    count = accounts[0][2] if accounts else 0
    month_totals = [ZERO] * 12
    rows: dict[int, list[Decimal]] = {account_id: [ZERO] * 12 for account_id, _, _ in accounts}
    if accounts:
        # Grouped by day, not by month: EXTRACT on every one of the year's payments costs more
        # than adding up at most 366 sums here.
        for day in payments.values("service_period_start").annotate(amount=Sum("amount", output_field=MONEY)):
            start = cast(datetime.date, day["service_period_start"])  # filtered on: never null here
            month_totals[start.month - 1] += _money(day["amount"])
        page_ids = list(rows)
        sums = (
            payments.filter(
                id_in("contract_id", Contract.objects.filter(account_id__in=page_ids).values("id"))
                | id_in("order_id", Order.objects.filter(account_id__in=page_ids).values("id"))
            )
            .annotate(
                report_account_id=Coalesce("contract__account_id", "order__account_id"),
                month=ExtractMonth("service_period_start"),
            )
            .values("report_account_id", "month")
            .annotate(amount=Sum("amount", output_field=MONEY))
        )
        for row in sums:
            rows[row["report_account_id"]][row["month"] - 1] += _money(row["amount"])
    return {
        "year": year,
        "months": list(range(1, 13)),
        "rows": [
            {
                "account_id": account_id,
                "account_name": name,
                "months": [str(value) for value in rows[account_id]],
                "total": str(sum(rows[account_id], ZERO)),
            }
            for account_id, name, _ in accounts
        ],
        "totals": {"months": [str(value) for value in month_totals], "total": str(sum(month_totals, ZERO))},
        "count": count,
        "page": page,
        "page_size": page_size,
    }
