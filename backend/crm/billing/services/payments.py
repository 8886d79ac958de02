"""Payments against an order or a contract. Never deleted: voided by setting status "Void".

Lock order for every payment change: the parent order (or contract) first, then the payment.
The order's status is recalculated from its Completed payments in the same transaction.

An order's money is compared like with like, net of VAT. The order's total is the sum of its
lines (quantity x price, as seed 003 has it), and what a payment pays of the order is its amount
less its ``vat_amount``: the part of it that paid VAT billed on one of the order's invoices. A
payment logged on the order itself carries no VAT part and counts in full (the order knows no
VAT); a payment logged on or allocated to an invoice of the order carries the invoice's share of
VAT in it (``payment_attribute_vat``, called by invoicing). So an invoice of the whole order at 20 %
VAT, paid in full, pays the order in full and leaves no overpayment; half of it paid pays half of
the order; a credit note gives the credited lines back to the order to invoice again, so the
order stays open by their net amount until they are invoiced and paid. ``order_amounts`` and the
order lists read the same figures (``crm.billing.selectors.order_paid_expression``).

Money rules, checked here for every way a payment is logged or changed:
- an order takes payments up to its open balance (net, as above); more only when the payment is
  explicitly recorded as an overpayment (``is_overpayment``), and the balance then shows the credit;
- the VAT part of a payment is never more than its amount, and a payment that paid invoice VAT
  keeps its amount (void it and log it again to correct it);
- a fulfilled order that is paid in full, and a cancelled or deactivated order or contract,
  take no new payments;
- on a cancelled order or contract a payment can only be voided (or a pending one marked
  failed); it never becomes Completed again and its amount, date and method stay as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.records.services import record_create, record_create_many, record_set_derived, record_update

from .. import locks
from ..models import Contract, Order, Payment
from ..selectors import order_amounts, orders_amounts
from ..signals import payment_changed, payment_logged
from .common import DOCUMENT_KINDS, check_version
from .orders import order_lock, order_sync_status, orders_sync_status

if TYPE_CHECKING:
    from crm.identity.models import User

# Statuses that hold money received or on its way.
MONEY_STATUSES = frozenset({Payment.Status.COMPLETED, Payment.Status.PENDING})
# What may still change on a payment of a cancelled order or contract.
CANCELLED_PARENT_FIELDS = frozenset({"status", "notes"})


def _contract_lock(*, contract_id: int) -> Contract:
    return locks.contract_for_update(contract_id=contract_id)


def _check_payment_values(payment: Payment | None, data: dict[str, Any]) -> None:
    """Field rules of a payment, for logging and editing alike."""
    vat_amount = Decimal(data.get("vat_amount", 0))
    if vat_amount < 0 or ("amount" in data and vat_amount > Decimal(data["amount"])):
        raise ValueError("A payment's VAT part lies between 0 and its amount.")
    if payment is not None and "vat_amount" in data:
        raise ValueError("The VAT part of a logged payment changes through payment_attribute_vat only.")
    if "is_active" in data:
        raise ApplicationError(
            "payments_are_voided",
            _("Payments are never deactivated; void them instead."),
            {"is_active": [_("Payments are voided (status Void), not deactivated.")]},
        )

    def current(name: str) -> Any:
        return data[name] if name in data else getattr(payment, name, None)

    start, end = current("service_period_start"), current("service_period_end")
    if (start is None) != (end is None):
        missing = "service_period_end" if end is None else "service_period_start"
        raise ApplicationError(
            "invalid_service_period",
            _("A service period needs a start and an end."),
            {missing: [_("Give both the start and the end of the service period.")]},
        )
    if start is not None and end < start:
        raise ApplicationError(
            "invalid_service_period",
            _("The service period ends before it starts."),
            {"service_period_end": [_("Must be on or after the period start.")]},
        )


def _refuse_closed_parent(parent: Order | Contract) -> None:
    kind = "order" if isinstance(parent, Order) else "contract"
    if not parent.is_active:
        raise InvalidStateTransition(
            f"{kind}_inactive",
            _("Payments cannot be logged on a deactivated %(kind)s.") % {"kind": DOCUMENT_KINDS[kind]},
        )
    if parent.status == parent.Status.CANCELLED:
        raise InvalidStateTransition(
            f"{kind}_cancelled",
            _("Payments cannot be logged on a cancelled %(kind)s.") % {"kind": DOCUMENT_KINDS[kind]},
        )


def _refuse_overpayment(*, order: Order, amount: Decimal, paid_by_others: Decimal, total: Decimal) -> None:
    """Money beyond the open balance needs ``is_overpayment`` (the caller checks the flag)."""
    open_balance = total - paid_by_others
    if amount <= open_balance:
        return
    if order.status == Order.Status.FULFILLED and open_balance <= 0:
        raise InvalidStateTransition(
            "order_fulfilled", _("This order is fulfilled and paid in full; it takes no more payments.")
        )
    raise ApplicationError(
        "payment_exceeds_balance",
        _(
            "The payment of %(amount)s is more than the open balance of %(open)s. Record it as an overpayment to keep the difference as a credit."
        )
        % {"amount": format(amount, ",.2f"), "open": format(max(open_balance, Decimal(0)), ",.2f")},
        {
            "amount": [
                _("At most %(open)s is open on order %(order_number)s.")
                % {"open": format(max(open_balance, Decimal(0)), ",.2f"), "order_number": order.order_number}
            ]
        },
    )


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
    _check_payment_values(None, data)
    if order_id is not None:
        order = order_lock(order_id=order_id)
        _refuse_closed_parent(order)
        status = data.get("status", Payment.Status.COMPLETED)
        if status in MONEY_STATUSES and not data.get("is_overpayment"):
            total, paid = order_amounts(order_id=order.pk)
            counted = Decimal(data["amount"]) - Decimal(data.get("vat_amount", 0))
            _refuse_overpayment(order=order, amount=counted, paid_by_others=paid, total=total)
        payment = record_create(model=Payment, data={**data, "order": order}, actor=actor)
        order_sync_status(order=order, actor=actor)
        payment_logged.send(sender=Payment, payment=payment, actor=actor)
        return payment
    assert contract_id is not None  # exactly one of the two, checked above
    contract = _contract_lock(contract_id=contract_id)
    _refuse_closed_parent(contract)
    payment = record_create(
        model=Payment, data={**data, "contract": contract, "is_overpayment": False, "vat_amount": 0}, actor=actor
    )
    payment_logged.send(sender=Payment, payment=payment, actor=actor)
    return payment


def payment_attribute_vat(*, payment: Payment, vat_amount: Decimal, actor: User) -> Payment:
    """Record how much of an order's payment paid VAT billed on the order's invoices, then refresh
    the order's status: the order counts the payment's amount less it (the rule above).

    A building block for invoicing, in the caller's transaction; the caller holds the order's and
    the payment's row locks (the payment lock order). Calculated, so stored without a version bump."""
    if payment.order_id is None:
        raise ValueError("Only a payment of an order pays invoice VAT the order counts.")
    if not Decimal(0) <= vat_amount <= payment.amount:
        raise ValueError("A payment's VAT part lies between 0 and its amount.")
    if vat_amount == payment.vat_amount:
        return payment
    stored = record_set_derived(record=payment, derived={"vat_amount": vat_amount}, actor=actor)
    order_sync_status(order=order_lock(order_id=payment.order_id), actor=actor)
    return stored


def _check_cancelled_parent_change(payment: Payment, data: dict[str, Any]) -> None:
    changed = {name for name, value in data.items() if getattr(payment, name) != value}
    status = data.get("status", payment.status)
    allowed_status = {payment.status, Payment.Status.VOID}
    if payment.status == Payment.Status.PENDING:
        allowed_status.add(Payment.Status.FAILED)
    if changed - CANCELLED_PARENT_FIELDS or status not in allowed_status:
        kind = "order" if payment.order_id else "contract"
        raise InvalidStateTransition(
            "parent_cancelled",
            _("The %(kind)s is cancelled: its payments can only be voided, or marked failed while pending.")
            % {"kind": DOCUMENT_KINDS[kind]},
        )


@transaction.atomic(durable=True)
def payment_update(*, payment_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Payment:
    """Edit or void a payment; the parent order's status follows in the same transaction."""
    return payment_change(payment_id=payment_id, data=data, expected_version=expected_version, actor=actor)


@transaction.atomic
def payment_change(*, payment_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Payment:
    """The building block behind ``payment_update``, for callers that already hold a transaction
    (undoing a bank match voids its payments and reopens the match in one transaction)."""
    parent = Payment.objects.values("order_id", "contract_id").get(pk=payment_id)
    order = order_lock(order_id=parent["order_id"]) if parent["order_id"] else None
    contract = _contract_lock(contract_id=parent["contract_id"]) if parent["contract_id"] else None
    payment = locks.payment_for_update(payment_id=payment_id)
    check_version(record=payment, expected_version=expected_version)
    _check_payment_values(payment, data)
    if payment.status == Payment.Status.VOID and any(getattr(payment, name) != value for name, value in data.items()):
        raise InvalidStateTransition("payment_void", _("A void payment cannot be changed."))
    parent_record = order or contract
    assert parent_record is not None
    if parent_record.status == parent_record.Status.CANCELLED:
        _check_cancelled_parent_change(payment, data)
    if contract is not None:
        data = {**data, "is_overpayment": False}
    if payment.vat_amount > 0 and "amount" in data and Decimal(data["amount"]) != payment.amount:
        raise InvalidStateTransition(
            "payment_paid_invoice_vat",
            _("This payment paid an invoice, VAT included: void it and log the right amount instead."),
        )
    if order is not None:
        status = data.get("status", payment.status)
        amount = Decimal(data.get("amount", payment.amount))
        is_overpayment = data.get("is_overpayment", payment.is_overpayment)
        if status == Payment.Status.COMPLETED and not is_overpayment:
            total, paid = order_amounts(order_id=order.pk)
            if payment.status == Payment.Status.COMPLETED:
                paid -= payment.amount - payment.vat_amount
            if amount > payment.amount or payment.status != Payment.Status.COMPLETED or payment.is_overpayment:
                _refuse_overpayment(order=order, amount=amount - payment.vat_amount, paid_by_others=paid, total=total)
    payment = record_update(record=payment, data=data, expected_version=expected_version, actor=actor)
    if order is not None:
        order_sync_status(order=order, actor=actor)
    payment_changed.send(sender=Payment, payment=payment, actor=actor)
    return payment


@transaction.atomic
def payments_add_many(*, entries: list[tuple[int | None, int | None, dict[str, Any]]], actor: User) -> list[Payment]:
    """``payment_add`` for many payments at once, each entry ``(order_id, contract_id, data)`` (a bank
    statement's matches): the same rules, the parents locked once in id order, one insert of the
    payments and of their audit events, each order's status refreshed once. Returns the payments in
    the order of ``entries``."""
    for order_id, contract_id, _data in entries:
        if (order_id is None) == (contract_id is None):
            raise ValueError("A payment belongs to exactly one order or contract.")
    order_ids = sorted({order_id for order_id, _contract, _data in entries if order_id is not None})
    contract_ids = sorted({contract_id for _order, contract_id, _data in entries if contract_id is not None})
    orders = {order.pk: order for order in locks.orders_for_update(order_ids=order_ids)}
    contracts = {contract.pk: contract for contract in locks.contracts_for_update(contract_ids=contract_ids)}
    amounts = orders_amounts(order_ids=order_ids)
    rows = []
    for order_id, contract_id, data in entries:
        _check_payment_values(None, data)
        if order_id is not None:
            order = orders[order_id]
            _refuse_closed_parent(order)
            status = data.get("status", Payment.Status.COMPLETED)
            total, paid = amounts[order_id]
            counted = Decimal(data["amount"]) - Decimal(data.get("vat_amount", 0))  # net, as the order counts it
            if status in MONEY_STATUSES and not data.get("is_overpayment"):
                _refuse_overpayment(order=order, amount=counted, paid_by_others=paid, total=total)
            if status == Payment.Status.COMPLETED:
                amounts[order_id] = (total, paid + counted)
            rows.append({**data, "order": order})
        else:
            assert contract_id is not None  # exactly one of the two, checked above
            contract = contracts[contract_id]
            _refuse_closed_parent(contract)
            rows.append({**data, "contract": contract, "is_overpayment": False, "vat_amount": 0})
    payments = record_create_many(model=Payment, rows=rows, actor=actor)
    orders_sync_status(orders=[orders[order_id] for order_id in order_ids], actor=actor)
    for payment in payments:
        payment_logged.send(sender=Payment, payment=payment, actor=actor)
    return payments
