"""Races: two reminder runs at once send each reminder once; the same statement imported twice at
once stores each transaction once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from crm.core.scoping import org_scope

from ..models import Reminder, ReminderCharge
from ..services.reminders import reminders_run
from .factories import overdue_invoice


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
        thread.join(timeout=300)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_each_reminder_once(org, user, smtp):
    with org_scope(org.pk):
        invoices = [
            overdue_invoice(user, days=days, email=f"ap{n}@client.example") for n, days in enumerate([5, 20, 35, 40])
        ]

    results = run_in_parallel(org.pk, [lambda: reminders_run(organization_id=org.pk) for _ in range(2)])

    assert sum(result.sent for result in results) == len(invoices)
    assert sorted(message["To"] for message in smtp.messages) == [f"ap{n}@client.example" for n in range(4)]
    with org_scope(org.pk):
        assert Reminder.objects.count() == len(invoices)
        assert ReminderCharge.objects.filter(kind="fee").count() == 2  # the two past 30 days


@pytest.mark.django_db(transaction=True)
def test_the_same_statement_imported_twice_at_once_is_stored_once(org, admin):
    from pathlib import Path

    from ..models import BankStatement, BankTransaction
    from ..services.statements import statement_import

    content = (Path(__file__).parent / "samples" / "statement.camt053.xml").read_bytes()

    results = run_in_parallel(
        org.pk,
        [
            lambda: statement_import(data=content, filename="a.xml", fmt="auto", mapping=None, actor=admin)
            for _ in range(2)
        ],
    )

    assert sorted(statement.total for statement in results) == [0, 9]
    assert sorted(statement.duplicates for statement in results) == [0, 9]
    with org_scope(org.pk):
        assert BankTransaction.objects.count() == 9
        assert BankStatement.objects.count() == 2
