"""Building blocks shared by the invoicing services: totals, versions, line values."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.records.services import record_set_derived

from ..models import Invoice, InvoiceLineItem, Quote, QuoteLineItem, TaxCategory
from ..taxes import check_tax, document_totals

if TYPE_CHECKING:
    from crm.identity.models import User
    from crm.records.models import Record

LINE_FIELDS = ("product", "description", "quantity", "unit_price", "discount_percent", "vat_rate", "tax_category")
MAX_AMOUNT = Decimal("9999999999999999.99")


def check_version(*, record: Record, expected_version: int) -> None:
    if record.version != expected_version:
        raise VersionConflict(current_version=record.version)


def check_line_values(data: dict[str, Any], *, current: Any = None) -> None:
    def value(name: str, default: Any) -> Any:
        if name in data and data[name] is not None:
            return data[name]
        return getattr(current, name, default) if current is not None else default

    category = value("tax_category", TaxCategory.STANDARD)
    rate = Decimal(value("vat_rate", Decimal("20.00" if category == TaxCategory.STANDARD else "0")))
    check_tax(vat_rate=rate, tax_category=category)
    total = Decimal(value("quantity", 1)) * Decimal(value("unit_price", 0))
    if total > MAX_AMOUNT:
        raise ApplicationError(
            "amount_too_large",
            _("The line total is too large."),
            {
                "quantity": _("Quantity times unit price is too large."),
                "unit_price": _("Quantity times unit price is too large."),
            },
        )


def line_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """A zero-rated category gets rate 0 unless the caller gave one (and it is checked to be 0)."""
    values = dict(data)
    category = values.get("tax_category") or TaxCategory.STANDARD
    values["tax_category"] = category
    if values.get("vat_rate") is None:
        values["vat_rate"] = Decimal("20.00") if category == TaxCategory.STANDARD else Decimal("0.00")
    return values


def quote_refresh_totals(*, quote: Quote, actor: User) -> Quote:
    totals = document_totals(QuoteLineItem.all_orgs.filter(quote_id=quote.pk))
    return record_set_derived(
        record=quote,
        actor=actor,
        derived={"net_total": totals.net, "tax_total": totals.tax, "gross_total": totals.gross},
    )


def invoice_refresh_totals(*, invoice: Invoice, actor: User) -> Invoice:
    totals = document_totals(InvoiceLineItem.all_orgs.filter(invoice_id=invoice.pk))
    return record_set_derived(
        record=invoice,
        actor=actor,
        derived={"net_total": totals.net, "tax_total": totals.tax, "gross_total": totals.gross},
    )


def refuse_not_draft(invoice: Invoice) -> None:
    if invoice.status != Invoice.Status.DRAFT:
        raise InvalidStateTransition(
            "invoice_issued",
            _("Invoice %(number)s is issued and can no longer be changed; correct it with a credit note.")
            % {"number": invoice.number},
        )
