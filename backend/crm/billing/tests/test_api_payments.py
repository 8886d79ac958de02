from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import client_for, make_user

from crm.core.scoping import org_scope
from crm.identity.models import Role
from crm.records.testing import count_queries

from ..models import Order, Payment
from .factories import ContractFactory, OrderFactory, PaymentFactory, won_opportunity

BODY = {"payment_date": "2025-09-01", "payment_method": "Bank Transfer"}


def test_seed_worked_example_through_the_api(api, user, in_org):
    # given a 5,000.00 product discounted to 4,500.00 and an order generated from the won deal
    opportunity = won_opportunity(user, lines=[(Decimal("1"), Decimal("4500.00"))])
    order = api.post(f"/api/v1/opportunities/{opportunity.pk}/generate-order").data
    url = f"/api/v1/orders/{order['id']}/payments"

    # when 2,250.00 is paid, twice, and the first payment is voided
    first = api.post(url, {"amount": "2250.00", **BODY}, format="json")
    assert first.status_code == 201, first.data
    assert first.data["order_number"] == order["order_number"]
    assert first.data["account_name"] == opportunity.account.name
    detail = api.get(f"/api/v1/orders/{order['id']}").data
    assert (detail["status"], detail["balance_due"]) == ("Partially Paid", "2250.00")

    assert api.post(url, {"amount": "2250.00", **BODY}, format="json").status_code == 201
    detail = api.get(f"/api/v1/orders/{order['id']}").data
    assert (detail["status"], detail["balance_due"], detail["version"]) == ("Paid in Full", "0.00", 1)

    void = api.put(f"/api/v1/payments/{first.data['id']}", {"status": "Void", "version": 1}, format="json")
    assert void.status_code == 200
    assert void.data["status"] == "Void"

    # then
    detail = api.get(f"/api/v1/orders/{order['id']}").data
    assert (detail["status"], detail["amount_paid"], detail["balance_due"]) == ("Partially Paid", "2250.00", "2250.00")
    assert len(detail["payments"]) == 2  # a voided payment stays on record


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0", **BODY}, "amount"),
        ({"amount": "10", "payment_date": "2025-09-01", "payment_method": "Cheque"}, "payment_method"),
        ({"amount": "10", "payment_method": "Cash"}, "payment_date"),
        ({"amount": "10", **BODY, "service_period_start": "2025-09-01"}, "service_period_end"),
        (
            {"amount": "10", **BODY, "service_period_start": "2025-09-30", "service_period_end": "2025-09-01"},
            "service_period_end",
        ),
        ({"amount": "10", **BODY, "status": "Refunded"}, "status"),
    ],
)
def test_log_payment_validation(api, user, in_org, body, field):
    order = OrderFactory(owner=user)
    response = api.post(f"/api/v1/orders/{order.pk}/payments", body, format="json")
    assert response.status_code == 400, body
    assert field in response.data["errors"], response.data
    assert not Payment.objects.exists()


def test_log_payment_refusals(api, user, in_org, other_api, anon):
    cancelled = OrderFactory(owner=user, status="Cancelled")
    response = api.post(f"/api/v1/orders/{cancelled.pk}/payments", {"amount": "10", **BODY}, format="json")
    assert response.status_code == 409
    order = OrderFactory(owner=user)
    assert other_api.post(f"/api/v1/orders/{order.pk}/payments", {"amount": "10", **BODY}).status_code == 404
    assert anon.post(f"/api/v1/orders/{order.pk}/payments", {"amount": "10", **BODY}).status_code == 401
    # A payment posted directly names its order or contract (seed 003 clients); without one it is refused.
    assert api.post("/api/v1/payments", {"amount": "10", **BODY}, format="json").status_code == 400
    assert not Payment.objects.exists()


def test_contract_payments_carry_the_service_period(api, user, in_org):
    contract = ContractFactory(owner=user)
    body = {"amount": "500.00", **BODY, "service_period_start": "2025-09-01", "service_period_end": "2025-09-30"}
    response = api.post(f"/api/v1/contracts/{contract.pk}/payments", body, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["contract_number"], response.data["order_id"]) == (contract.contract_number, None)
    assert response.data["account_id"] == contract.account_id
    cancelled = ContractFactory(owner=user, status="Cancelled")
    assert api.post(f"/api/v1/contracts/{cancelled.pk}/payments", body, format="json").status_code == 409


def test_payment_list_filters(api, user, in_org):
    order_payment = PaymentFactory(owner=user, payment_method="Cash")
    contract_payment = PaymentFactory(owner=user, contract=ContractFactory(owner=user), payment_date="2024-01-05")
    PaymentFactory(owner=user, status="Failed")

    def ids(**params):
        return sorted(row["id"] for row in api.get("/api/v1/payments", params).data["results"])

    assert ids(payment_method="Cash") == [order_payment.pk]
    assert ids(contract_id=contract_payment.contract_id) == [contract_payment.pk]
    assert ids(order_id=order_payment.order_id) == [order_payment.pk]
    assert ids(account_id=contract_payment.contract.account_id) == [contract_payment.pk]
    assert ids(account_id=order_payment.order.account_id) == [order_payment.pk]
    assert ids(payment_date_to="2024-12-31") == [contract_payment.pk]
    assert len(ids(status="Completed")) == 2
    row = next(r for r in api.get("/api/v1/payments").data["results"] if r["id"] == contract_payment.pk)
    assert row["account_name"] == contract_payment.contract.account.name
    assert api.get("/api/v1/payments", {"ordering": "account_name"}).status_code == 200


def test_payment_edit_recalculates_and_void_is_final(api, user, in_org):
    order = OrderFactory(owner=user, status="Partially Paid")
    payment = PaymentFactory(owner=user, order=order, amount=Decimal("100.00"))
    response = api.patch(f"/api/v1/payments/{payment.pk}", {"amount": "1000.00", "version": 1}, format="json")
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == "Paid in Full"
    assert api.patch(f"/api/v1/payments/{payment.pk}", {"status": "Void", "version": 2}).status_code == 200
    order.refresh_from_db()
    assert order.status == "Awaiting Payment"
    back = api.patch(f"/api/v1/payments/{payment.pk}", {"status": "Completed", "version": 3}, format="json")
    assert back.status_code == 409
    assert back.data["code"] == "payment_void"
    bad = api.patch(
        f"/api/v1/payments/{payment.pk}", {"service_period_start": "2025-01-01", "version": 3}, format="json"
    )
    assert bad.status_code == 400
    assert "service_period_end" in bad.data["errors"]


def test_any_member_can_log_payments(org, user, in_org):
    order = OrderFactory(owner=user)
    client = client_for(make_user(org, Role.USER))
    assert client.post(f"/api/v1/orders/{order.pk}/payments", {"amount": "1", **BODY}).status_code == 201


def test_payment_list_query_count_is_flat(api, user, in_org):
    PaymentFactory(owner=user)
    PaymentFactory(owner=user, contract=ContractFactory(owner=user))
    api.get("/api/v1/payments")
    with count_queries() as few:
        api.get("/api/v1/payments")
    for _ in range(5):
        PaymentFactory(owner=user, contract=ContractFactory(owner=user))
        PaymentFactory(owner=user)
    with count_queries() as many:
        assert len(api.get("/api/v1/payments").data["results"]) == 12
    assert few.count == many.count


def test_other_organization_cannot_edit(other_api, user, in_org):
    payment = PaymentFactory(owner=user)
    assert other_api.patch(f"/api/v1/payments/{payment.pk}", {"status": "Void", "version": 1}).status_code == 404
    with org_scope(user.organization_id):
        assert Order.objects.get(pk=payment.order_id).version == 1


def test_seed_clients_log_payments_with_order_id_or_contract_id(api, user, in_org):
    order = OrderFactory(owner=user)
    on_order = api.post("/api/v1/payments", {"amount": "400.00", "order_id": order.pk, **BODY}, format="json")
    assert on_order.status_code == 201, on_order.data
    assert (on_order.data["order_id"], on_order.data["amount"]) == (order.pk, "400.00")
    assert api.get(f"/api/v1/orders/{order.pk}").data["status"] == "Partially Paid"
    contract = ContractFactory(owner=user)
    body = {"amount": "50.00", "contract_id": contract.pk, **BODY}
    body |= {"service_period_start": "2025-01-01", "service_period_end": "2025-01-31"}
    on_contract = api.post("/api/v1/payments", body, format="json")
    assert on_contract.status_code == 201, on_contract.data
    assert on_contract.data["contract_id"] == contract.pk


def test_payments_posted_directly_follow_the_same_rules(api, user, in_org, other_api):
    order = OrderFactory(owner=user)
    over = api.post("/api/v1/payments", {"amount": "5000.00", "order_id": order.pk, **BODY}, format="json")
    assert over.status_code == 400  # the order's overpayment rule, as on /orders/{id}/payments
    both = api.post("/api/v1/payments", {"amount": "1", "order_id": order.pk, "contract_id": 1, **BODY}, format="json")
    assert (both.status_code, set(both.data["errors"])) == (400, {"order_id", "contract_id"})
    neither = api.post("/api/v1/payments", {"amount": "1", **BODY}, format="json")
    assert neither.status_code == 400
    foreign = other_api.post("/api/v1/payments", {"amount": "1", "order_id": order.pk, **BODY}, format="json")
    assert (foreign.status_code, list(foreign.data["errors"])) == (400, ["order_id"])
    with org_scope(in_org.pk):
        assert not Payment.objects.filter(order=order).exists()


def test_a_payment_posted_directly_needs_an_order_the_author_may_edit(org, user, in_org):
    from crm.sharing.models import Access
    from crm.sharing.tests.factories import set_default, share_record

    set_default(org.pk, "order", Access.PRIVATE)
    order = OrderFactory(owner=user)
    colleague = make_user(org, Role.USER)
    client = client_for(colleague)
    hidden = client.post("/api/v1/payments", {"amount": "10", "order_id": order.pk, **BODY}, format="json")
    assert (hidden.status_code, list(hidden.data["errors"])) == (400, ["order_id"])
    share_record(order, colleague)  # read only
    read_only = client.post("/api/v1/payments", {"amount": "10", "order_id": order.pk, **BODY}, format="json")
    assert read_only.status_code == 403
    with org_scope(in_org.pk):
        assert not Payment.objects.filter(order=order).exists()
