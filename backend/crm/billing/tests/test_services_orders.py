"""Rules of order generation, status changes and the seed's worked example (§1.3.11)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.core.scoping import org_scope
from crm.sales.models import OpportunityLineItem, OpportunityStage, Product

from .. import services
from ..models import Order, OrderLineItem, Payment
from ..selectors import order_amounts
from .factories import ContractFactory, OpportunityFactory, OrderFactory, won_opportunity

PAY = {"payment_date": datetime.date(2025, 9, 1), "payment_method": "Bank Transfer"}


def test_generate_copies_sale_price_into_price_at_purchase(in_org, user):
    # given a 5,000.00 line discounted to 4,500.00 during negotiation
    opportunity = won_opportunity(user, lines=[(Decimal("1"), Decimal("5000.00"))])
    OpportunityLineItem.objects.filter(opportunity=opportunity).update(sale_price=Decimal("4500.00"))
    # when
    order = services.order_generate(opportunity_id=opportunity.pk, actor=user)
    # then
    line = OrderLineItem.objects.get(order=order)
    assert line.price_at_purchase == Decimal("4500.00")
    assert order.status == "Awaiting Payment"
    assert order.account_id == opportunity.account_id
    assert order.order_date == timezone.localdate()
    assert order.order_number == "ORD-00001"
    assert order_amounts(order_id=order.pk) == (Decimal("4500.00"), Decimal("0.00"))
    assert AuditEvent.all_orgs.filter(object_id=opportunity.pk, name="opportunity.generate_order").exists()


def test_worked_example_partial_full_and_void(in_org, user):
    opportunity = won_opportunity(user, lines=[(Decimal("1"), Decimal("4500.00"))])
    order = services.order_generate(opportunity_id=opportunity.pk, actor=user)

    first = services.payment_log(order_id=order.pk, actor=user, data={"amount": Decimal("2250.00"), **PAY})
    order.refresh_from_db()
    assert order.status == "Partially Paid"
    assert order.version == 1  # the payment status is calculated: an open order never goes stale

    services.payment_log(order_id=order.pk, actor=user, data={"amount": Decimal("2250.00"), **PAY})
    order.refresh_from_db()
    assert order.status == "Paid in Full"
    assert order.version == 1
    status_events = AuditEvent.all_orgs.filter(object_id=order.pk, object_type="billing.order", action="update")
    assert [event.changes["status"] for event in status_events.order_by("id")] == [
        ["Awaiting Payment", "Partially Paid"],
        ["Partially Paid", "Paid in Full"],
    ]

    services.payment_update(payment_id=first.pk, data={"status": "Void"}, expected_version=1, actor=user)
    order.refresh_from_db()
    assert order.status == "Partially Paid"
    assert order_amounts(order_id=order.pk) == (Decimal("4500.00"), Decimal("2250.00"))


def test_numbers_are_per_organization_and_sequential(in_org, user, other_user):
    first = services.order_generate(opportunity_id=won_opportunity(user).pk, actor=user)
    second = services.order_generate(opportunity_id=won_opportunity(user).pk, actor=user)
    with org_scope(other_user.organization_id):
        elsewhere = services.order_generate(opportunity_id=won_opportunity(other_user).pk, actor=other_user)
    assert [first.order_number, second.order_number, elsewhere.order_number] == [
        "ORD-00001",
        "ORD-00002",
        "ORD-00001",
    ]


def test_generate_refuses_open_opportunity(in_org, user):
    opportunity = won_opportunity(user, stage="Negotiation")
    with pytest.raises(InvalidStateTransition) as error:
        services.order_generate(opportunity_id=opportunity.pk, actor=user)
    assert error.value.code == "opportunity_not_won"
    assert not Order.objects.exists()


def test_generate_uses_the_organizations_won_stage(in_org, user, org):
    OpportunityStage.objects.create(name="Signed", probability=100, is_closed=True, is_won=True)
    OpportunityStage.objects.filter(name="Closed Won").update(is_closed=False, is_won=False)
    with pytest.raises(InvalidStateTransition) as error:
        services.order_generate(opportunity_id=won_opportunity(user).pk, actor=user)
    assert error.value.code == "opportunity_not_won"
    order = services.order_generate(opportunity_id=won_opportunity(user, stage="Signed").pk, actor=user)
    assert order.status == "Awaiting Payment"


def test_generate_needs_line_items_and_only_once(in_org, user):
    empty = OpportunityFactory(owner=user)
    with pytest.raises(InvalidStateTransition) as error:
        services.order_generate(opportunity_id=empty.pk, actor=user)
    assert error.value.code == "opportunity_has_no_line_items"
    opportunity = won_opportunity(user)
    services.order_generate(opportunity_id=opportunity.pk, actor=user)
    with pytest.raises(InvalidStateTransition) as error:
        services.order_generate(opportunity_id=opportunity.pk, actor=user)
    assert error.value.code == "order_already_generated"
    assert Order.objects.count() == 1


def test_later_price_and_opportunity_changes_never_change_the_order(in_org, user):
    opportunity = won_opportunity(user, lines=[(Decimal("2"), Decimal("1500.00"))])
    order = services.order_generate(opportunity_id=opportunity.pk, actor=user)
    Product.objects.update(standard_list_price=Decimal("6000.00"))
    OpportunityLineItem.objects.filter(opportunity=opportunity).update(
        sale_price=Decimal("9999.00"), quantity=Decimal("5")
    )
    OpportunityLineItem.objects.filter(opportunity=opportunity).delete()
    line = OrderLineItem.objects.get(order=order)
    assert (line.quantity, line.price_at_purchase) == (Decimal("2.00"), Decimal("1500.00"))
    assert order_amounts(order_id=order.pk)[0] == Decimal("3000.00")


def test_order_lines_are_immutable(in_org, user):
    order = OrderFactory(owner=user)
    line = order.line_items.get()
    line.price_at_purchase = Decimal("1.00")
    with pytest.raises(RuntimeError):
        line.save()


def test_status_edits_follow_the_rules(in_org, user):
    order = OrderFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        services.order_update(order_id=order.pk, data={"status": "Paid in Full"}, expected_version=1, actor=user)
    assert "status" in error.value.fields
    with pytest.raises(InvalidStateTransition) as error:
        services.order_update(order_id=order.pk, data={"status": "Fulfilled"}, expected_version=1, actor=user)
    assert error.value.code == "order_not_paid"
    in_org.allow_fulfill_before_payment = True
    in_org.save()
    fulfilled = services.order_update(order_id=order.pk, data={"status": "Fulfilled"}, expected_version=1, actor=user)
    assert fulfilled.status == "Fulfilled"
    with pytest.raises(InvalidStateTransition) as error:
        services.order_cancel(order_id=order.pk, expected_version=2, actor=user)
    assert error.value.code == "order_closed"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "x"}, "description"),
        ({"order_date": datetime.date(2020, 1, 1)}, "order_date"),
        ({"is_active": False}, "is_active"),
        ({"account": None}, "account_id"),
        ({"status": "Fulfilled", "order_number": "ORD-9"}, "order_number"),
    ],
)
def test_only_the_status_of_an_order_changes(in_org, user, data, field):
    # given an order anybody could reach through a job, an import or the API
    order = OrderFactory(owner=user)
    # when another field is asked to change
    with pytest.raises(ApplicationError) as error:
        services.order_update(order_id=order.pk, data=data, expected_version=1, actor=user)
    # then one code, the field named, and nothing written
    assert error.value.code == "validation_error"
    assert error.value.fields == {field: ["Only the status of an order can be changed."]}
    order.refresh_from_db()
    assert (order.version, order.status, order.is_active) == (1, "Awaiting Payment", True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"end_date": datetime.date(2030, 1, 1)}, "end_date"),
        ({"billing_cycle": "Annually"}, "billing_cycle"),
        ({"account": None}, "account_id"),
        ({"owner": None, "description": "ok"}, "owner_id"),
    ],
)
def test_only_the_status_and_description_of_a_contract_change(in_org, user, data, field):
    contract = ContractFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        services.contract_update(contract_id=contract.pk, data=data, expected_version=1, actor=user)
    assert error.value.code == "validation_error"
    assert error.value.fields == {
        field: ["Only the status and description of a contract can be changed; renew it for new terms."]
    }
    contract.refresh_from_db()
    assert contract.version == 1
    changed = services.contract_update(
        contract_id=contract.pk,
        data={"description": "Renewal talks", "status": "Active"},
        expected_version=1,
        actor=user,
    )
    assert (changed.version, changed.description) == (2, "Renewal talks")


def test_payments_never_touch_fulfilled_orders_and_refuse_cancelled(in_org, user):
    fulfilled = OrderFactory(owner=user, status="Fulfilled")
    services.payment_log(order_id=fulfilled.pk, actor=user, data={"amount": Decimal("1000.00"), **PAY})
    fulfilled.refresh_from_db()
    assert (fulfilled.status, fulfilled.version) == ("Fulfilled", 1)
    cancelled = OrderFactory(owner=user, status="Cancelled")
    with pytest.raises(InvalidStateTransition) as error:
        services.payment_log(order_id=cancelled.pk, actor=user, data={"amount": Decimal("5.00"), **PAY})
    assert error.value.code == "order_cancelled"
    assert not Payment.objects.filter(order=cancelled).exists()


def test_pending_and_failed_payments_do_not_count(in_org, user):
    order = OrderFactory(owner=user)
    services.payment_log(order_id=order.pk, actor=user, data={"amount": Decimal("1000.00"), "status": "Pending", **PAY})
    order.refresh_from_db()
    assert order.status == "Awaiting Payment"
    payment = Payment.objects.get(order=order)
    services.payment_update(payment_id=payment.pk, data={"status": "Completed"}, expected_version=1, actor=user)
    order.refresh_from_db()
    assert order.status == "Paid in Full"


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_end_with_the_right_status_and_total(org, user):
    # given an order of 1,000.00 and two clients paying 500.00 at the same moment
    with org_scope(org.pk):
        order = OrderFactory(owner=user)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def pay() -> None:
        try:
            with org_scope(org.pk):
                barrier.wait(timeout=10)
                services.payment_log(order_id=order.pk, actor=user, data={"amount": Decimal("500.00"), **PAY})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=pay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert errors == []
    with org_scope(org.pk):
        order.refresh_from_db()
        assert order_amounts(order_id=order.pk) == (Decimal("1000.00"), Decimal("1000.00"))
        assert Payment.objects.filter(order=order).count() == 2
    assert order.status == "Paid in Full"
    assert order.version == 1  # Awaiting -> Partially Paid -> Paid in Full, calculated: no bump
