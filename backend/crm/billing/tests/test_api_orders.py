from __future__ import annotations

from decimal import Decimal

import pytest

from crm.audit.models import AuditEvent
from crm.core.scoping import org_scope
from crm.records.related import embeds_for
from crm.records.testing import count_queries
from crm.sales.models import OpportunityLineItem

from ..models import Order
from .factories import OpportunityFactory, OrderFactory, PaymentFactory, paid_order, won_opportunity


def generate(client, opportunity):
    return client.post(f"/api/v1/opportunities/{opportunity.pk}/generate-order", format="json")


def test_generate_order_answers_201_with_the_detail(api, user, in_org):
    opportunity = won_opportunity(user, lines=[(Decimal("2"), Decimal("1250.50"))])
    response = generate(api, opportunity)
    assert response.status_code == 201, response.data
    body = response.data
    assert body["status"] == "Awaiting Payment"
    assert body["order_number"] == "ORD-00001"
    assert body["opportunity_id"] == opportunity.pk
    assert body["total"] == "2501.00"
    assert body["balance_due"] == "2501.00"
    assert [(row["quantity"], row["price_at_purchase"], row["line_total"]) for row in body["line_items"]] == [
        ("2.00", "1250.50", "2501.00")
    ]
    assert body["payments"] == []


def test_generate_order_refusals(api, user, in_org, other_user):
    assert generate(api, won_opportunity(user, stage="Proposal")).status_code == 409
    empty = generate(api, OpportunityFactory(owner=user))
    assert empty.status_code == 409
    assert "product" in empty.data["message"]
    opportunity = won_opportunity(user)
    assert generate(api, opportunity).status_code == 201
    again = generate(api, opportunity)
    assert again.status_code == 409
    assert again.data["code"] == "order_already_generated"
    with org_scope(other_user.organization_id):
        foreign = won_opportunity(other_user)
    assert generate(api, foreign).status_code == 404
    assert Order.objects.count() == 1


def test_generate_order_needs_authentication(anon, user, in_org):
    assert generate(anon, won_opportunity(user)).status_code == 401


def test_plain_post_to_orders_is_not_allowed(api):
    assert api.post("/api/v1/orders", {"order_date": "2025-01-01"}, format="json").status_code == 405


def test_list_has_account_totals_and_filters(api, user, in_org):
    paid = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("300.00"))], status="Paid in Full")
    PaymentFactory(owner=user, order=paid, amount=Decimal("300.00"))
    open_order = OrderFactory(owner=user, lines=[(Decimal("3"), Decimal("100.00")), (Decimal("1"), Decimal("50"))])
    PaymentFactory(owner=user, order=open_order, amount=Decimal("100.00"), status="Void")
    rows = {row["id"]: row for row in api.get("/api/v1/orders").data["results"]}
    assert rows[paid.pk]["account_name"] == paid.account.name
    assert (rows[paid.pk]["total"], rows[paid.pk]["amount_paid"], rows[paid.pk]["balance_due"]) == (
        "300.00",
        "300.00",
        "0.00",
    )
    assert (rows[open_order.pk]["total"], rows[open_order.pk]["amount_paid"]) == ("350.00", "0.00")
    with_balance = api.get("/api/v1/orders", {"has_balance": "true"}).data["results"]
    assert [row["id"] for row in with_balance] == [open_order.pk]
    by_status = api.get("/api/v1/orders", {"status": "Paid in Full"}).data["results"]
    assert [row["id"] for row in by_status] == [paid.pk]
    by_account = api.get("/api/v1/orders", {"account_id": open_order.account_id}).data["results"]
    assert [row["id"] for row in by_account] == [open_order.pk]
    by_total = api.get("/api/v1/orders", {"ordering": "-total"}).data["results"]
    assert [row["id"] for row in by_total] == [open_order.pk, paid.pk]
    assert api.get("/api/v1/orders", {"order_date_from": "2000-01-01", "owner": "me"}).data["count"] == 2


def test_detail_lists_lines_and_payments(api, user, in_org):
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("4500.00"))], status="Partially Paid")
    PaymentFactory(owner=user, order=order, amount=Decimal("2250.00"))
    with count_queries() as queries:
        body = api.get(f"/api/v1/orders/{order.pk}").data
    assert queries.count == 8  # the first request of a token also records its use; sharing facts; its invoices
    assert (body["total"], body["amount_paid"], body["balance_due"]) == ("4500.00", "2250.00", "2250.00")
    assert body["line_items"][0]["product_name"]
    assert [row["amount"] for row in body["payments"]] == ["2250.00"]


@pytest.mark.parametrize(
    "change",
    [
        {"description": "x"},
        {"order_date": "2020-01-01"},
        {"account_id": 1},
        {"is_active": False},
        {"owner_id": "the user"},
        {"status": "Fulfilled", "total": "1.00"},
    ],
)
def test_only_the_status_can_change(api, user, in_org, change):
    order = OrderFactory(owner=user)
    change = {key: user.pk if value == "the user" else value for key, value in change.items()}
    response = api.patch(f"/api/v1/orders/{order.pk}", {**change, "version": 1}, format="json")
    assert response.status_code == 400
    assert (response.data["code"], response.data["message"]) == ("validation_error", "Please correct the errors below.")
    field = next(key for key in change if key != "status")
    assert response.data["errors"] == {field: ["Only the status of an order can be changed."]}
    order.refresh_from_db()
    assert order.version == 1


def test_status_transitions(api, user, in_org):
    order = OrderFactory(owner=user)
    paid = api.put(f"/api/v1/orders/{order.pk}", {"status": "Paid in Full", "version": 1}, format="json")
    assert paid.status_code == 400
    bogus = api.put(f"/api/v1/orders/{order.pk}", {"status": "Shipped", "version": 1}, format="json")
    assert bogus.status_code == 400
    unpaid = api.put(f"/api/v1/orders/{order.pk}", {"status": "Fulfilled", "version": 1}, format="json")
    assert (unpaid.status_code, unpaid.data["code"]) == (409, "order_not_paid")
    assert "1,000.00 is still open" in unpaid.data["message"]
    in_org.allow_fulfill_before_payment = True
    in_org.save()
    done = api.put(f"/api/v1/orders/{order.pk}", {"status": "Fulfilled", "version": 1}, format="json")
    assert done.status_code == 200
    assert done.data["status"] == "Fulfilled"


def test_a_paid_order_is_fulfilled_without_the_setting(api, user, in_org):
    order = paid_order(user)
    done = api.put(f"/api/v1/orders/{order.pk}", {"status": "Fulfilled", "version": 1}, format="json")
    assert (done.status_code, done.data["status"]) == (200, "Fulfilled")


def test_cancel_action(api, user, in_org, other_api):
    order = OrderFactory(owner=user)
    assert api.post(f"/api/v1/orders/{order.pk}/cancel", {}, format="json").status_code == 400
    assert other_api.post(f"/api/v1/orders/{order.pk}/cancel", {"version": 1}, format="json").status_code == 404
    response = api.post(f"/api/v1/orders/{order.pk}/cancel", {"version": 1}, format="json")
    assert response.status_code == 200
    assert (response.data["status"], response.data["version"]) == ("Cancelled", 2)
    assert api.post(f"/api/v1/orders/{order.pk}/cancel", {"version": 1}, format="json").status_code == 409
    again = api.post(f"/api/v1/orders/{order.pk}/cancel", {"version": 2}, format="json")
    assert again.status_code == 409
    fulfilled = OrderFactory(owner=user, status="Fulfilled")
    refused = api.post(f"/api/v1/orders/{fulfilled.pk}/cancel", {"version": 1}, format="json")
    assert refused.status_code == 409
    assert refused.data["code"] == "order_closed"


def test_changing_the_opportunity_after_generation_keeps_the_order(api, user, in_org):
    opportunity = won_opportunity(user, lines=[(Decimal("1"), Decimal("5000.00"))])
    order_id = generate(api, opportunity).data["id"]
    OpportunityLineItem.objects.filter(opportunity=opportunity).update(sale_price=Decimal("1.00"))
    assert api.get(f"/api/v1/orders/{order_id}").data["total"] == "5000.00"


def test_account_orders_embed_has_totals_and_a_fixed_query_count(api, user, in_org):
    opportunity = won_opportunity(user)
    generate(api, opportunity)
    account = opportunity.account
    embed = next(e for e in embeds_for("account") if e.key == "orders")
    with count_queries() as one:
        rows = embed.loader(account, None)
    assert [(row["total"], row["balance_due"]) for row in rows] == [("1000.00", "1000.00")]
    for _ in range(5):
        OrderFactory(owner=user, account=account)
    with count_queries() as many:
        rows = embed.loader(account, None)
    assert len(rows) == 6
    assert many.count == one.count == 1


@pytest.mark.parametrize("method", ["put", "patch"])
def test_seed_clients_cancel_with_a_status_change_under_the_cancel_rules(api, user, in_org, other_api, method):
    order = OrderFactory(owner=user)
    PaymentFactory(owner=user, order=order, amount=Decimal("100.00"), status="Pending")
    send = getattr(api, method)
    assert (
        getattr(other_api, method)(
            f"/api/v1/orders/{order.pk}", {"status": "Cancelled", "version": 1}, format="json"
        ).status_code
        == 404
    )
    response = send(f"/api/v1/orders/{order.pk}", {"status": "Cancelled", "version": 1}, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["version"]) == ("Cancelled", 2)
    assert [p["status"] for p in response.data["payments"]] == ["Void"]  # pending payments are voided, as by cancel
    with org_scope(in_org.pk):
        actions = list(
            AuditEvent.objects.filter(object_type="billing.order", object_id=order.pk).values_list("name", flat=True)
        )
    assert "order.cancel" in actions
    assert send(f"/api/v1/orders/{order.pk}", {"status": "Cancelled", "version": 1}, format="json").status_code == 409


def test_a_paid_or_fulfilled_order_is_not_cancelled_by_a_status_change(api, user, in_org):
    paid = paid_order(user)
    refused = api.put(f"/api/v1/orders/{paid.pk}", {"status": "Cancelled", "version": 1}, format="json")
    assert refused.status_code in (400, 409)
    fulfilled = OrderFactory(owner=user, status="Fulfilled")
    closed = api.put(f"/api/v1/orders/{fulfilled.pk}", {"status": "Cancelled", "version": 1}, format="json")
    assert (closed.status_code, closed.data["code"]) == (409, "order_closed")
    with org_scope(in_org.pk):
        assert Order.objects.get(pk=paid.pk).status == "Paid in Full"


def test_orders_carry_the_seed_calculated_total(api, user, in_org):
    order = OrderFactory(owner=user)
    detail = api.get(f"/api/v1/orders/{order.pk}").data
    assert detail["calculated_total"] == detail["total"] == "1000.00"
    row = api.get("/api/v1/orders").data["results"][0]
    assert row["calculated_total"] == row["total"] == "1000.00"
