from __future__ import annotations

import factory

from crm.accounts.tests.factories import AccountFactory
from crm.records.testing import RecordFactory
from crm.service.models import Case


class CaseFactory(RecordFactory):
    class Meta:
        model = Case

    case_number = factory.Sequence(lambda n: f"{90000000 + n:08d}")
    subject = factory.Sequence(lambda n: f"Issue {n:04d}")
    status = Case.Status.NEW
    priority = Case.Priority.MEDIUM
    origin = Case.Origin.EMAIL
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
    contact = None
