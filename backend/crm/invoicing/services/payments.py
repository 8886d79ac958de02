"""Payments settle invoices through allocations. A payment stays on its order or contract (so the
order's payment status follows it as before); an allocation says which invoice it pays."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.billing.models import Payment
from crm.billing.selectors import order_amounts
from crm.billing.services.payments import payment_add, payment_attribute_vat
from crm.core.errors import ApplicationError, InvalidStateTransition

from .. import locks
from ..models import Invoice, PaymentAllocation
from ..taxes import ZERO, money
from .invoices import OPEN_STATUSES, invoice_sync_status

if TYPE_CHECKING:
    from crm.identity.models import User


def _allocated(*, payment_id: int) -> Decimal:
    return money(PaymentAllocation.objects.filter(payment_id=payment_id).aggregate(total=Sum("amount"))["total"] or 0)


def invoice_refresh_paid(*, invoice: Invoice, actor: User) -> Invoice:
    """amount_paid from the allocations of Completed payments, then the status that follows."""
    paid = money(
        PaymentAllocation.objects.filter(invoice=invoice, payment__status=Payment.Status.COMPLETED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )
    Invoice.all_orgs.filter(pk=invoice.pk).update(amount_paid=paid)
    invoice.amount_paid = paid
    return invoice_sync_status(invoice=invoice, actor=actor)


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


@transaction.atomic
def invoice_log_payment_nested(*, invoice_id: int, data: dict[str, Any], actor: User) -> PaymentAllocation:
    """The building block behind ``invoice_log_payment``, for callers that already hold a transaction
    (a bank transaction matched to invoices logs its payments and its match in one transaction)."""
    invoice = Invoice.objects.get(pk=invoice_id)
    if invoice.order_id is None and invoice.contract_id is None:
        raise InvalidStateTransition(
            "invoice_without_order",
            _("A payment is logged on an order or a contract: log it there and allocate it to this invoice."),
        )
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise InvalidStateTransition(
            "invoice_not_open", _("A %(current)s invoice takes no payments.") % {"current": invoice.status.lower()}
        )
    values = dict(data)
    if values.get("amount") is None:
        values["amount"] = invoice.open_balance
    if Decimal(values["amount"]) > invoice.open_balance:
        raise ApplicationError(
            "payment_exceeds_balance",
            _("The payment is more than the invoice's open balance."),
            {
                "amount": _("At most %(open_balance)s is open on invoice %(number)s.")
                % {"open_balance": format(invoice.open_balance, ",.2f"), "number": invoice.number}
            },
        )
    if invoice.contract_id is not None:
        values.setdefault("service_period_start", invoice.service_period_start)
        values.setdefault("service_period_end", invoice.service_period_end)
    values.setdefault("notes", f"Invoice {invoice.number}")
    if invoice.order_id is not None:
        # An order's figures are net of VAT, its invoices' gross: the payment carries the invoice's
        # VAT in it, and the order counts the rest. Only what goes beyond the order's open balance
        # even so (the order was paid on the order as well) is an overpayment. The share follows
        # what the invoice is paid already: read under the order's lock, which every payment and
        # allocation of the order's invoices takes first.
        locks.order_for_update(order_id=invoice.order_id)
        invoice.refresh_from_db(fields=["amount_paid"])
        values["vat_amount"] = invoice_vat_share(invoice=invoice, amount=Decimal(values["amount"]))
        total, paid = order_amounts(order_id=invoice.order_id)
        values["is_overpayment"] = Decimal(values["amount"]) - values["vat_amount"] > total - paid
    payment = payment_add(data=values, actor=actor, order_id=invoice.order_id, contract_id=invoice.contract_id)
    if payment.status != Payment.Status.COMPLETED:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"status": _("A payment logged on an invoice is Completed.")},
        )
    invoice = locks.invoice_for_update(invoice_id=invoice_id)
    # The payment carries its VAT part from the start: allocating it attributes nothing more.
    return _allocate(invoice=invoice, payment=payment, amount=Decimal(values["amount"]), actor=actor)[0]


def invoice_unallocated(*, invoice: Invoice) -> Decimal:
    return max(invoice.open_balance, ZERO)
