from __future__ import annotations

import random

from django.db import transaction

from crm.billing.models import Contract, Order, Payment
from crm.billing.selectors import payment_retainer_report
from crm.billing.tests.factories import AccountFactory, won_opportunity
from crm.seeding.demo import DemoContext
from crm.seeding.demo import billing as demo


def test_demo_seeds_orders_payments_and_a_paid_retainer(org, user, in_org):
    ctx = DemoContext(organization=org, actor=user, users=[user], rng=random.Random(7))
    ctx.objects["accounts"] = [AccountFactory(owner=user)]
    ctx.objects["opportunities"] = [won_opportunity(user), won_opportunity(user, stage="Proposal")]
    with transaction.atomic():
        demo.seed(ctx)
    assert Order.objects.count() == 1
    contract = Contract.objects.get()
    assert Payment.objects.filter(contract=contract).count() >= 13
    previous = contract.start_date.year
    assert payment_retainer_report(year=previous)["totals"]["total"] == "6000.00"


def test_demo_without_opportunities_creates_no_orders(org, user, in_org):
    ctx = DemoContext(organization=org, actor=user, users=[user], rng=random.Random(1))
    ctx.objects["accounts"] = [AccountFactory(owner=user)]
    with transaction.atomic():
        demo.seed(ctx)
    assert not Order.objects.exists()
    assert Contract.objects.count() == 1
