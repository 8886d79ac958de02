from __future__ import annotations

import random

from django.db import transaction

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.sales.models import Lead, Opportunity, OpportunityContactRole, Product
from crm.sales.selectors import opportunity_line_total
from crm.seeding.demo import DemoContext
from crm.seeding.demo import sales as demo


def test_demo_seeds_catalog_leads_and_pipeline(org, user, in_org):
    accounts = [AccountFactory(owner=user) for _ in range(5)]
    for account in accounts:
        ContactFactory(owner=user, account=account)
    ctx = DemoContext(organization=org, actor=user, users=[user], rng=random.Random(7))
    ctx.objects["accounts"] = accounts
    with transaction.atomic():
        demo.seed(ctx)
    assert Product.objects.filter(is_retainer_product=True).count() >= 2
    assert {"Monthly SEO Package", "Hosting & Maintenance", "Logo Design"} <= set(
        Product.objects.values_list("name", flat=True)
    )
    assert Lead.objects.count() == len(demo.LEADS)
    assert Lead.objects.filter(status=Lead.Status.CONVERTED, converted_opportunity__isnull=False).count() == 1
    assert len(ctx.objects["opportunities"]) == len(demo.DEALS) + 1
    for row in Opportunity.objects.all():
        assert row.amount > 0
        assert row.amount == opportunity_line_total(opportunity_id=row.pk)
    assert OpportunityContactRole.objects.count() == len(demo.DEALS)
    assert {o.stage for o in Opportunity.objects.all()} >= {"Qualifying", "Proposal", "Closed Won", "Closed Lost"}
    assert ctx.objects["products"]
    with transaction.atomic():
        demo.seed(ctx)  # a second run adds nothing
    assert Lead.objects.count() == len(demo.LEADS)
