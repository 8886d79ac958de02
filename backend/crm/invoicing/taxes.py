# ruff: noqa: RUF001  (Bulgarian text is written in Cyrillic on purpose)
"""Line amounts, the VAT summary per category and rate, and the totals of a document (EN 16931).

Each line's net amount is quantity x unit price less its discount, rounded to the cent. VAT is
calculated per category and rate on the sum of the net amounts in it (the VAT breakdown, BG-23),
and the document totals are the sums of the breakdown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError

from .models import TaxCategory

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

# Categories without VAT; each prints its reason on the document (EN 16931 BT-120).
ZERO_RATED = frozenset(
    {
        TaxCategory.ZERO,
        TaxCategory.EXEMPT,
        TaxCategory.REVERSE_CHARGE,
        TaxCategory.INTRA_COMMUNITY,
        TaxCategory.OUTSIDE_SCOPE,
    }
)
LEGAL_NOTES: dict[str, dict[str, str]] = {
    "en": {
        "Z": "Zero-rated supply.",
        "E": "Exempt from VAT.",
        "AE": "Reverse charge: VAT to be accounted for by the recipient (Art. 196 of Directive 2006/112/EC).",
        "K": "Intra-community supply exempt from VAT (Art. 138 of Directive 2006/112/EC).",
        "O": "Not subject to VAT (outside the scope of VAT).",
    },
    "bg": {
        "Z": "Доставка с нулева ставка.",
        "E": "Освободена доставка.",
        "AE": "Обратно начисляване: ДДС се начислява от получателя (чл. 196 от Директива 2006/112/ЕО).",
        "K": "Вътреобщностна доставка, освободена от ДДС (чл. 138 от Директива 2006/112/ЕО).",
        "O": "Доставка извън обхвата на ДДС.",
    },
}


class PricedLine(Protocol):
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    vat_rate: Decimal
    tax_category: str


def money(value: Any) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_net(line: PricedLine) -> Decimal:
    gross = Decimal(line.quantity) * Decimal(line.unit_price)
    return money(gross * (HUNDRED - Decimal(line.discount_percent)) / HUNDRED)


def line_discount(line: PricedLine) -> Decimal:
    return money(Decimal(line.quantity) * Decimal(line.unit_price)) - line_net(line)


@dataclass(frozen=True)
class RateSummary:
    category: str
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class DocumentTotals:
    subtotal: Decimal  # before discounts
    discount: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal
    summary: tuple[RateSummary, ...]


def document_totals(lines: Iterable[PricedLine]) -> DocumentTotals:
    groups: dict[tuple[str, Decimal], Decimal] = {}
    subtotal = discount = ZERO
    for line in lines:
        net = line_net(line)
        subtotal += money(Decimal(line.quantity) * Decimal(line.unit_price))
        discount += line_discount(line)
        key = (str(line.tax_category), Decimal(line.vat_rate).quantize(CENT))
        groups[key] = groups.get(key, ZERO) + net
    summary = tuple(
        RateSummary(category=category, rate=rate, base=base, tax=money(base * rate / HUNDRED))
        for (category, rate), base in sorted(groups.items(), key=lambda item: (-item[0][1], item[0][0]))
    )
    net_total = sum((row.base for row in summary), ZERO)
    tax_total = sum((row.tax for row in summary), ZERO)
    return DocumentTotals(
        subtotal=subtotal, discount=discount, net=net_total, tax=tax_total, gross=net_total + tax_total, summary=summary
    )


def check_tax(*, vat_rate: Decimal, tax_category: str, prefix: str = "") -> None:
    """A standard-rated line has a rate above zero; every other category has none (EN 16931 BR-S/Z/E/AE/K/O)."""
    if tax_category == TaxCategory.STANDARD and vat_rate <= 0:
        raise ApplicationError(
            "invalid_vat",
            _("Please correct the errors below."),
            {f"{prefix}vat_rate": _("A standard-rated line needs a VAT rate above 0.")},
        )
    if tax_category in ZERO_RATED and vat_rate != 0:
        raise ApplicationError(
            "invalid_vat",
            _("Please correct the errors below."),
            {f"{prefix}vat_rate": _("VAT category %(tax_category)s has a rate of 0.") % {"tax_category": tax_category}},
        )


def legal_notes(categories: Iterable[str], language: str) -> list[str]:
    notes = LEGAL_NOTES.get(language, LEGAL_NOTES["en"])
    return [notes[category] for category in sorted(set(categories)) if category in notes]
