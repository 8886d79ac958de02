from __future__ import annotations

import random

from django.db import transaction

from crm.billing.tests.factories import AccountFactory, won_opportunity
from crm.invoicing.models import Invoice, Quote
from crm.seeding.demo import DemoContext
from crm.seeding.demo import billing as demo_billing
from crm.seeding.demo import invoicing as demo


def test_demo_seeds_quotes_and_invoices(org, user, in_org):
    ctx = DemoContext(organization=org, actor=user, users=[user], rng=random.Random(7))
    ctx.objects["accounts"] = [AccountFactory(owner=user)]
    ctx.objects["opportunities"] = [won_opportunity(user), won_opportunity(user, stage="Proposal", probability=50)]
    with transaction.atomic():
        demo_billing.seed(ctx)
        demo.seed(ctx)
        demo.seed(ctx)  # a second run adds nothing
    assert Quote.objects.count() == 1
    order_invoice = Invoice.objects.get(order__isnull=False)
    assert order_invoice.number and order_invoice.status == "Paid"
    assert Invoice.objects.filter(contract__isnull=False).count() == 1
    assert ctx.created["quotes"] == 1 and ctx.created["invoices"] == 2
