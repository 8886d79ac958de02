from __future__ import annotations

import pytest

from crm.invoicing.tests.factories import OrderFactory

from ..testing import StripeStandIn

WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def stripe_api(settings):
    with StripeStandIn() as stand_in:
        settings.STRIPE_SECRET_KEY = "sk_test_crm"
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_API_BASE = stand_in.base_url
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        yield stand_in


@pytest.fixture
def issued_invoice(api, user, in_org):
    """An issued invoice of an order: 1000.00 net, 1200.00 with VAT."""
    from decimal import Decimal

    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    issued = api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
    assert issued.status_code == 200, issued.data
    return issued.data
