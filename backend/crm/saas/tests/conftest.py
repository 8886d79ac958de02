from __future__ import annotations

import pytest

from crm.stripe_gateway.testing import StripeStandIn

WEBHOOK_SECRET = "whsec_test_saas"

SMALL_PLANS = [
    {"code": "free", "name": "Free", "seats": 3, "record_limit": 2, "features": [], "monthly_price": "0"},
    {
        "code": "team",
        "name": "Team",
        "seats": 5,
        "record_limit": 10,
        "features": ["ai"],
        "price_id": "price_team",
        "monthly_price": "29 EUR",
    },
    {
        "code": "business",
        "name": "Business",
        "seats": None,
        "record_limit": None,
        "features": ["ai", "marketing"],
        "price_id": "price_business",
        "monthly_price": "59 EUR",
    },
]


@pytest.fixture
def saas(settings):
    settings.SAAS_MODE = True
    settings.SAAS_PLANS = SMALL_PLANS
    return settings


@pytest.fixture
def stripe_api(saas):
    with StripeStandIn() as stand_in:
        saas.STRIPE_SECRET_KEY = "sk_test_saas"
        saas.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        saas.STRIPE_API_BASE = stand_in.base_url
        saas.STRIPE_MAX_NETWORK_RETRIES = 0
        yield stand_in
