from __future__ import annotations

import factory

from crm.accounts.models import Account, Contact
from crm.records.testing import RecordFactory


class AccountFactory(RecordFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n:04d}")
    phone = factory.Sequence(lambda n: f"+359 2 {n:07d}")
    website = factory.Sequence(lambda n: f"https://account{n}.example")
    type = Account.Type.CUSTOMER


class ContactFactory(RecordFactory):
    class Meta:
        model = Contact

    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n:04d}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    account = factory.SubFactory(AccountFactory, owner=factory.SelfAttribute("..owner"))
