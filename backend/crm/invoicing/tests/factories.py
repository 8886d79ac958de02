from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.accounts.tests.factories import ContactFactory
from crm.billing.tests.factories import ContractFactory, OrderFactory, PaymentFactory, ProductFactory, won_opportunity

__all__ = ["ContactFactory", "ContractFactory", "OrderFactory", "PaymentFactory", "ProductFactory"]


def open_opportunity(owner, *, lines=((Decimal("2"), Decimal("500.00")),), **kwargs):
    return won_opportunity(owner, lines=lines, stage="Proposal", probability=50, **kwargs)


def quote_body(opportunity, **extra):
    return {
        "opportunity_id": opportunity.pk,
        "name": "Website relaunch",
        "expiration_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        **extra,
    }


def draft_invoice(api, account, lines=None):
    body = {
        "account_id": account.pk,
        "line_items": lines
        or [
            {"description": "Design", "quantity": "2", "unit_price": "100.00"},
            {"description": "Hosting", "quantity": "1", "unit_price": "50.00", "vat_rate": "0", "tax_category": "AE"},
        ],
    }
    response = api.post("/api/v1/invoices", body, format="json")
    assert response.status_code == 201, response.data
    return response.data
