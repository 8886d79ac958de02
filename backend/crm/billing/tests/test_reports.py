from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from crm.core.errors import ApplicationError
from crm.core.scoping import org_scope
from crm.records.testing import count_queries

from ..selectors import payment_retainer_report
from .factories import AccountFactory, ContractFactory, OrderFactory, PaymentFactory

URL = "/api/v1/reports/retainer-payments"


def period(year, month):
    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return {"service_period_start": start, "service_period_end": end}


def paying_account(user, name, amount="100.00", month=1, year=2025):
    """An account with one retainer contract and one completed payment in ``month``."""
    contract = ContractFactory(owner=user, account__name=name)
    PaymentFactory(owner=user, contract=contract, amount=Decimal(amount), **period(year, month))
    return contract.account


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
    response = api.get(URL, {"year": 2025})

    # then
    assert response.status_code == 200
    body = response.data
    assert body["year"] == 2025
    assert body["months"] == list(range(1, 13))
    assert (body["count"], body["page"], body["page_size"]) == (2, 1, 50)
    assert [row["account_name"] for row in body["rows"]] == ["Alpha Ltd", "Beta Ltd"]
    alpha_row, beta_row = body["rows"]
    assert alpha_row["account_id"] == alpha.account_id
    assert alpha_row["months"][:4] == ["500.00", "500.00", "750.00", "0.00"]
    assert alpha_row["total"] == "1750.00"
    assert beta_row["months"][11] == "1000.00"
    assert beta_row["months"][4] == "0.00"
    assert beta_row["total"] == "1000.00"
    assert body["totals"]["months"][0] == "500.00"
    assert body["totals"]["months"][4] == "0.00"
    assert body["totals"]["months"][11] == "1000.00"
    assert body["totals"]["total"] == "2750.00"


def test_order_and_contract_payments_of_one_account_share_its_row(api, user, in_org):
    # given one account paid through a contract and through an order in the same month
    contract = ContractFactory(owner=user, account__name="Both Ways")
    order = OrderFactory(owner=user, account=contract.account)
    PaymentFactory(owner=user, contract=contract, amount=Decimal("300.00"), **period(2025, 6))
    PaymentFactory(owner=user, order=order, amount=Decimal("45.50"), **period(2025, 6))

    # when
    body = api.get(URL, {"year": 2025}).data

    # then
    assert body["count"] == 1
    (row,) = body["rows"]
    assert row["account_id"] == contract.account_id
    assert row["months"][5] == "345.50"
    assert row["total"] == body["totals"]["total"] == "345.50"


def test_rows_are_paged_while_totals_and_count_cover_every_account(api, user, in_org):
    # given five paying accounts, created out of name order, two of them with the same name
    amounts = {"Delta": "400.00", "Alpha": "100.00", "Echo": "500.00", "Charlie": "300.00"}
    accounts = {
        name: paying_account(user, name, amount, month=index + 1)
        for index, (name, amount) in enumerate(amounts.items())
    }
    twin = paying_account(user, "Alpha", "7.00", month=12)

    # when
    first = api.get(URL, {"year": 2025, "page_size": 2}).data
    second = api.get(URL, {"year": 2025, "page_size": 2, "page": 2}).data
    last = api.get(URL, {"year": 2025, "page_size": 2, "page": 3}).data

    # then rows follow name, then id, across pages
    ids = [row["account_id"] for body in (first, second, last) for row in body["rows"]]
    assert ids == [accounts["Alpha"].pk, twin.pk, accounts["Charlie"].pk, accounts["Delta"].pk, accounts["Echo"].pk]
    assert [len(body["rows"]) for body in (first, second, last)] == [2, 2, 1]
    assert [(body["page"], body["page_size"], body["count"]) for body in (first, second, last)] == [
        (1, 2, 5),
        (2, 2, 5),
        (3, 2, 5),
    ]
    assert second["rows"][1]["total"] == "400.00"
    # and every page carries the totals of all five accounts, not of its own rows
    for body in (first, second, last):
        assert body["totals"]["months"][:4] == ["400.00", "100.00", "500.00", "300.00"]
        assert body["totals"]["months"][11] == "7.00"
        assert body["totals"]["total"] == "1307.00"


def test_page_past_the_end_is_not_found(api, user, in_org):
    paying_account(user, "Only One")
    response = api.get(URL, {"year": 2025, "page": 2})
    assert response.status_code == 404
    assert response.data["message"] == "Invalid page."
    with pytest.raises(ApplicationError) as error:
        payment_retainer_report(year=2025, page=2)
    assert (error.value.code, error.value.status_code) == ("not_found", 404)
    # an empty year still has a first page
    body = api.get(URL, {"year": 2024}).data
    assert (body["rows"], body["count"], body["page"]) == ([], 0, 1)


def test_year_is_required_and_bounded(api, anon):
    response = api.get(URL)
    assert response.status_code == 400
    assert "year" in response.data["errors"]
    for year in ("1999", "2101", "soon"):
        response = api.get(URL, {"year": year})
        assert response.status_code == 400
        assert "year" in response.data["errors"]
    assert anon.get(URL, {"year": 2025}).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "two"}, "page"),
        ({"page": 1_000_001}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
        ({"page_size": 1000}, "page_size"),
        ({"page_size": "many"}, "page_size"),
    ],
)
def test_page_and_page_size_are_validated(api, params, field):
    response = api.get(URL, {"year": 2025, **params})
    assert response.status_code == 400
    assert list(response.data["errors"]) == [field]


def test_page_size_of_200_is_allowed(api, user, in_org):
    paying_account(user, "Max Page")
    body = api.get(URL, {"year": 2025, "page_size": 200}).data
    assert (body["page_size"], body["count"], len(body["rows"])) == (200, 1, 1)


def test_other_organizations_payments_never_appear(api, user, in_org, other_user):
    # given the other organization pays more, earlier in the alphabet, in the same year
    mine = paying_account(user, "Mine Ltd", "10.00")
    with org_scope(other_user.organization_id):
        for name in ("Aardvark Rival", "Zebra Rival"):
            paying_account(other_user, name, "999.00")
        rival_order = OrderFactory(owner=other_user, account=AccountFactory(owner=other_user, name="Abacus Rival"))
        PaymentFactory(owner=other_user, order=rival_order, amount=Decimal("555.00"), **period(2025, 1))

    # when
    body = api.get(URL, {"year": 2025}).data

    # then
    assert [row["account_id"] for row in body["rows"]] == [mine.pk]
    assert body["count"] == 1
    assert body["totals"]["total"] == "10.00"
    assert body["totals"]["months"][0] == "10.00"


def test_only_completed_payments_count(api, user, in_org):
    # given accounts whose only payments in the year are not completed
    paying_account(user, "Paid Ltd", "20.00", month=3)
    for status in ("Pending", "Failed", "Void"):
        contract = ContractFactory(owner=user, account__name=f"{status} Ltd")
        PaymentFactory(owner=user, contract=contract, amount=Decimal("900.00"), status=status, **period(2025, 3))
        order = OrderFactory(owner=user, account=contract.account)
        PaymentFactory(owner=user, order=order, amount=Decimal("800.00"), status=status, **period(2025, 3))

    # when
    body = api.get(URL, {"year": 2025}).data

    # then none of them is a row, counts, or adds to the totals
    assert [row["account_name"] for row in body["rows"]] == ["Paid Ltd"]
    assert body["count"] == 1
    assert body["totals"]["months"][2] == body["totals"]["total"] == "20.00"


def test_query_count_does_not_grow_with_accounts(api, user, in_org):
    # given one paying account
    paying_account(user, "First")
    api.get(URL, {"year": 2025})
    with count_queries() as one:
        response = api.get(URL, {"year": 2025})
    assert response.data["count"] == 1

    # when thirty more pay through contracts and orders, in several months
    for index in range(15):
        paying_account(user, f"Contract {index:02d}", month=index % 12 + 1)
        order = OrderFactory(owner=user, account__name=f"Order {index:02d}")
        PaymentFactory(owner=user, order=order, amount=Decimal("10.00"), **period(2025, index % 12 + 1))
        PaymentFactory(owner=user, order=order, amount=Decimal("10.00"), **period(2025, 12))
    with count_queries() as many:
        response = api.get(URL, {"year": 2025, "page_size": 20})

    # then the same number of queries answers both: three of them build the report
    assert response.data["count"] == 31
    assert len(response.data["rows"]) == 20
    assert many.count == one.count
    with count_queries() as report:
        payment_retainer_report(year=2025, page=2, page_size=20)
    assert report.count == 3


def test_empty_year(api):
    body = api.get(URL, {"year": 2030}).data
    assert body["rows"] == []
    assert body["count"] == 0
    assert body["totals"] == {"months": ["0.00"] * 12, "total": "0.00"}
