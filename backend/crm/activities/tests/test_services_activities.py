"""Task and event rules live in the activity services, for creating and editing alike."""

from __future__ import annotations

import datetime

import pytest

from crm.accounts.tests.factories import AccountFactory
from crm.core.errors import ApplicationError

from .. import services

START = datetime.datetime(2025, 9, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"type": "Event", "subject": "Demo"}, {"start_time", "end_time"}),
        ({"type": "Event", "subject": "Demo", "start_time": START, "end_time": START}, {"end_time"}),
        ({"type": "Task", "subject": "Call", "status": ""}, {"status"}),
        ({"type": "Task", "subject": "Call", "what_type": "Account"}, {"what_id"}),
        ({"type": "Task", "subject": "Call", "what_id": 5}, {"what_type"}),
        ({"type": "Task", "subject": "Call", "who_type": "Contact", "who_id": 999999}, {"who_id"}),
    ],
)
def test_create_refuses_what_the_rules_forbid(in_org, user, data, fields):
    with pytest.raises(ApplicationError) as error:
        services.activity_create(data=data, actor=user)
    assert (error.value.code, set(error.value.fields)) == ("invalid_activity", fields)


def test_an_activity_keeps_its_type_and_a_valid_link(in_org, user):
    account = AccountFactory(owner=user)
    task = services.activity_create(
        data={"type": "Task", "subject": "Call", "what_type": "Account", "what_id": account.pk}, actor=user
    )
    with pytest.raises(ApplicationError) as error:
        services.activity_update(activity=task, data={"type": "Event"}, expected_version=1, actor=user)
    assert set(error.value.fields) == {"type", "start_time", "end_time"}
    cleared = services.activity_update(
        activity=task, data={"what_type": "", "what_id": None}, expected_version=1, actor=user
    )
    assert (cleared.what_type, cleared.what_id, cleared.version) == ("", None, 2)
