from __future__ import annotations

import datetime
import random

from conftest import make_user
from django.db import transaction
from django.utils import timezone

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.activities.models import Activity
from crm.seeding.demo import DemoContext
from crm.seeding.demo import activities as demo


def test_demo_seeds_tasks_and_events_for_the_demo_users(org, user, in_org):
    colleague = make_user(org)
    accounts = [AccountFactory(owner=user) for _ in range(3)]
    for account in accounts:
        ContactFactory(owner=user, account=account)
    ctx = DemoContext(organization=org, actor=user, users=[user, colleague], rng=random.Random(7))
    ctx.objects["accounts"] = accounts
    with transaction.atomic():
        demo.seed(ctx)
    today = timezone.localdate()
    tasks = Activity.objects.filter(type="Task")
    events = Activity.objects.filter(type="Event")
    assert tasks.filter(due_date__lt=today).exclude(status="Completed").exists()
    assert tasks.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=7)).exists()
    assert tasks.filter(status="Completed", completed_at__isnull=False).exists()
    assert events.count() == len(demo.EVENTS) * 3
    assert all(event.end_time > event.start_time for event in events)
    assert {row.assigned_to_id for row in Activity.objects.all()} == {user.pk, colleague.pk}
    assert not Activity.objects.filter(what_type="").exists()
    assert Activity.objects.filter(who_type="Contact").count() == Activity.objects.count()
