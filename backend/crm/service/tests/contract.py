from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.records.testing import ContractCase

from .factories import CaseFactory

CASES = [
    ContractCase(
        object="case",
        detail_queries=4,
        make_record=lambda org, user: CaseFactory(owner=user),
        create_payload=lambda org, user: {
            "subject": "Checkout page returns 500",
            "priority": "High",
            "origin": "Email",
            "account_id": AccountFactory(owner=user).pk,
        },
        invalid_payload=lambda org, user: {
            "subject": "Wrong contact",
            "account_id": AccountFactory(owner=user).pk,
            "contact_id": ContactFactory(owner=user).pk,
        },
        invalid_field="contact_id",
        invalid_code="contact_not_on_account",
        update={"status": "In Progress"},
    ),
]
