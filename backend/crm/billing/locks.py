"""Row locks of the billing domain, taken only here.

Lock order, always in this direction so that two transactions never wait on each other:
1. the opportunity an order or contract is generated from (``sales.locks.opportunity_for_update``);
2. the order or the contract;
3. its payments.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Contract, Order, Payment


def order_for_update(*, order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def contract_for_update(*, contract_id: int) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract_id)


def orders_for_update(*, order_ids: list[int]) -> list[Order]:
    """Several orders, locked in id order (a batch of payments)."""
    return list(Order.objects.select_for_update().filter(pk__in=order_ids).order_by("id")) if order_ids else []


def contracts_for_update(*, contract_ids: list[int]) -> list[Contract]:
    """Several contracts, locked in id order (a batch of payments)."""
    return list(Contract.objects.select_for_update().filter(pk__in=contract_ids).order_by("id")) if contract_ids else []


def payment_for_update(*, payment_id: int) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment_id)


def payments_for_update(payments: QuerySet[Payment]) -> list[Payment]:
    """Payments of one order or contract, locked in id order (after their parent)."""
    return list(payments.select_for_update().order_by("id"))
