"""Extra values for an invoice's PDF and mail from the apps built on invoicing (Stripe's "pay online"
link). An app registers a function from its AppConfig.ready(); each returns a dict merged into the
invoice's document context (``pay_online``: ``{"label", "url"}`` is printed by the default template)
and may give lines appended to the invoice's mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import Invoice

InvoiceExtra = Callable[["Invoice", str], dict[str, Any]]

_extras: dict[str, InvoiceExtra] = {}


def register_invoice_extra(name: str, extra: InvoiceExtra) -> None:
    """``extra(invoice, language)`` adds values to the invoice's document (registering again replaces it)."""
    _extras[name] = extra


def invoice_extras(*, invoice: Invoice, language: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for extra in _extras.values():
        values.update(extra(invoice, language))
    return values


def invoice_mail_lines(*, invoice: Invoice, language: str) -> list[str]:
    """The lines an invoice's mail adds below its message (the "pay online" link)."""
    pay_online = invoice_extras(invoice=invoice, language=language).get("pay_online")
    return [f"{pay_online['label']}: {pay_online['url']}"] if pay_online else []
