"""A line whose quantity times price, or whose opportunity's new amount, overflows the amount
column answers 400 naming quantity and sale_price, and changes nothing (it answered 500:
numeric field overflow on PostgreSQL, an unreadable decimal on SQLite)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.core.errors import ApplicationError
from crm.records.money import fits, largest, require_fit
from crm.sales.models import Opportunity, OpportunityLineItem
from crm.sales.services.opportunities import line_item_add

from .factories import OpportunityFactory, OpportunityLineItemFactory, ProductFactory

AMOUNT = Opportunity._meta.get_field("amount")  # max_digits 18, decimal_places 2
MAX_QUANTITY = "9999999999.99"  # the quantity column's largest value
MAX_PRICE = "999999999999.99"  # the price column's largest value


def lines_url(opportunity: Opportunity) -> str:
    return f"/api/v1/opportunities/{opportunity.pk}/line_items"


def assert_refused(response) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response.data["code"] == "amount_too_large", response.data
    assert set(response.data["errors"]) == {"quantity", "sale_price"}, response.data


def unchanged(opportunity: Opportunity) -> tuple:
    row = Opportunity.objects.get(pk=opportunity.pk)
    lines = sorted(OpportunityLineItem.objects.filter(opportunity=row).values_list("id", "quantity", "sale_price"))
    return row.version, row.amount, lines


@pytest.mark.parametrize(
    ("quantity", "price"),
    [
        (MAX_QUANTITY, MAX_PRICE),  # 10^22
        ("100000000.00", "100000000.00"),  # exactly 10^16
    ],
    ids=["both-columns-full", "exactly-10^16"],
)
def test_a_line_total_beyond_the_amount_column_answers_400(api, user, in_org, quantity, price):
    # given
    opportunity = OpportunityFactory(owner=user)
    product = ProductFactory(owner=user)
    before = unchanged(opportunity)
    # when
    response = api.post(
        lines_url(opportunity),
        {"product_id": product.pk, "quantity": quantity, "sale_price": price, "opportunity_version": 1},
        format="json",
    )
    # then
    assert_refused(response)
    assert unchanged(opportunity) == before


def test_a_list_price_default_that_overflows_answers_400(api, user, in_org):
    opportunity = OpportunityFactory(owner=user)
    product = ProductFactory(owner=user, standard_list_price=Decimal(MAX_PRICE))
    response = api.post(lines_url(opportunity), {"product_id": product.pk, "quantity": MAX_QUANTITY}, format="json")
    assert_refused(response)
    assert not OpportunityLineItem.objects.exists()


def test_lines_that_fit_one_by_one_but_not_together_answer_400(api, user, in_org):
    # given a deal of 9,000,000,000,000,000.00 (a line that fits)
    opportunity = OpportunityFactory(owner=user)
    product = ProductFactory(owner=user)
    body = {"product_id": product.pk, "quantity": "10000000.00", "sale_price": "900000000.00"}
    first = api.post(lines_url(opportunity), body, format="json")
    assert first.status_code == 201, first.data
    assert first.data["opportunity_amount"] == "9000000000000000.00"
    before = unchanged(opportunity)
    # when a second line would take the amount past the column
    response = api.post(lines_url(opportunity), body, format="json")
    # then
    assert_refused(response)
    assert "opportunity amount" in response.data["message"]
    assert unchanged(opportunity) == before


def test_editing_a_line_past_the_column_answers_400_and_keeps_the_line(api, user, in_org):
    line = OpportunityLineItemFactory(opportunity=OpportunityFactory(owner=user), quantity=Decimal("2"))
    opportunity = line.opportunity
    before = unchanged(opportunity)
    for body in ({"quantity": MAX_QUANTITY, "sale_price": MAX_PRICE}, {"sale_price": MAX_PRICE, "quantity": "20000"}):
        response = api.patch(f"{lines_url(opportunity)}/{line.pk}", {**body, "version": line.version}, format="json")
        assert_refused(response)
    assert unchanged(opportunity) == before


def test_editing_a_line_counts_its_old_total_once(api, user, in_org):
    # 9,000,000,000,000,000.00 raised to 9,999,999,999,000,000.00: fits, although old + new would not
    line = OpportunityLineItemFactory(
        opportunity=OpportunityFactory(owner=user), quantity=Decimal("10000000.00"), sale_price=Decimal("900000000.00")
    )
    response = api.patch(
        f"{lines_url(line.opportunity)}/{line.pk}", {"sale_price": "999999999.90", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["opportunity_amount"] == "9999999999000000.00"


def test_the_largest_amounts_that_fit_are_stored_and_read_back(api, user, in_org):
    opportunity = OpportunityFactory(owner=user)
    product = ProductFactory(owner=user)
    body = {"product_id": product.pk, "quantity": "10000000.00", "sale_price": "999999999.99"}
    response = api.post(lines_url(opportunity), body, format="json")
    assert response.status_code == 201, response.data
    assert response.data["total"] == response.data["opportunity_amount"] == "9999999999900000.00"
    # every read of the stored amount works on both databases
    assert api.get(f"/api/v1/opportunities/{opportunity.pk}").data["amount"] == "9999999999900000.00"
    assert api.get("/api/v1/opportunities", {"ordering": "-amount"}).status_code == 200
    assert api.get("/api/v1/opportunities/pipeline").status_code == 200


def test_the_service_refuses_before_writing(user, in_org):
    opportunity = OpportunityFactory(owner=user)
    product = ProductFactory(owner=user)
    with pytest.raises(ApplicationError) as refused:
        line_item_add(
            opportunity_id=opportunity.pk,
            data={"product": product, "quantity": Decimal(MAX_QUANTITY), "sale_price": Decimal(MAX_PRICE)},
            actor=user,
        )
    assert set(refused.value.fields) == {"quantity", "sale_price"}
    assert not OpportunityLineItem.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", True),
        ("9999999999990000.00", True),
        ("-9999999999990000.00", True),
        ("9999999999999994.99", True),
        ("9999999999999995.00", False),  # SQLite reads it back as 1.00000000000000E+16
        ("9999999999999999.99", False),
        ("10000000000000000", False),
        ("1E+22", False),
        ("NaN", False),
        ("Infinity", False),
    ],
)
def test_fits_the_amount_column(value, expected):
    assert fits(Decimal(value), AMOUNT) is expected


def test_require_fit_names_the_fields():
    assert largest(AMOUNT) == Decimal("9999999999999999.99")
    assert require_fit(Decimal("1.00"), AMOUNT, fields=("a",), what="It") == Decimal("1.00")
    with pytest.raises(ApplicationError) as refused:
        require_fit(Decimal("1E+20"), AMOUNT, fields=("a", "b"), what="The total")
    assert refused.value.code == "amount_too_large"
    assert set(refused.value.fields) == {"a", "b"}
    assert refused.value.status_code == 400


def test_a_pipeline_column_sums_amounts_past_18_digits(api, user, in_org):
    # two deals that each fit the amount column; their column total does not fit 18 digits
    for _ in range(2):
        OpportunityLineItemFactory(
            opportunity=OpportunityFactory(owner=user),
            quantity=Decimal("10000000.00"),
            sale_price=Decimal("900000000.00"),
        )
    response = api.get("/api/v1/opportunities/pipeline")
    assert response.status_code == 200, response.content[:300]
    column = next(stage for stage in response.data["stages"] if stage["name"] == "Qualifying")
    assert (column["count"], column["amount"]) == (2, "18000000000000000.00")
