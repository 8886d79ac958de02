"""Orders: generated from a won opportunity, then only their status changes."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.identity.models import Organization
from crm.records.sequences import number_next
from crm.records.services import record_create, record_set_derived, record_set_derived_many, record_update
from crm.sales.services.opportunities import opportunity_mark_billed

from .. import locks
from ..models import Order, OrderLineItem, Payment
from ..selectors import order_amounts, orders_amounts
from .common import (
    DOCUMENT_KINDS,
    ORDER_NUMBERS,
    check_version,
    opportunity_lines,
    opportunity_lock_won,
    refuse_fixed_fields,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from crm.identity.models import User

# An order is generated: afterwards only these fields change (the form of the web UI shows the same).
ORDER_EDITABLE = ("status",)
ORDER_FIXED_MESSAGE = gettext_lazy("Only the status of an order can be changed.")
PAYMENT_STATUSES = frozenset({Order.Status.AWAITING_PAYMENT, Order.Status.PARTIALLY_PAID, Order.Status.PAID_IN_FULL})
CLOSED_STATUSES = frozenset({Order.Status.FULFILLED, Order.Status.CANCELLED})


def order_lock(*, order_id: int) -> Order:
    return locks.order_for_update(order_id=order_id)


@transaction.atomic(durable=True)
def order_generate(*, opportunity_id: int, actor: User) -> Order:
    """Freeze a won opportunity's products and prices into a new order (seed 003 §1.3.9)."""
    return order_create_from_opportunity(opportunity_id=opportunity_id, actor=actor)


@transaction.atomic
def order_create_from_opportunity(
    *, opportunity_id: int, actor: User, line_taxes: list[tuple[Decimal, str]] | None = None
) -> Order:
    """The building block behind ``order_generate``, for callers that already hold a transaction.

    ``line_taxes``: the VAT rate and category of each opportunity line, in line order (an accepted
    quote's lines); without it every line takes the model's default (the standard rate)."""
    opportunity = opportunity_lock_won(opportunity_id=opportunity_id)
    if Order.objects.filter(opportunity=opportunity).exists():
        raise InvalidStateTransition(
            "order_already_generated", _("An order has already been generated for this opportunity.")
        )
    order_number = number_next(ORDER_NUMBERS)
    opportunity_mark_billed(opportunity=opportunity, document_number=order_number)
    lines = opportunity_lines(opportunity=opportunity)
    if line_taxes is not None and len(line_taxes) != len(lines):
        raise ValueError("line_taxes needs one (rate, category) per opportunity line")
    order = record_create(
        model=Order,
        actor=actor,
        data={
            "order_date": timezone.localdate(),
            "status": Order.Status.AWAITING_PAYMENT,
            "account": opportunity.account,
            "opportunity": opportunity,
        },
        order_number=order_number,
    )
    OrderLineItem.objects.bulk_create(
        [
            OrderLineItem(
                order=order,
                product_id=line.product_id,
                quantity=line.quantity,
                price_at_purchase=line.sale_price,
                **({"vat_rate": line_taxes[index][0], "tax_category": line_taxes[index][1]} if line_taxes else {}),
            )
            for index, line in enumerate(lines)
        ]
    )
    audit.write_event(
        record=opportunity,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="opportunity.generate_order",
        changes={"order": (None, order.pk)},
    )
    return order


def order_payment_status(*, status: str, total: Decimal, paid: Decimal) -> str:
    """The status an order takes from its total and its Completed payments (Fulfilled/Cancelled stay)."""
    if status in CLOSED_STATUSES:
        return status
    if paid <= 0:
        return Order.Status.AWAITING_PAYMENT
    if paid >= total:
        return Order.Status.PAID_IN_FULL
    return Order.Status.PARTIALLY_PAID


def order_sync_status(*, order: Order, actor: User) -> Order:
    """Set a locked order's payment status from its Completed payments (Fulfilled/Cancelled stay).

    The payment statuses are calculated from the payments, so they are stored without a version
    bump: a payment never makes an order that someone has open stale. The change is audited."""
    if order.status in CLOSED_STATUSES:
        return order
    total, paid = order_amounts(order_id=order.pk)
    status = order_payment_status(status=order.status, total=total, paid=paid)
    if status == order.status:
        return order
    stored = record_set_derived(record=order, derived={"status": status}, actor=actor)
    audit.write_event(
        record=order, action=AuditEvent.Action.UPDATE, actor=actor, changes={"status": (order.status, status)}
    )
    return stored


def orders_sync_status(*, orders: list[Order], actor: User) -> None:
    """``order_sync_status`` for many locked orders (a batch of payments), set-based: their amounts
    read with one query, one update per new status, the audit events in one insert."""
    amounts = orders_amounts(order_ids=[order.pk for order in orders if order.status not in CLOSED_STATUSES])
    changed: dict[str, list[int]] = defaultdict(list)
    events = []
    for order in orders:
        if order.pk not in amounts:
            continue
        total, paid = amounts[order.pk]
        status = order_payment_status(status=order.status, total=total, paid=paid)
        if status != order.status:
            changed[status].append(order.pk)
            events.append(
                audit.build_event(
                    record=order,
                    action=AuditEvent.Action.UPDATE,
                    actor=actor,
                    changes={"status": (order.status, status)},
                )
            )
            order.status = status
    for status, ids in changed.items():
        record_set_derived_many(model=Order, ids=ids, derived={"status": status}, actor=actor)
    audit.write_events(events)


@transaction.atomic(durable=True)
def order_update(*, order_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Order:
    """Change an order's status by hand: only to Fulfilled (cancelling has its own action)."""
    refuse_fixed_fields(model=Order, data=data, editable=ORDER_EDITABLE, message=str(ORDER_FIXED_MESSAGE))
    order = order_lock(order_id=order_id)
    check_version(record=order, expected_version=expected_version)
    status = data.get("status", order.status)
    if status != order.status:
        if status == Order.Status.CANCELLED:
            # Seed 003 §1.7 clients cancel with `PUT {"status": "Cancelled"}`: the cancel action's rules.
            return _order_cancel_locked(order=order, expected_version=expected_version, actor=actor)
        if status in PAYMENT_STATUSES:
            raise ApplicationError(
                "status_follows_payments",
                _("The payment statuses follow the payments logged against the order."),
                {"status": _("This status is set from the payments; log or void a payment instead.")},
            )
        if order.status in CLOSED_STATUSES:
            raise InvalidStateTransition(
                "order_closed",
                _("A %(current)s order cannot change to '%(status)s'.")
                % {"current": order.status.lower(), "status": status},
            )
        if status == Order.Status.FULFILLED:
            _refuse_unpaid_fulfilment(order)
    return record_update(record=order, data=data, expected_version=expected_version, actor=actor)


def _refuse_unpaid_fulfilment(order: Order) -> None:
    total, paid = order_amounts(order_id=order.pk)
    if paid >= total:
        return
    if Organization.objects.filter(pk=order.organization_id, allow_fulfill_before_payment=True).exists():
        return
    raise InvalidStateTransition(
        "order_not_paid",
        _(
            "An order is fulfilled once it is paid in full; %(open)s is still open. An admin can allow fulfilling before payment in the organization settings."
        )
        % {"open": format(total - paid, ",.2f")},
    )


def payments_settle_for_cancel(*, payments: QuerySet[Payment], actor: User, what: str) -> None:
    """Before an order or contract is cancelled: refuse while money was received (it must be voided
    or refunded first), and void the payments still pending, in the caller's transaction."""
    open_payments = locks.payments_for_update(payments.exclude(status__in=[Payment.Status.VOID, Payment.Status.FAILED]))
    if any(payment.status == Payment.Status.COMPLETED for payment in open_payments):
        raise InvalidStateTransition(
            f"{what}_has_payments",
            _("This %(what)s has completed payments: void (or refund and void) them before cancelling it.")
            % {"what": DOCUMENT_KINDS[what]},
        )
    for payment in open_payments:
        record_update(
            record=payment, data={"status": Payment.Status.VOID}, expected_version=payment.version, actor=actor
        )


@transaction.atomic(durable=True)
def order_cancel(*, order_id: int, expected_version: int, actor: User) -> Order:
    """Cancel an order that is neither fulfilled nor paid; its pending payments are voided."""
    return _order_cancel_locked(order=order_lock(order_id=order_id), expected_version=expected_version, actor=actor)


def _order_cancel_locked(*, order: Order, expected_version: int, actor: User) -> Order:
    check_version(record=order, expected_version=expected_version)
    if order.status in CLOSED_STATUSES:
        raise InvalidStateTransition(
            "order_closed", _("A %(current)s order cannot be cancelled.") % {"current": order.status.lower()}
        )
    payments_settle_for_cancel(payments=Payment.objects.filter(order=order), actor=actor, what="order")
    order = record_update(
        record=order, data={"status": Order.Status.CANCELLED}, expected_version=expected_version, actor=actor
    )
    audit.write_event(record=order, action=AuditEvent.Action.ACTION, actor=actor, name="order.cancel")
    return order
