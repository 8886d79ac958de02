from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from crm.accounts.tests.factories import AccountFactory
from crm.activities.models import Activity
from crm.records.testing import RecordFactory
from crm.sales.models import Lead, Opportunity


class TaskFactory(RecordFactory):
    class Meta:
        model = Activity

    type = Activity.Type.TASK
    subject = factory.Sequence(lambda n: f"Follow up {n:04d}")
    status = Activity.Status.NOT_STARTED
    priority = Activity.Priority.NORMAL
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))
    assigned_to = factory.SelfAttribute("owner")


class EventFactory(RecordFactory):
    class Meta:
        model = Activity

    type = Activity.Type.EVENT
    subject = factory.Sequence(lambda n: f"Meeting {n:04d}")
    status = ""
    start_time = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=2))
    end_time = factory.LazyAttribute(lambda o: o.start_time + datetime.timedelta(hours=1))
    location = "Client office"
    assigned_to = factory.SelfAttribute("owner")


class LeadFactory(RecordFactory):
    class Meta:
        model = Lead

    first_name = "Lena"
    last_name = factory.Sequence(lambda n: f"Lead{n:04d}")
    company = factory.Sequence(lambda n: f"Prospect {n:04d}")


class OpportunityFactory(RecordFactory):
    class Meta:
        model = Opportunity

    name = factory.Sequence(lambda n: f"Website rebuild {n:04d}")
    stage = "Prospecting"
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
