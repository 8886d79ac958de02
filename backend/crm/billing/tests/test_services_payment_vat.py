"""An order counts its payments net of the invoice VAT they paid (``Payment.vat_amount``): the
order's total is net, so like is compared with like. Each test fails without its part of the rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from crm.core.errors import ApplicationError, InvalidStateTransition

from .. import services
from ..models import Order, Payment
from ..selectors import order_amounts, order_with_totals
from .factories import ContractFactory, OrderFactory

PAY = {"payment_date": datetime.date(2026, 1, 10), "payment_method": "Bank Transfer"}


def _order(user) -> Order:
    return OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("1000.00"))])


def _status(order: Order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


def test_the_vat_part_of_a_payment_does_not_count_for_the_order(in_org, user):
    # given an order of 1,000.00 net
    order = _order(user)
    # when 1,200.00 is received of which 200.00 paid invoice VAT
    payment = services.payment_log(
        order_id=order.pk, actor=user, data={"amount": Decimal("1200.00"), "vat_amount": Decimal("200.00"), **PAY}
    )
    # then the order is paid in full, with nothing over
    assert order_amounts(order_id=order.pk) == (Decimal("1000.00"), Decimal("1000.00"))
    row = order_with_totals(Order.objects.filter(pk=order.pk)).get()
    assert (row.total, row.amount_paid, row.balance_due) == (Decimal("1000.00"), Decimal("1000.00"), Decimal("0.00"))
    assert _status(order) == "Paid in Full"
    assert (payment.is_overpayment, payment.vat_amount) == (False, Decimal("200.00"))


def test_the_open_balance_check_counts_the_payment_net(in_org, user):
    order = _order(user)
    # 1,201.00 with 200.00 VAT is 1,001.00 for a 1,000.00 order: beyond its balance
    with pytest.raises(ApplicationError) as refused:
        services.payment_log(
            order_id=order.pk, actor=user, data={"amount": Decimal("1201.00"), "vat_amount": Decimal("200.00"), **PAY}
        )
    assert refused.value.code == "payment_exceeds_balance"
    assert not Payment.objects.filter(order=order).exists()
    # without any VAT part, 1,200.00 is an overpayment as before
    with pytest.raises(ApplicationError):
        services.payment_log(order_id=order.pk, actor=user, data={"amount": Decimal("1200.00"), **PAY})


def test_a_partial_net_payment_leaves_the_order_partially_paid(in_org, user):
    order = _order(user)
    services.payment_log(
        order_id=order.pk, actor=user, data={"amount": Decimal("600.00"), "vat_amount": Decimal("100.00"), **PAY}
    )
    assert order_amounts(order_id=order.pk) == (Decimal("1000.00"), Decimal("500.00"))
    assert _status(order) == "Partially Paid"


def test_attributing_vat_later_refreshes_the_order_status(in_org, user):
    # given 1,200.00 logged on the order as an overpayment (the VAT was not known yet)
    order = _order(user)
    payment = services.payment_log(
        order_id=order.pk, actor=user, data={"amount": Decimal("1100.00"), "is_overpayment": True, **PAY}
    )
    assert _status(order) == "Paid in Full"
    # when 183.33 of it turns out to have paid invoice VAT
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        stored = services.payment_attribute_vat(payment=payment, vat_amount=Decimal("183.33"), actor=user)
    # then the order counts 916.67 of it, and is no longer paid in full; the version did not move
    assert stored.vat_amount == Decimal("183.33") and stored.version == payment.version
    assert order_amounts(order_id=order.pk) == (Decimal("1000.00"), Decimal("916.67"))
    assert _status(order) == "Partially Paid"


def test_the_vat_part_stays_within_the_amount(in_org, user):
    order = _order(user)
    payment = services.payment_log(order_id=order.pk, actor=user, data={"amount": Decimal("100.00"), **PAY})
    with pytest.raises(ValueError, match="between 0 and its amount"):
        services.payment_attribute_vat(payment=payment, vat_amount=Decimal("100.01"), actor=user)
    with pytest.raises(ValueError, match="between 0 and its amount"):
        services.payment_log(
            order_id=order.pk, actor=user, data={"amount": Decimal("10.00"), "vat_amount": Decimal("-1"), **PAY}
        )
    # and the database holds the same rule, whoever writes the row
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(vat_amount=Decimal("100.01"))
    assert Payment.objects.get(pk=payment.pk).vat_amount == Decimal("0.00")


def test_a_contract_payment_carries_no_vat_part(in_org, user):
    contract = ContractFactory(owner=user)
    payment = services.payment_log(
        contract_id=contract.pk, actor=user, data={"amount": Decimal("100.00"), "vat_amount": Decimal("20.00"), **PAY}
    )
    assert payment.vat_amount == Decimal("0.00")
    with pytest.raises(ValueError, match="payment of an order"):
        services.payment_attribute_vat(payment=payment, vat_amount=Decimal("20.00"), actor=user)


def test_a_payment_that_paid_vat_keeps_its_amount_and_is_voided_instead(in_org, user):
    order = _order(user)
    payment = services.payment_log(
        order_id=order.pk, actor=user, data={"amount": Decimal("600.00"), "vat_amount": Decimal("100.00"), **PAY}
    )
    with pytest.raises(InvalidStateTransition) as refused:
        services.payment_update(
            payment_id=payment.pk, data={"amount": Decimal("300.00")}, expected_version=payment.version, actor=user
        )
    assert refused.value.code == "payment_paid_invoice_vat"
    assert Payment.objects.get(pk=payment.pk).amount == Decimal("600.00")
    # notes and voiding stay possible; a void payment counts nothing, its VAT part neither
    services.payment_update(
        payment_id=payment.pk, data={"status": "Void"}, expected_version=payment.version, actor=user
    )
    assert order_amounts(order_id=order.pk) == (Decimal("1000.00"), Decimal("0.00"))
    assert _status(order) == "Awaiting Payment"


def test_editing_a_payment_checks_the_balance_net(in_org, user):
    # given 1,200.00 with 200.00 VAT: the 1,000.00 order is paid in full
    order = _order(user)
    payment = services.payment_log(
        order_id=order.pk, actor=user, data={"amount": Decimal("1200.00"), "vat_amount": Decimal("200.00"), **PAY}
    )
    # when it is marked pending and completed again, the balance check counts it net
    pending = services.payment_update(
        payment_id=payment.pk, data={"status": "Pending"}, expected_version=payment.version, actor=user
    )
    assert _status(order) == "Awaiting Payment"
    completed = services.payment_update(
        payment_id=payment.pk, data={"status": "Completed"}, expected_version=pending.version, actor=user
    )
    assert completed.status == "Completed" and not completed.is_overpayment
    assert _status(order) == "Paid in Full"
