from crm.accounts.tests.factories import AccountFactory
from crm.records.testing import ContractCase

from .factories import LeadFactory, OpportunityFactory, ProductFactory

CASES = [
    ContractCase(
        object="lead",
        detail_queries=4,
        make_record=lambda org, user: LeadFactory(owner=user),
        create_payload=lambda org, user: {"last_name": "Smith", "company": "Global Tech", "status": "New"},
        invalid_payload=lambda org, user: {"last_name": "Smith", "status": "New"},
        invalid_field="company",
        update={"status": "Contacted"},
    ),
    ContractCase(
        object="product",
        detail_queries=2,
        make_record=lambda org, user: ProductFactory(owner=user),
        create_payload=lambda org, user: {"name": "New Website Build", "standard_list_price": "5000.00"},
        invalid_payload=lambda org, user: {"name": "Logo Design", "standard_list_price": "-1.00"},
        invalid_field="standard_list_price",
        update={"standard_list_price": "4200.00"},
        admin_only_write=True,
    ),
    ContractCase(
        object="opportunity",
        detail_queries=8,
        make_record=lambda org, user: OpportunityFactory(owner=user),
        create_payload=lambda org, user: {
            "name": "New Website Build",
            "stage": "Qualifying",
            "account_id": AccountFactory(owner=user).pk,
        },
        invalid_payload=lambda org, user: {
            "name": "New Website Build",
            "stage": "Daydreaming",
            "account_id": AccountFactory(owner=user).pk,
        },
        invalid_field="stage",
        update={"name": "New Website Build, phase 2"},
    ),
]
