"""Gapless invoice numbers under 20 parallel issue calls, and retainer billing raced by two workers."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from crm.core.scoping import org_scope

from ..models import Invoice, InvoiceCounter, InvoiceLineItem
from ..services.invoices import invoice_issue
from ..services.retainers import retainer_billing_run
from .factories import ContractFactory

PARALLEL = 20


def run_in_parallel(org_id: int, works: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(works))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(work: Callable[[], object]) -> None:
        try:
            with org_scope(org_id):
                barrier.wait(timeout=30)
                value = work()
            with lock:
                results.append(value)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_issues_get_consecutive_numbers(org, user):
    with org_scope(org.pk):
        from crm.accounts.tests.factories import AccountFactory

        account = AccountFactory(owner=user)
        drafts = []
        for _ in range(PARALLEL):
            invoice = Invoice.objects.create(
                account=account, owner=user, created_by=user, updated_by=user, gross_total=Decimal("120.00")
            )
            InvoiceLineItem.objects.create(invoice=invoice, description="Work", quantity=1, unit_price=Decimal("100"))
            drafts.append(invoice.pk)

    numbers = run_in_parallel(org.pk, [lambda pk=pk: invoice_issue(invoice_id=pk, actor=user).number for pk in drafts])

    year = timezone.localdate().year
    expected = [f"INV-{year}-{n:06d}" for n in range(1, PARALLEL + 1)]
    assert sorted(numbers) == expected
    with org_scope(org.pk):
        assert sorted(Invoice.objects.values_list("number", flat=True)) == expected
        assert InvoiceCounter.objects.get(series="INV", year=year).last_value == PARALLEL


@pytest.mark.django_db(transaction=True)
def test_two_billing_runs_at_once_bill_each_period_once(org, user):
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=70)).replace(day=1)
    with org_scope(org.pk):
        contracts = [
            ContractFactory(owner=user, start_date=start, end_date=start + datetime.timedelta(days=365))
            for _ in range(3)
        ]

    runs = run_in_parallel(org.pk, [lambda: retainer_billing_run(organization_id=org.pk, today=today)] * 2)

    created = sum(len(run.created) for run in runs)
    periods = (today.year - start.year) * 12 + today.month - start.month + 1
    with org_scope(org.pk):
        per_contract = [Invoice.objects.filter(contract=contract).count() for contract in contracts]
        assert per_contract == [periods] * 3
        assert created == 3 * periods
        numbers = list(Invoice.objects.values_list("number", flat=True))
        assert len(set(numbers)) == 3 * periods and all(numbers)
        assert all(
            status == "Issued" or status == "Overdue" for status in Invoice.objects.values_list("status", flat=True)
        )
    again = retainer_billing_run(organization_id=org.pk, today=today)
    assert again.created == [] and again.skipped == 3 * periods
