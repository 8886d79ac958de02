"""The account hierarchy and reports-to rules live in the services and hold under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from crm.core.errors import ApplicationError
from crm.core.scoping import org_scope

from .. import services
from ..models import Account
from .factories import AccountFactory, ContactFactory


def test_an_account_cannot_become_its_own_ancestor(in_org, user):
    top = AccountFactory(owner=user)
    middle = AccountFactory(owner=user, parent_account=top)
    bottom = AccountFactory(owner=user, parent_account=middle)
    for parent in (top, bottom):
        with pytest.raises(ApplicationError) as error:
            services.account_update(
                account=top if parent is bottom else parent,
                data={"parent_account": parent if parent is bottom else top},
                expected_version=1,
                actor=user,
            )
        assert error.value.code == "account_hierarchy_cycle"
        assert "parent_account_id" in error.value.fields
    top.refresh_from_db()
    assert (top.parent_account_id, top.version) == (None, 1)


def test_a_contact_cannot_report_to_themselves(in_org, user):
    contact = ContactFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        services.contact_update(contact=contact, data={"reports_to": contact}, expected_version=1, actor=user)
    assert error.value.code == "contact_reports_to_self"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_reparentings_cannot_close_a_loop(org, user):
    # given two unrelated accounts, and two users making each the parent of the other at once
    with org_scope(org.pk):
        first, second = AccountFactory(owner=user), AccountFactory(owner=user)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def reparent(child: Account, parent: Account) -> None:
        try:
            with org_scope(org.pk):
                barrier.wait(timeout=10)
                services.account_update(account=child, data={"parent_account": parent}, expected_version=1, actor=user)
            outcomes.append("saved")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=reparent, args=(first, second)),
        threading.Thread(target=reparent, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then one wins and the other is refused: no loop in the data
    assert sorted(outcomes) == ["account_hierarchy_cycle", "saved"]
    with org_scope(org.pk):
        parents = dict(Account.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "parent_account_id"))
    assert list(parents.values()).count(None) == 1
