"""Money stays consistent: no payment beyond the balance unless recorded as an overpayment, no
money on cancelled orders or contracts, a won deal billed once and frozen once billed, no new
children on deactivated records. Each test fails when its rule is removed from the services."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from crm.accounts.tests.factories import AccountFactory
from crm.core.errors import ApplicationError
from crm.core.scoping import org_scope

from .. import services
from ..models import Contract, Order, Payment
from .factories import ContractFactory, OrderFactory, PaymentFactory, won_opportunity

PAY = {"payment_date": "2025-09-01", "payment_method": "Bank Transfer"}
RETAINER_TERM = {"start_date": "2025-01-01", "end_date": "2025-12-31", "billing_cycle": "Monthly"}


def _order(user, total=Decimal("2400.00"), **kwargs) -> Order:
    return OrderFactory(owner=user, lines=[(Decimal("1"), total)], **kwargs)


def _pay(api, order, amount, **extra):
    return api.post(f"/api/v1/orders/{order.pk}/payments", {"amount": amount, **PAY, **extra}, format="json")


def _order_row(api, order) -> dict:
    return api.get(f"/api/v1/orders/{order.pk}").data


# --- overpayment -----------------------------------------------------------------------------------


def test_a_payment_beyond_the_open_balance_is_refused_and_changes_nothing(api, user, in_org):
    order = _order(user)
    response = _pay(api, order, "999999999999.99")
    assert response.status_code == 400
    assert response.data["code"] == "payment_exceeds_balance"
    assert response.data["errors"]["amount"] == [f"At most 2,400.00 is open on order {order.order_number}."]
    assert "overpayment" in response.data["message"]
    assert not Payment.objects.filter(order=order).exists()
    row = _order_row(api, order)
    assert (row["status"], row["version"], row["balance_due"]) == ("Awaiting Payment", 1, "2400.00")


def test_the_open_balance_is_what_is_left_after_completed_payments(api, user, in_org):
    order = _order(user)
    assert _pay(api, order, "2000.00").status_code == 201
    over = _pay(api, order, "400.01")
    assert (over.status_code, over.data["code"]) == (400, "payment_exceeds_balance")
    assert over.data["errors"]["amount"] == [f"At most 400.00 is open on order {order.order_number}."]
    assert _pay(api, order, "400.00").status_code == 201
    row = _order_row(api, order)
    assert (row["status"], row["balance_due"]) == ("Paid in Full", "0.00")


def test_an_explicit_overpayment_is_kept_as_a_credit(api, user, in_org):
    order = _order(user)
    response = _pay(api, order, "3000.00", is_overpayment=True)
    assert response.status_code == 201
    assert response.data["is_overpayment"] is True
    row = _order_row(api, order)
    assert (row["status"], row["amount_paid"], row["balance_due"]) == ("Paid in Full", "3000.00", "-600.00")


def test_a_pending_payment_completed_later_is_held_to_the_balance(api, user, in_org):
    order = _order(user)
    pending = _pay(api, order, "2400.00", status="Pending").data
    assert _pay(api, order, "2400.00").status_code == 201  # the pending money has not arrived
    completed = api.patch(
        f"/api/v1/payments/{pending['id']}", {"status": "Completed", "version": pending["version"]}, format="json"
    )
    assert (completed.status_code, completed.data["code"]) == (400, "payment_exceeds_balance")
    payment = Payment.objects.get(pk=pending["id"])
    assert (payment.status, payment.version) == ("Pending", 1)
    raised = api.patch(
        f"/api/v1/payments/{pending['id']}",
        {"status": "Completed", "is_overpayment": True, "version": 1},
        format="json",
    )
    assert raised.status_code == 200
    assert _order_row(api, order)["balance_due"] == "-2400.00"


def test_raising_a_completed_payment_beyond_the_total_is_refused(api, user, in_org):
    order = _order(user)
    payment = _pay(api, order, "2400.00").data
    response = api.patch(f"/api/v1/payments/{payment['id']}", {"amount": "2400.01", "version": 1}, format="json")
    assert (response.status_code, response.data["code"]) == (400, "payment_exceeds_balance")
    lower = api.patch(f"/api/v1/payments/{payment['id']}", {"amount": "2000.00", "version": 1}, format="json")
    assert lower.status_code == 200
    assert _order_row(api, order)["status"] == "Partially Paid"


def test_a_fulfilled_order_that_is_paid_takes_no_more_money(api, user, in_org):
    order = _order(user, status=Order.Status.FULFILLED)
    PaymentFactory(owner=user, order=order, amount=Decimal("2400.00"))
    for extra in ({}, {"is_overpayment": False}):
        response = _pay(api, order, "10.00", **extra)
        assert (response.status_code, response.data["code"]) == (409, "order_fulfilled")
    assert Payment.objects.filter(order=order).count() == 1


def test_a_fulfilled_order_with_an_open_balance_takes_that_balance(api, user, in_org):
    in_org.allow_fulfill_before_payment = True
    in_org.save()
    order = _order(user)
    assert (
        api.patch(f"/api/v1/orders/{order.pk}", {"status": "Fulfilled", "version": 1}, format="json").status_code == 200
    )
    assert _pay(api, order, "2400.01").status_code == 400
    assert _pay(api, order, "2400.00").status_code == 201
    row = _order_row(api, order)
    assert (row["status"], row["balance_due"]) == ("Fulfilled", "0.00")


# --- cancelled orders and contracts ----------------------------------------------------------------


def test_cancelling_voids_pending_payments_and_they_never_complete(api, user, in_org):
    order = _order(user)
    pending = _pay(api, order, "1000.00", status="Pending").data
    cancelled = api.post(f"/api/v1/orders/{order.pk}/cancel", {"version": 1}, format="json")
    assert (cancelled.status_code, cancelled.data["status"]) == (200, "Cancelled")
    payment = Payment.objects.get(pk=pending["id"])
    assert payment.status == "Void"
    response = api.patch(
        f"/api/v1/payments/{payment.pk}", {"status": "Completed", "version": payment.version}, format="json"
    )
    assert response.status_code == 409
    payment.refresh_from_db()
    assert payment.status == "Void"
    assert _order_row(api, order)["amount_paid"] == "0.00"


def test_an_order_with_money_received_is_not_cancelled(api, user, in_org):
    order = _order(user)
    _pay(api, order, "100.00")
    response = api.post(f"/api/v1/orders/{order.pk}/cancel", {"version": 1}, format="json")
    assert (response.status_code, response.data["code"]) == (409, "order_has_payments")
    assert _order_row(api, order)["status"] == "Partially Paid"


@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        ({"status": "Completed"}, False),
        ({"amount": "50.00"}, False),
        ({"payment_date": "2025-10-01"}, False),
        ({"payment_method": "Cash"}, False),
        ({"status": "Failed"}, True),
        ({"status": "Void"}, True),
        ({"notes": "Refund requested"}, True),
    ],
)
@pytest.mark.parametrize("parent", ["order", "contract"])
def test_payments_of_a_cancelled_parent_can_only_be_voided_or_failed(api, user, in_org, change, allowed, parent):
    # given a pending payment left on a cancelled order or contract (data from before this rule)
    if parent == "order":
        payment = PaymentFactory(owner=user, order=_order(user, status=Order.Status.CANCELLED), status="Pending")
    else:
        contract = ContractFactory(owner=user, status=Contract.Status.CANCELLED)
        payment = PaymentFactory(owner=user, contract=contract, status="Pending")
    response = api.patch(f"/api/v1/payments/{payment.pk}", {**change, "version": 1}, format="json")
    if allowed:
        assert response.status_code == 200
    else:
        assert (response.status_code, response.data["code"]) == (409, "parent_cancelled")
        payment.refresh_from_db()
        assert (payment.status, payment.version) == ("Pending", 1)


def test_cancelling_a_contract_voids_its_pending_payments_and_refuses_with_money_received(api, user, in_org):
    contract = ContractFactory(owner=user)
    pending = PaymentFactory(owner=user, contract=contract, status="Pending")
    paid = ContractFactory(owner=user)
    PaymentFactory(owner=user, contract=paid)
    refused = api.patch(f"/api/v1/contracts/{paid.pk}", {"status": "Cancelled", "version": 1}, format="json")
    assert (refused.status_code, refused.data["code"]) == (409, "contract_has_payments")
    done = api.patch(f"/api/v1/contracts/{contract.pk}", {"status": "Cancelled", "version": 1}, format="json")
    assert done.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "Void"
    again = api.post(f"/api/v1/contracts/{contract.pk}/payments", {"amount": "10.00", **PAY}, format="json")
    assert (again.status_code, again.data["code"]) == (409, "contract_cancelled")


def test_no_payments_on_a_deactivated_contract(api, user, in_org):
    contract = ContractFactory(owner=user, is_active=False)
    response = api.post(f"/api/v1/contracts/{contract.pk}/payments", {"amount": "10.00", **PAY}, format="json")
    assert (response.status_code, response.data["code"]) == (409, "contract_inactive")
    assert not Payment.objects.filter(contract=contract).exists()


# --- a won deal is billed once, and frozen once billed ---------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [("generate-order", "generate-contract"), ("generate-contract", "generate-order")],
)
def test_a_won_opportunity_is_billed_by_an_order_or_a_contract_never_both(api, user, in_org, first, second):
    opportunity = won_opportunity(user, retainer=True)
    body = RETAINER_TERM if first == "generate-contract" else {}
    assert api.post(f"/api/v1/opportunities/{opportunity.pk}/{first}", body, format="json").status_code == 201
    body = RETAINER_TERM if second == "generate-contract" else {}
    response = api.post(f"/api/v1/opportunities/{opportunity.pk}/{second}", body, format="json")
    assert (response.status_code, response.data["code"]) == (409, "opportunity_already_billed")
    assert (
        Order.objects.filter(opportunity=opportunity).count() + Contract.objects.filter(opportunity=opportunity).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_billing_at_the_same_moment_gives_one_order_or_one_contract(org, user):
    with org_scope(org.pk):
        opportunity = won_opportunity(user, retainer=True)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def bill(kind: str) -> None:
        try:
            with org_scope(org.pk):
                barrier.wait(timeout=10)
                if kind == "order":
                    services.order_generate(opportunity_id=opportunity.pk, actor=user)
                else:
                    services.contract_generate(
                        opportunity_id=opportunity.pk,
                        start_date=datetime.date(2025, 1, 1),
                        end_date=datetime.date(2025, 12, 31),
                        billing_cycle="Monthly",
                        actor=user,
                    )
            outcomes.append("billed")
        except Exception as exc:
            outcomes.append(getattr(exc, "code", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=bill, args=(kind,)) for kind in ("order", "contract")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["billed", "opportunity_already_billed"]
    with org_scope(org.pk):
        documents = Order.objects.filter(opportunity=opportunity).count()
        documents += Contract.objects.filter(opportunity=opportunity).count()
    assert documents == 1


@pytest.fixture
def billed(api, user, in_org):
    opportunity = won_opportunity(user)
    order = api.post(f"/api/v1/opportunities/{opportunity.pk}/generate-order", {}, format="json").data
    opportunity.refresh_from_db()
    assert opportunity.billed_by == order["order_number"]
    return opportunity


@pytest.mark.parametrize(
    "change",
    [{"stage": "Negotiation"}, {"stage": "Closed Lost"}, {"is_active": False}, {"account_id": "other"}],
)
def test_a_billed_deal_keeps_its_stage_account_and_active_flag(api, user, billed, change):
    if change.get("account_id") == "other":
        change = {"account_id": AccountFactory(owner=user).pk}
    response = api.patch(f"/api/v1/opportunities/{billed.pk}", {**change, "version": billed.version}, format="json")
    assert (response.status_code, response.data["code"]) == (409, "opportunity_billed")
    assert "ORD-" in response.data["message"]
    before = (billed.stage, billed.account_id, billed.is_active, billed.version)
    billed.refresh_from_db()
    assert (billed.stage, billed.account_id, billed.is_active, billed.version) == before


def test_a_billed_deal_keeps_its_products_and_prices(api, user, billed):
    line = billed.line_items.get()
    product = line.product
    url = f"/api/v1/opportunities/{billed.pk}/line_items"
    added = api.post(url, {"product_id": product.pk, "quantity": "1"}, format="json")
    edited = api.patch(f"{url}/{line.pk}", {"sale_price": "1.00", "version": 1}, format="json")
    removed = api.delete(f"{url}/{line.pk}?version=1")
    for response in (added, edited, removed):
        assert (response.status_code, response.data["code"]) == (409, "opportunity_billed")
    line.refresh_from_db()
    assert (billed.line_items.count(), line.sale_price) == (1, Decimal("1000.00"))


def test_a_billed_deal_still_takes_notes(api, user, billed):
    body = {"name": billed.name, "stage": billed.stage, "description": "Kick-off on Monday", "version": billed.version}
    response = api.patch(f"/api/v1/opportunities/{billed.pk}", body, format="json")
    assert response.status_code == 200
    assert response.data["description"] == "Kick-off on Monday"


# --- inactive records take no new children ---------------------------------------------------------


def test_no_contact_or_opportunity_on_a_deactivated_account(api, user, in_org):
    account = AccountFactory(owner=user, is_active=False)
    contact = api.post(
        "/api/v1/contacts", {"first_name": "Lee", "last_name": "Late", "account_id": account.pk}, format="json"
    )
    assert (contact.status_code, contact.data["code"]) == (400, "inactive_reference")
    assert contact.data["errors"]["account_id"] == ["This account is deactivated; choose an active one."]
    deal = api.post(
        "/api/v1/opportunities", {"name": "Late deal", "stage": "Qualifying", "account_id": account.pk}, format="json"
    )
    assert (deal.status_code, deal.data["code"]) == (400, "inactive_reference")
    assert account.contacts.count() == 0
    assert account.opportunities.count() == 0


def test_moving_a_contact_to_a_deactivated_account_is_refused_but_its_own_edits_are_not(api, user, in_org):
    active = AccountFactory(owner=user)
    contact = api.post(
        "/api/v1/contacts", {"first_name": "Sue", "last_name": "Stay", "account_id": active.pk}, format="json"
    ).data
    active_version = api.patch(f"/api/v1/accounts/{active.pk}", {"is_active": False, "version": 1}, format="json")
    assert active_version.status_code == 200
    # the contact's own account was deactivated after it was linked: the contact stays editable
    same = api.patch(
        f"/api/v1/contacts/{contact['id']}", {"title": "CTO", "account_id": active.pk, "version": 1}, format="json"
    )
    assert same.status_code == 200
    other = AccountFactory(owner=user, is_active=False)
    moved = api.patch(f"/api/v1/contacts/{contact['id']}", {"account_id": other.pk, "version": 2}, format="json")
    assert (moved.status_code, moved.data["errors"]["account_id"]) == (
        400,
        ["This account is deactivated; choose an active one."],
    )


def test_no_renewal_or_order_for_a_deactivated_account(api, user, in_org):
    contract = ContractFactory(owner=user)
    opportunity = won_opportunity(user)
    for account in (contract.account, opportunity.account):
        api.patch(f"/api/v1/accounts/{account.pk}", {"is_active": False, "version": account.version}, format="json")
    renewal = api.post(
        f"/api/v1/contracts/{contract.pk}/renew", {"start_date": "2026-01-01", "end_date": "2026-12-31"}, format="json"
    )
    assert (renewal.status_code, renewal.data["code"]) == (400, "inactive_reference")
    order = api.post(f"/api/v1/opportunities/{opportunity.pk}/generate-order", {}, format="json")
    assert (order.status_code, order.data["code"]) == (400, "inactive_reference")
    assert Contract.objects.count() == 1
    assert not Order.objects.exists()
    opportunity.refresh_from_db()
    assert opportunity.billed_at is None


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"is_active": False}, "payments_are_voided", "is_active"),
        ({"service_period_start": datetime.date(2025, 9, 1)}, "invalid_service_period", "service_period_end"),
        (
            {"service_period_start": datetime.date(2025, 9, 30), "service_period_end": datetime.date(2025, 9, 1)},
            "invalid_service_period",
            "service_period_end",
        ),
    ],
)
def test_payment_field_rules_live_in_the_service(in_org, user, data, code, field):
    payment = PaymentFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        services.payment_update(payment_id=payment.pk, data=data, expected_version=1, actor=user)
    assert (error.value.code, list(error.value.fields)) == (code, [field])
    with pytest.raises(ApplicationError) as error:
        services.payment_log(
            order_id=payment.order_id,
            actor=user,
            data={
                "amount": Decimal("1.00"),
                "payment_date": datetime.date(2025, 9, 1),
                "payment_method": "Cash",
                **data,
            },
        )
    assert error.value.code == code
    payment.refresh_from_db()
    assert (payment.version, Payment.objects.count()) == (1, 1)
