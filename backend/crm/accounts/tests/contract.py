from crm.records.testing import ContractCase

from .factories import AccountFactory, ContactFactory

CASES = [
    ContractCase(
        object="account",
        detail_queries=9,
        make_record=lambda org, user: AccountFactory(owner=user),
        create_payload=lambda org, user: {"name": "Innovate Corp", "website": "innovate.com", "phone": "555-1000"},
        invalid_payload=lambda org, user: {"name": "", "website": "innovate.com"},
        invalid_field="name",
        update={"phone": "555-3333"},
    ),
    ContractCase(
        object="contact",
        detail_queries=5,
        make_record=lambda org, user: ContactFactory(owner=user),
        create_payload=lambda org, user: {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane@innovate.example",
            "account_id": AccountFactory(owner=user).pk,
        },
        invalid_payload=lambda org, user: {"first_name": "Jane", "last_name": "Doe"},
        invalid_field="account_id",
        update={"title": "CTO"},
    ),
]
