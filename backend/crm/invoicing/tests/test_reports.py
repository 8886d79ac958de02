from __future__ import annotations

import datetime
from decimal import Decimal

from crm.billing.models import ContractLineItem

from ..services.retainers import retainer_billing_run
from .factories import ContractFactory, PaymentFactory


def _contract(user, start, end, price, cycle="Monthly"):
    contract = ContractFactory(owner=user, start_date=start, end_date=end, billing_cycle=cycle)
    ContractLineItem.all_orgs.filter(contract=contract).delete()
    ContractLineItem.all_orgs.create(
        organization_id=contract.organization_id,
        contract=contract,
        product_id=_product(user),
        quantity=1,
        price_per_cycle=price,
    )
    return contract


def _product(user):
    from .factories import ProductFactory

    return ProductFactory(owner=user).pk


def test_mrr_new_expansion_churn(api, user, in_org):
    first = _contract(user, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), Decimal("1000"))
    second = _contract(user, datetime.date(2026, 2, 1), datetime.date(2026, 12, 31), Decimal("500"))
    second.account = first.account
    second.save()
    _contract(user, datetime.date(2026, 2, 1), datetime.date(2027, 1, 31), Decimal("1200"), cycle="Annually")
    response = api.get("/api/v1/reports/mrr", {"start": "2026-01", "months": 4})
    assert response.status_code == 200, response.data
    months = {row["month"]: row for row in response.data["months"]}
    assert months["2026-01"]["mrr"] == "1000.00" and months["2026-01"]["new"] == "1000.00"
    assert months["2026-02"]["mrr"] == "1600.00"
    assert months["2026-02"]["expansion"] == "500.00" and months["2026-02"]["new"] == "100.00"
    assert months["2026-04"]["mrr"] == "600.00"
    assert months["2026-04"]["contraction"] == "1000.00"
    bad = api.get("/api/v1/reports/mrr", {"start": "2026-13"})
    assert bad.status_code == 400 and "start" in bad.data["errors"]


def test_retainer_invoiced_next_to_paid(api, user, in_org, org):
    contract = _contract(user, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), Decimal("100"))
    retainer_billing_run(organization_id=org.pk, today=datetime.date(2026, 2, 15))
    invoice = contract.invoices.order_by("service_period_start").first()
    payment = PaymentFactory(owner=user, contract=contract, amount=Decimal("120.00"))
    assert (
        api.post(f"/api/v1/invoices/{invoice.pk}/allocations", {"payment_id": payment.pk}, format="json").status_code
        == 201
    )
    report = api.get("/api/v1/reports/retainer-invoiced", {"year": 2026}).data
    assert report["invoiced"][:3] == ["120.00", "120.00", "0.00"]
    assert report["paid"][:2] == ["120.00", "0.00"]
    assert (report["total_invoiced"], report["total_paid"]) == ("240.00", "120.00")
    assert api.get("/api/v1/reports/retainer-invoiced").status_code == 400


def test_reports_are_per_organization(api, user, in_org, other_api):
    _contract(user, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), Decimal("100"))
    rows = other_api.get("/api/v1/reports/mrr", {"start": "2026-01", "months": 2}).data["months"]
    assert [row["mrr"] for row in rows] == ["0.00", "0.00"]
