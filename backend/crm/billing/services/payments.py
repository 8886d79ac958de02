"""Payments against an order or a contract. Never deleted: voided by setting status "Void".

Lock order for every payment change: the parent order (or contract) first, then the payment.
The order's status is recalculated from its Completed payments in the same transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from crm.records.errors import InvalidStateTransition
from crm.records.services import record_create, record_update

from ..models import Contract, Order, Payment
from .common import check_version
from .orders import order_lock, order_sync_status

if TYPE_CHECKING:
    from crm.identity.models import User


def _contract_lock(*, contract_id: int) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract_id)


@transaction.atomic(durable=True)
def payment_log(
    *, data: dict[str, Any], actor: User, order_id: int | None = None, contract_id: int | None = None
) -> Payment:
    """Record money received for exactly one order or contract, then refresh the order's status."""
    return payment_add(data=data, actor=actor, order_id=order_id, contract_id=contract_id)


@transaction.atomic
def payment_add(
    *, data: dict[str, Any], actor: User, order_id: int | None = None, contract_id: int | None = None
) -> Payment:
    """The building block behind ``payment_log``, for callers that already hold a transaction."""
    if (order_id is None) == (contract_id is None):
        raise ValueError("A payment belongs to exactly one order or contract.")
    if order_id is not None:
        order = order_lock(order_id=order_id)
        if order.status == Order.Status.CANCELLED:
            raise InvalidStateTransition("order_cancelled", "Payments cannot be logged on a cancelled order.")
        payment = record_create(model=Payment, data={**data, "order": order}, actor=actor)
        order_sync_status(order=order, actor=actor)
        return payment
    contract = _contract_lock(contract_id=contract_id)
    if contract.status == Contract.Status.CANCELLED:
        raise InvalidStateTransition("contract_cancelled", "Payments cannot be logged on a cancelled contract.")
    return record_create(model=Payment, data={**data, "contract": contract}, actor=actor)


@transaction.atomic(durable=True)
def payment_update(*, payment_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Payment:
    """Edit or void a payment; the parent order's status follows in the same transaction."""
    parent = Payment.objects.values("order_id", "contract_id").get(pk=payment_id)
    order = order_lock(order_id=parent["order_id"]) if parent["order_id"] else None
    if parent["contract_id"]:
        _contract_lock(contract_id=parent["contract_id"])
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    check_version(record=payment, expected_version=expected_version)
    if payment.status == Payment.Status.VOID and any(getattr(payment, name) != value for name, value in data.items()):
        raise InvalidStateTransition("payment_void", "A void payment cannot be changed.")
    payment = record_update(record=payment, data=data, expected_version=expected_version, actor=actor)
    if order is not None:
        order_sync_status(order=order, actor=actor)
    return payment
