"""Calculated amounts that must fit the column they are stored in (or compared with).

Each input of a calculation fits its own column, yet a product or a sum may not: 9,999,999,999.99
units at 999,999,999,999.99 each is 22 digits, more than a money column of 18 holds. Stored
unchecked, PostgreSQL refuses the row (numeric field overflow) and SQLite cannot read it back:
a 500 either way. Services check a calculated amount before they write it.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError

# SQLite keeps a decimal column as a REAL and Django reads it back with 15 significant digits:
# 9,999,999,999,999,999.99 comes back as 1.00000000000000E+16, which no longer fits the column
# and cannot be read. An amount counts as fitting when it survives that on every database.
_STORED_DIGITS = decimal.Context(prec=15)


def largest(field: models.DecimalField[Any, Any]) -> Decimal:
    """The largest value ``field`` holds (999...9.99 for max_digits and decimal_places)."""
    places = field.decimal_places or 0
    return Decimal(10) ** (field.max_digits - places) - Decimal(1).scaleb(-places)


def fits(value: Decimal, field: models.DecimalField[Any, Any]) -> bool:
    """Whether ``value``, rounded to the field's decimal places, fits the field on every database."""
    value = Decimal(value)
    if not value.is_finite():
        return False
    places = field.decimal_places or 0
    bound = Decimal(10) ** (field.max_digits - places)
    if abs(value) >= bound:
        return False
    rounded = value.quantize(Decimal(1).scaleb(-places), context=decimal.Context(prec=field.max_digits + 1))
    return abs(rounded) < bound and abs(_STORED_DIGITS.create_decimal(rounded)) < bound


def require_fit(
    value: Decimal,
    field: models.DecimalField[Any, Any],
    *,
    fields: Iterable[str],
    what: str,
    code: str = "amount_too_large",
) -> Decimal:
    """``value`` unchanged when it fits ``field``; else ApplicationError (400) naming ``fields``."""
    if fits(value, field):
        return value
    message = _("%(what)s would be %(amount)s, more than an amount can hold.") % {
        "what": what,
        "amount": f"{Decimal(value):,.2f}",
    }
    raise ApplicationError(code, message, {name: [message] for name in fields})
