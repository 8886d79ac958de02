from __future__ import annotations

import random

from django.db import transaction

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.seeding.demo import DemoContext
from crm.seeding.demo import service as demo
from crm.service.models import Case


def test_demo_seeds_cases_on_the_accounts(org, user, in_org):
    accounts = [AccountFactory(owner=user) for _ in range(3)]
    contact = ContactFactory(owner=user, account=accounts[0])
    ctx = DemoContext(organization=org, actor=user, users=[user], rng=random.Random(7))
    ctx.objects["accounts"] = accounts
    with transaction.atomic():
        demo.seed(ctx)
    cases = list(Case.objects.all())
    assert len(cases) == len(demo.ISSUES) == len(ctx.objects["cases"])
    assert {case.account_id for case in cases} <= {account.pk for account in accounts}
    assert all(case.contact_id in (None, contact.pk) for case in cases)
    assert all((case.closed_at is not None) == (case.status == "Closed") for case in cases)
    demo.seed(ctx)  # a second run adds nothing
    assert Case.objects.count() == len(cases)
