"""The case's contact/account rule lives in the case services, whichever way a case is written."""

from __future__ import annotations

import pytest

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.core.errors import ApplicationError

from .. import services
from ..models import Case


def test_a_contact_of_another_account_is_refused_on_create_and_update(in_org, user):
    contact = ContactFactory(owner=user)
    other = AccountFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        services.case_create(data={"subject": "Mismatch", "account": other, "contact": contact}, actor=user)
    assert (error.value.code, list(error.value.fields)) == ("contact_not_on_account", ["contact_id"])
    case = services.case_create(data={"subject": "Login", "contact": contact}, actor=user)
    assert case.account_id == contact.account_id  # the contact's account is taken
    with pytest.raises(ApplicationError) as error:
        services.case_update(case=case, data={"account": other}, expected_version=1, actor=user)
    assert error.value.code == "contact_not_on_account"
    assert Case.objects.get(pk=case.pk).account_id == contact.account_id
