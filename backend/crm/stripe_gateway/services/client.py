"""The one way to Stripe's API: the official library, with the key and base URL from the settings.

``STRIPE_API_BASE`` points the library elsewhere than api.stripe.com (a local stand-in in tests).
Stripe's own failures become a 502 the caller can show; the request never holds a database transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import stripe
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status

from crm.core.errors import ApplicationError

T = TypeVar("T")

# Currencies Stripe counts in whole units, and those with three decimals (ISO 4217 exponents).
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})


def minor_units(amount: Decimal, currency: str) -> int:
    """An amount in the currency's minor units (cents), as Stripe expects it."""
    exponent = 0 if currency.upper() in ZERO_DECIMAL else 3 if currency.upper() in THREE_DECIMAL else 2
    return int((amount * (10**exponent)).to_integral_value())


def from_minor_units(amount: int, currency: str) -> Decimal:
    exponent = 0 if currency.upper() in ZERO_DECIMAL else 3 if currency.upper() in THREE_DECIMAL else 2
    value: Decimal = (Decimal(amount) / (10**exponent)).quantize(Decimal("0.01"))
    return value


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    if not is_configured():
        raise ApplicationError(
            "stripe_not_configured",
            _("Online payments are not set up: the Stripe secret key is missing."),
            status_code=status.HTTP_409_CONFLICT,
        )
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def call(request: Callable[[stripe.StripeClient], T]) -> T:
    """Run one request against Stripe; its errors become a clear 502."""
    client = stripe_client()
    try:
        return request(client)
    except stripe.StripeError as exc:
        message = exc.user_message or _("Stripe did not accept the request.")
        raise ApplicationError(
            "stripe_error",
            _("Stripe answered with an error: %(message)s") % {"message": message},
            status_code=status.HTTP_502_BAD_GATEWAY,
        ) from exc
