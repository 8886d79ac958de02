"""Retainer billing runs as a job: once per organization and day, however often beat asks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from crm.billing.tests.factories import ContractFactory
from crm.core.scoping import org_scope
from crm.jobs.models import Job

from ..models import Invoice
from ..tasks import billing_due


@pytest.mark.django_db(transaction=True)
def test_the_daily_billing_job_bills_each_contract_period_once(org, user):
    today = timezone.localdate()
    start = today.replace(day=1)
    with org_scope(org.pk):
        contract = ContractFactory(owner=user, start_date=start, end_date=start + datetime.timedelta(days=365))

    # beat asks twice on the same day: one job, one invoice for the current cycle
    assert billing_due(today=today) >= 1
    billing_due(today=today)

    jobs = Job.objects.filter(task="invoicing.bill_retainers", organization_id=org.pk)
    assert [(job.key, job.state) for job in jobs] == [(f"{org.pk}:{today.isoformat()}", Job.State.SUCCEEDED)]
    assert jobs[0].args == {"organization": org.pk, "day": today.isoformat()}
    with org_scope(org.pk):
        invoices = list(Invoice.objects.filter(contract=contract))
    assert [(invoice.service_period_start, invoice.status) for invoice in invoices] == [(start, Invoice.Status.ISSUED)]
    assert invoices[0].number

    # the next day's job finds the period billed and issues nothing more
    billing_due(today=today + datetime.timedelta(days=1))
    assert Job.objects.filter(task="invoicing.bill_retainers", organization_id=org.pk).count() == 2
    with org_scope(org.pk):
        assert Invoice.objects.filter(contract=contract).count() == 1
