"""Payments settle invoices through allocations. A payment stays on its order or contract (so the
order's payment status follows it as before); an allocation says which invoice it pays."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.billing.models import Payment
from crm.billing.selectors import orders_amounts
from crm.billing.services.payments import payment_attribute_vat, payments_add_many
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.records.services import record_set_derived_many

from .. import locks
from ..models import Invoice, PaymentAllocation
from ..taxes import ZERO, money
from .invoices import OPEN_STATUSES, invoice_status_for

if TYPE_CHECKING:
    from crm.identity.models import User


def _allocated(*, payment_id: int) -> Decimal:
    return money(PaymentAllocation.objects.filter(payment_id=payment_id).aggregate(total=Sum("amount"))["total"] or 0)


def invoice_refresh_paid(*, invoice: Invoice, actor: User) -> Invoice:
    """amount_paid from the allocations of Completed payments, then the status that follows."""
    invoices_refresh_paid(invoices=[invoice], actor=actor)
    return invoice


def _refresh_events(*, invoices: list[Invoice], actor: User) -> list[AuditEvent]:
    """Set-based: each locked invoice's amount_paid from the allocations of Completed payments (one
    update), then the status that follows (one update per new status). Returns the audit events of
    the status changes, not saved yet; the invoices are updated in place."""
    if not invoices:
        return []
    ids = [invoice.pk for invoice in invoices]
    paid = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"), payment__status=Payment.Status.COMPLETED)
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    Invoice.all_orgs.filter(pk__in=ids).update(
        amount_paid=Coalesce(Subquery(paid), Value(ZERO), output_field=Invoice._meta.get_field("amount_paid"))
    )
    stored = dict(Invoice.all_orgs.filter(pk__in=ids).values_list("pk", "amount_paid"))
    today = timezone.localdate()
    changed: dict[str, list[int]] = defaultdict(list)
    events = []
    for invoice in invoices:
        invoice.amount_paid = money(stored[invoice.pk])
        status = invoice_status_for(invoice, today=today)
        if status != invoice.status:
            changed[status].append(invoice.pk)
            events.append(
                audit.build_event(
                    record=invoice,
                    action=AuditEvent.Action.UPDATE,
                    actor=actor,
                    changes={"status": (invoice.status, status)},
                )
            )
            invoice.status = status
    for status, pks in changed.items():
        record_set_derived_many(model=Invoice, ids=pks, derived={"status": status}, actor=actor)
    return events


def invoices_refresh_paid(*, invoices: list[Invoice], actor: User) -> list[Invoice]:
    """``invoice_refresh_paid`` for many locked invoices: amounts and statuses set-based, the audit in one insert."""
    audit.write_events(_refresh_events(invoices=invoices, actor=actor))
    return invoices


def _check_payment_fits(invoice: Invoice, payment: Payment) -> None:
    if payment.status != Payment.Status.COMPLETED:
        raise InvalidStateTransition("payment_not_completed", _("Only a completed payment settles an invoice."))
    if invoice.order_id is not None and payment.order_id != invoice.order_id:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"payment_id": _("Choose a payment of the invoice's order.")},
        )
    if invoice.contract_id is not None and payment.contract_id != invoice.contract_id:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"payment_id": _("Choose a payment of the invoice's contract.")},
        )
    if invoice.order_id is None and invoice.contract_id is None:
        parent = payment.order or payment.contract
        if parent is None or parent.account_id != invoice.account_id:
            raise ApplicationError(
                "validation_error",
                _("Please correct the errors below."),
                {"payment_id": _("Choose a payment of the invoice's account.")},
            )


def invoice_vat_share(*, invoice: Invoice, amount: Decimal, paid_before: Decimal | None = None) -> Decimal:
    """The VAT in ``amount`` paid on top of what the invoice is paid already: the invoice's VAT in
    proportion to its gross total, rounded on the running total paid, so that the parts of the
    payments of a fully paid invoice add up to its VAT to the cent.

    Only an order's invoice has one: its order counts the payments net of it (the rule in
    ``crm.billing.services.payments``). A contract's payments count as received."""
    if invoice.order_id is None or invoice.gross_total <= 0:
        return ZERO
    before = invoice.amount_paid if paid_before is None else paid_before

    def vat_in(paid: Decimal) -> Decimal:
        return money(paid * invoice.tax_total / invoice.gross_total)

    return min(max(vat_in(before + amount) - vat_in(before), ZERO), amount)


def allocate_locked(*, invoice: Invoice, payment: Payment, amount: Decimal | None, actor: User) -> PaymentAllocation:
    """Allocate (part of) a locked payment to a locked invoice; the VAT in it is attributed to the
    payment, so that its order counts it net (the caller holds the order's lock as well)."""
    before = invoice.amount_paid
    allocation, allocated = _allocate(invoice=invoice, payment=payment, amount=amount, actor=actor)
    if payment.order_id is not None and payment.order_id == invoice.order_id:
        share = invoice_vat_share(invoice=invoice, amount=allocated, paid_before=before)
        payment_attribute_vat(payment=payment, vat_amount=payment.vat_amount + share, actor=actor)
    return allocation


def _allocate(
    *, invoice: Invoice, payment: Payment, amount: Decimal | None, actor: User
) -> tuple[PaymentAllocation, Decimal]:
    """The allocation and the amount it took now, without attributing VAT to the payment."""
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise InvalidStateTransition(
            "invoice_not_open", _("A %(current)s invoice takes no payments.") % {"current": invoice.status.lower()}
        )
    _check_payment_fits(invoice, payment)
    free = payment.amount - _allocated(payment_id=payment.pk)
    balance = invoice.open_balance
    amount = min(free, balance) if amount is None else amount
    errors = {}
    if amount <= 0:
        errors["amount"] = _("Nothing of this payment is left to allocate.") if free <= 0 else _("Must be more than 0.")
    elif amount > free:
        errors["amount"] = _("At most %(free)s of this payment is not allocated yet.") % {"free": format(free, ",.2f")}
    elif amount > balance:
        errors["amount"] = _("At most %(balance)s is open on invoice %(number)s.") % {
            "balance": format(balance, ",.2f"),
            "number": invoice.number,
        }
    if errors:
        raise ApplicationError("validation_error", _("Please correct the errors below."), errors)
    existing = PaymentAllocation.objects.filter(payment=payment, invoice=invoice).first()
    if existing is not None:
        existing.amount += amount
        existing.save(update_fields=["amount"])
        allocation = existing
    else:
        allocation = PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=amount, created_by=actor)
    invoice_refresh_paid(invoice=invoice, actor=actor)
    audit.write_event(
        record=invoice,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="invoice.allocate_payment",
        changes={"payment": (None, payment.pk), "amount": (None, str(amount))},
    )
    return allocation, amount


@transaction.atomic(durable=True)
def invoice_allocate(*, invoice_id: int, payment_id: int, amount: Decimal | None, actor: User) -> PaymentAllocation:
    """Allocate (part of) a completed payment of the invoice's order, contract or account to the invoice."""
    parent = Payment.objects.values("order_id", "contract_id").get(pk=payment_id)
    if parent["order_id"]:
        locks.order_for_update(order_id=parent["order_id"])
    else:
        locks.contract_for_update(contract_id=parent["contract_id"])
    payment = locks.payment_for_update(payment_id=payment_id)
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    return allocate_locked(invoice=invoice, payment=payment, amount=amount, actor=actor)


@transaction.atomic(durable=True)
def invoice_log_payment(*, invoice_id: int, data: dict[str, Any], actor: User) -> PaymentAllocation:
    """Log money received for the invoice on its order or contract and allocate it, in one transaction.

    The order's payment status follows the payment as for any payment of the order (seed 003)."""
    return invoice_log_payment_nested(invoice_id=invoice_id, data=data, actor=actor)


@dataclass(frozen=True)
class InvoicePayment:
    """Money received for one invoice: ``data`` holds the payment's fields (``amount`` None: the open
    balance), as for ``invoice_log_payment``."""

    invoice_id: int
    data: dict[str, Any]


@transaction.atomic
def invoice_log_payment_nested(*, invoice_id: int, data: dict[str, Any], actor: User) -> PaymentAllocation:
    """The building block behind ``invoice_log_payment``, for callers that already hold a transaction:
    the batch below with one payment."""
    return invoice_log_payments_nested(items=[InvoicePayment(invoice_id, data)], actor=actor)[0]


def _refuse(invoice: Invoice) -> None:
    if invoice.order_id is None and invoice.contract_id is None:
        raise InvalidStateTransition(
            "invoice_without_order",
            _("A payment is logged on an order or a contract: log it there and allocate it to this invoice."),
        )
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise InvalidStateTransition(
            "invoice_not_open", _("A %(current)s invoice takes no payments.") % {"current": invoice.status.lower()}
        )


@transaction.atomic
def invoice_log_payments_nested(*, items: list[InvoicePayment], actor: User) -> list[PaymentAllocation]:
    """Log money received for many invoices, each payment on its invoice's order or contract and
    allocated to it, in the caller's transaction (a bank statement's matches; a manual payment is a
    batch of one). The orders and contracts are locked once in id order, then the invoices; the
    payments, allocations and audit events are inserted in bulk and the invoices' amounts and statuses
    are recalculated set-based. Returns the allocations in the order of ``items``.

    The order's payment status follows the payment as for any payment of the order (seed 003)."""
    if not items:
        return []
    ids = sorted({item.invoice_id for item in items})
    parents = {
        row[0]: row[1:] for row in Invoice.objects.filter(pk__in=ids).values_list("pk", "order_id", "contract_id")
    }
    missing = [pk for pk in ids if pk not in parents]
    if missing:
        raise Invoice.DoesNotExist(f"Invoice {missing[0]} does not exist.")
    order_ids = sorted({order for order, _contract in parents.values() if order is not None})
    contract_ids = sorted({contract for _order, contract in parents.values() if contract is not None})
    locks.parents_for_update(order_ids=order_ids, contract_ids=contract_ids)
    invoices = {invoice.pk: invoice for invoice in locks.invoices_for_update(invoice_ids=ids)}
    order_open = {pk: total - paid for pk, (total, paid) in orders_amounts(order_ids=order_ids).items()}
    balances = {pk: invoice.open_balance for pk, invoice in invoices.items()}
    paid_in_batch: dict[int, Decimal] = defaultdict(lambda: ZERO)
    entries: list[tuple[int | None, int | None, dict[str, Any]]] = []
    amounts: list[Decimal] = []
    for item in items:
        invoice = invoices[item.invoice_id]
        _refuse(invoice)
        values = dict(item.data)
        balance = balances[invoice.pk]
        amount = balance if values.get("amount") is None else Decimal(values["amount"])
        if amount <= 0:
            raise ApplicationError(
                "validation_error", _("Please correct the errors below."), {"amount": _("Must be more than 0.")}
            )
        if amount > balance:
            raise ApplicationError(
                "payment_exceeds_balance",
                _("The payment is more than the invoice's open balance."),
                {
                    "amount": _("At most %(open_balance)s is open on invoice %(number)s.")
                    % {"open_balance": format(balance, ",.2f"), "number": invoice.number}
                },
            )
        if values.get("status", Payment.Status.COMPLETED) != Payment.Status.COMPLETED:
            raise ApplicationError(
                "validation_error",
                _("Please correct the errors below."),
                {"status": _("A payment logged on an invoice is Completed.")},
            )
        balances[invoice.pk] = balance - amount
        values["amount"] = amount
        if invoice.contract_id is not None:
            values.setdefault("service_period_start", invoice.service_period_start)
            values.setdefault("service_period_end", invoice.service_period_end)
        values.setdefault("notes", f"Invoice {invoice.number}")
        if invoice.order_id is not None:
            # An order's figures are net of VAT, its invoices' gross: the payment carries the
            # invoice's VAT in it, and the order counts the rest. Only what goes beyond the order's
            # open balance even so (the order was paid on the order as well) is an overpayment. The
            # share follows what the invoice is paid already (read under the order's lock, which
            # every payment and allocation of the order's invoices takes first), then what the
            # batch paid of it before this item.
            paid_before = invoice.amount_paid + paid_in_batch[invoice.pk]
            values["vat_amount"] = invoice_vat_share(invoice=invoice, amount=amount, paid_before=paid_before)
            net = amount - values["vat_amount"]
            values["is_overpayment"] = net > order_open[invoice.order_id]
            order_open[invoice.order_id] -= net
        paid_in_batch[invoice.pk] += amount
        entries.append((invoice.order_id, invoice.contract_id, values))
        amounts.append(amount)
    payments = payments_add_many(entries=entries, actor=actor)
    allocations = PaymentAllocation.objects.bulk_create(
        [
            PaymentAllocation(payment=payment, invoice_id=item.invoice_id, amount=amount, created_by=actor)
            for item, payment, amount in zip(items, payments, amounts, strict=True)
        ],
        batch_size=1000,
    )
    touched = [invoices[pk] for pk in ids]
    events = _refresh_events(invoices=touched, actor=actor)
    events.extend(
        audit.build_event(
            record=invoices[item.invoice_id],
            action=AuditEvent.Action.ACTION,
            actor=actor,
            name="invoice.allocate_payment",
            changes={"payment": (None, payment.pk), "amount": (None, str(amount))},
        )
        for item, payment, amount in zip(items, payments, amounts, strict=True)
    )
    audit.write_events(events)
    return allocations


def invoice_unallocated(*, invoice: Invoice) -> Decimal:
    return max(invoice.open_balance, ZERO)
