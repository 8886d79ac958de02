"""Payment links: a Stripe Checkout session for an invoice's open balance, and what Stripe's events
about it do to the invoice (a completed checkout logs a Stripe payment through the invoice's payment
service; a refund voids it, or leaves a smaller payment for what was kept)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.billing.models import Payment
from crm.billing.services.payments import payment_update
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.core.scoping import org_scope
from crm.identity.models import User
from crm.invoicing.models import Invoice
from crm.invoicing.services.invoices import OPEN_STATUSES
from crm.invoicing.services.payments import invoice_log_payment

from ..models import PaymentLink
from . import client
from .webhooks import STALE_CLAIM, EventBusy

PAID_STATUSES = ("paid", "no_payment_required")


def _check_payable(invoice: Invoice) -> None:
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status not in OPEN_STATUSES:
        raise InvalidStateTransition(
            "invoice_not_open", _("Only an issued invoice with an open balance takes a payment link.")
        )
    if invoice.order_id is None and invoice.contract_id is None:
        raise InvalidStateTransition(
            "invoice_without_order",
            _("A payment is logged on an order or a contract: this invoice has neither, so it takes no payment link."),
        )
    if invoice.open_balance <= 0:
        raise InvalidStateTransition("invoice_not_open", _("Nothing is open on this invoice."))


def current_link(*, invoice: Invoice) -> PaymentLink | None:
    """The open link for the invoice's open balance as it is now (a link for another amount is stale)."""
    amount = client.minor_units(invoice.open_balance, invoice.currency)
    return (
        PaymentLink.objects.filter(
            invoice_id=invoice.pk,
            status=PaymentLink.Status.OPEN,
            amount_minor=amount,
            currency=invoice.currency.lower(),
        )
        .order_by("-created_at", "-id")
        .first()
    )


def payment_link_create(*, invoice_id: int, actor: User) -> tuple[PaymentLink, bool]:
    """The invoice's payment link: the open one for its balance, else a new Checkout session.

    The request to Stripe carries an idempotency key made of the invoice, the amount and the number
    of links before it, so a retried or concurrent request gets Stripe's same session back."""
    invoice = Invoice.objects.select_related("contact").get(pk=invoice_id)
    _check_payable(invoice)
    client.stripe_client()  # 409 stripe_not_configured before anything else
    existing = current_link(invoice=invoice)
    if existing is not None:
        return existing, False
    currency = invoice.currency.lower()
    amount = client.minor_units(invoice.open_balance, invoice.currency)
    earlier = PaymentLink.objects.filter(invoice_id=invoice.pk).count()
    key = f"crm-{invoice.organization_id}-invoice-{invoice.pk}-{currency}{amount}-{earlier + 1}"
    return_url = settings.STRIPE_CHECKOUT_RETURN_URL or settings.CRM_BASE_URL
    metadata = {"invoice_id": str(invoice.pk), "organization_id": str(invoice.organization_id), "crm_link": key}
    params: dict[str, Any] = {
        "mode": "payment",
        "client_reference_id": str(invoice.pk),
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency,
                    "unit_amount": amount,
                    "product_data": {"name": _("Invoice %(number)s") % {"number": invoice.number}},
                },
            }
        ],
        "success_url": f"{return_url.rstrip('/')}/?paid={invoice.number}",
        "cancel_url": f"{return_url.rstrip('/')}/",
    }
    if invoice.contact is not None and invoice.contact.email:
        params["customer_email"] = invoice.contact.email
    session = client.call(
        lambda stripe_client: stripe_client.v1.checkout.sessions.create(params, {"idempotency_key": key})  # type: ignore[arg-type]
    )
    if not session.url:
        raise ApplicationError("stripe_error", _("Stripe answered without a payment page."), status_code=502)
    try:
        with transaction.atomic():
            link = PaymentLink.objects.create(
                invoice_id=invoice.pk,
                session_id=session.id,
                url=session.url,
                amount_minor=amount,
                currency=currency,
                idempotency_key=key,
                created_by=actor,
            )
    except IntegrityError:  # a concurrent request stored Stripe's same session first
        return PaymentLink.objects.get(idempotency_key=key), False
    return link, True


def invoice_pay_online(invoice: Invoice, language: str) -> dict[str, Any]:
    """The "pay online" link printed on an open invoice and in its mail (see invoicing's document extras)."""
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status not in OPEN_STATUSES or invoice.open_balance <= 0:
        return {}
    link = current_link(invoice=invoice)
    if link is None:
        return {}
    with translation.override(language):
        return {"pay_online": {"label": _("Pay online"), "url": link.url}}


# --- webhook events ------------------------------------------------------------------------------
@contextmanager
def _busy(link: PaymentLink) -> Iterator[PaymentLink]:
    """This delivery alone applies events to ``link`` for the block (another gets a 409 and is retried)."""
    now = timezone.now()
    taken = PaymentLink.all_orgs.filter(pk=link.pk).filter(busy_since__isnull=True).update(
        busy_since=now
    ) or PaymentLink.all_orgs.filter(pk=link.pk, busy_since__lt=now - STALE_CLAIM).update(busy_since=now)
    if not taken:
        raise EventBusy()
    try:
        with org_scope(link.organization_id):
            yield PaymentLink.all_orgs.get(pk=link.pk)
    finally:
        PaymentLink.all_orgs.filter(pk=link.pk).update(busy_since=None)


def _link_for(obj: dict[str, Any]) -> PaymentLink | None:
    if obj.get("object") == "checkout.session":
        return PaymentLink.all_orgs.filter(session_id=str(obj.get("id"))).first()
    metadata = obj.get("metadata") or {}
    key = metadata.get("crm_link") if isinstance(metadata, dict) else None
    if key:
        return PaymentLink.all_orgs.filter(idempotency_key=str(key)).first()
    intent = obj.get("payment_intent")
    return PaymentLink.all_orgs.filter(payment_intent=str(intent)).first() if intent else None


def _minor(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApplicationError("invalid_payload", _("The webhook body is not a Stripe event."))
    return value


def _reconcile(link: PaymentLink, *, paid_on: datetime.date) -> str:
    """Make the invoice's Stripe payment what Stripe kept: paid minus refunded. Idempotent: run again
    after a crash halfway, it finishes the job (a payment voided, the smaller one logged)."""
    target = max(link.paid_minor - link.refunded_minor, 0)
    payment = Payment.objects.filter(pk=link.payment_id).first() if link.payment_id else None
    transaction_id = link.payment_intent or link.session_id
    if payment is None:
        # A payment logged by a delivery that died before noting it on the link.
        payment = (
            Payment.objects.filter(
                transaction_id=transaction_id,
                payment_method=Payment.Method.STRIPE,
                status=Payment.Status.COMPLETED,
                allocations__invoice_id=link.invoice_id,
            )
            .order_by("-id")
            .first()
        )
    actor = User.objects.get(pk=link.created_by_id)
    current = 0
    if payment is not None and payment.status == Payment.Status.COMPLETED:
        current = client.minor_units(payment.amount, link.currency)
    if payment is not None and current == target:
        PaymentLink.all_orgs.filter(pk=link.pk).update(payment=payment)
        return "in step"
    if payment is not None and payment.status == Payment.Status.COMPLETED:
        payment_update(
            payment_id=payment.pk,
            data={"status": Payment.Status.VOID},
            expected_version=payment.version,
            actor=actor,
        )
    if target == 0:
        PaymentLink.all_orgs.filter(pk=link.pk).update(payment=payment)
        return "payment voided" if payment is not None else "nothing kept"
    notes = _("Stripe Checkout %(session)s") % {"session": link.session_id}
    if link.refunded_minor:
        notes = _("Stripe Checkout %(session)s, after a refund") % {"session": link.session_id}
    allocation = invoice_log_payment(
        invoice_id=link.invoice_id,
        data={
            "amount": client.from_minor_units(target, link.currency),
            "payment_date": payment.payment_date if payment is not None else paid_on,
            "payment_method": Payment.Method.STRIPE,
            "transaction_id": transaction_id,
            "notes": notes,
        },
        actor=actor,
    )
    PaymentLink.all_orgs.filter(pk=link.pk).update(payment_id=allocation.payment_id)
    return "payment logged"


def on_checkout_completed(obj: dict[str, Any], created: datetime.datetime) -> str:
    link = _link_for(obj)
    if link is None:
        return "not a link of this CRM"
    if obj.get("payment_status") not in PAID_STATUSES:
        return "awaiting payment"
    paid = _minor(obj.get("amount_total"))
    with _busy(link) as link:
        if link.paid_minor:
            return "already logged"
        link.paid_minor = paid
        link.payment_intent = str(obj.get("payment_intent") or "")
        PaymentLink.all_orgs.filter(pk=link.pk).update(paid_minor=paid, payment_intent=link.payment_intent)
        try:
            outcome = _reconcile(link, paid_on=timezone.localdate(created))
        except ApplicationError as exc:
            PaymentLink.all_orgs.filter(pk=link.pk).update(status=PaymentLink.Status.FAILED, problem=exc.message)
            return f"refused: {exc.code}"
        PaymentLink.all_orgs.filter(pk=link.pk).update(status=_settled_status(link), problem="")
        return outcome


def _settled_status(link: PaymentLink) -> str:
    if link.refunded_minor and link.refunded_minor >= link.paid_minor:
        return PaymentLink.Status.REFUNDED
    if link.refunded_minor:
        return PaymentLink.Status.PARTIALLY_REFUNDED
    return PaymentLink.Status.PAID


def on_checkout_expired(obj: dict[str, Any], created: datetime.datetime) -> str:
    link = _link_for(obj)
    if link is None:
        return "not a link of this CRM"
    expired = PaymentLink.all_orgs.filter(pk=link.pk, status=PaymentLink.Status.OPEN, paid_minor=0).update(
        status=PaymentLink.Status.EXPIRED
    )
    return "expired" if expired else "already settled"


def on_charge_refunded(obj: dict[str, Any], created: datetime.datetime) -> str:
    """A refund (whole or part) of a link's payment; ``amount_refunded`` is Stripe's running total,
    so an older event arriving late never undoes a newer one."""
    link = _link_for(obj)
    if link is None:
        return "not a link of this CRM"
    refunded = _minor(obj.get("amount_refunded"))
    with _busy(link) as link:
        if refunded <= link.refunded_minor:
            return "refund known"
        link.refunded_minor = refunded
        fields: dict[str, Any] = {"refunded_minor": refunded}
        if not link.payment_intent and obj.get("payment_intent"):
            link.payment_intent = fields["payment_intent"] = str(obj["payment_intent"])
        PaymentLink.all_orgs.filter(pk=link.pk).update(**fields)
        if not link.paid_minor:
            return "refund kept until the checkout completes"
        outcome = _reconcile(link, paid_on=timezone.localdate(created))
        PaymentLink.all_orgs.filter(pk=link.pk).update(status=_settled_status(link))
        return outcome
