from __future__ import annotations

import datetime
from decimal import Decimal

from crm.records.scoping import org_scope
from crm.records.testing import count_queries

from .factories import ContractFactory, OrderFactory, PaymentFactory

URL = "/api/v1/reports/retainer-payments"


def period(year, month):
    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return {"service_period_start": start, "service_period_end": end}


def test_retainer_grid_per_account_and_month(api, user, in_org, other_user):
    # given two accounts paying retainers, plus payments that must not count
    alpha = ContractFactory(owner=user, account__name="Alpha Ltd")
    beta = ContractFactory(owner=user, account__name="Beta Ltd")
    for month in (1, 2, 3):
        PaymentFactory(owner=user, contract=alpha, amount=Decimal("500.00"), **period(2025, month))
    PaymentFactory(owner=user, contract=alpha, amount=Decimal("250.00"), **period(2025, 3))
    beta_order = OrderFactory(owner=user, account=beta.account)
    PaymentFactory(owner=user, order=beta_order, amount=Decimal("1000.00"), **period(2025, 12))
    PaymentFactory(owner=user, contract=beta, amount=Decimal("9.00"), status="Void", **period(2025, 5))
    PaymentFactory(owner=user, contract=beta, amount=Decimal("9.00"), status="Pending", **period(2025, 5))
    PaymentFactory(owner=user, contract=beta, amount=Decimal("9.00"), **period(2024, 12))
    PaymentFactory(owner=user, contract=beta, amount=Decimal("9.00"))  # no service period
    with org_scope(other_user.organization_id):
        PaymentFactory(owner=other_user, amount=Decimal("77.00"), **period(2025, 1))

    # when
    with count_queries() as queries:
        response = api.get(URL, {"year": 2025})

    # then
    assert response.status_code == 200
    body = response.data
    assert body["year"] == 2025
    assert body["months"] == list(range(1, 13))
    assert [row["account_name"] for row in body["rows"]] == ["Alpha Ltd", "Beta Ltd"]
    alpha_row, beta_row = body["rows"]
    assert alpha_row["account_id"] == alpha.account_id
    assert alpha_row["months"][:4] == ["500.00", "500.00", "750.00", "0.00"]
    assert alpha_row["total"] == "1750.00"
    assert beta_row["months"][11] == "1000.00"
    assert beta_row["total"] == "1000.00"
    assert body["totals"]["months"][0] == "500.00"
    assert body["totals"]["months"][11] == "1000.00"
    assert body["totals"]["total"] == "2750.00"
    assert queries.count <= 4  # token lookups plus one report query


def test_year_is_required_and_bounded(api, anon):
    assert api.get(URL).status_code == 400
    for year in ("1999", "2101", "soon"):
        response = api.get(URL, {"year": year})
        assert response.status_code == 400
        assert "year" in response.data["errors"]
    assert anon.get(URL, {"year": 2025}).status_code == 401


def test_empty_year(api):
    body = api.get(URL, {"year": 2030}).data
    assert body["rows"] == []
    assert body["totals"] == {"months": ["0.00"] * 12, "total": "0.00"}
