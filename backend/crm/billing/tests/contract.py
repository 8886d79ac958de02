from crm.records.testing import ContractCase

from .factories import ContractFactory, OrderFactory, PaymentFactory, paid_order, won_opportunity

CASES = [
    ContractCase(
        object="order",
        detail_queries=7,
        make_record=lambda org, user: paid_order(user),
        create_url=lambda org, user: f"/api/v1/opportunities/{won_opportunity(user).pk}/generate-order",
        create_payload=lambda org, user: {},
        invalid_payload=None,
        invalid_field="",
        update={"status": "Fulfilled"},
        deactivatable=False,
    ),
    ContractCase(
        object="payment",
        detail_queries=3,
        make_record=lambda org, user: PaymentFactory(owner=user),
        create_url=lambda org, user: f"/api/v1/orders/{OrderFactory(owner=user).pk}/payments",
        create_payload=lambda org, user: {
            "amount": "250.00",
            "payment_date": "2025-09-01",
            "payment_method": "Bank Transfer",
        },
        invalid_payload=lambda org, user: {"amount": "-5", "payment_date": "2025-09-01", "payment_method": "Cash"},
        invalid_field="amount",
        update={"notes": "Paid by wire"},
        deactivatable=False,
    ),
    ContractCase(
        object="contract",
        detail_queries=7,
        make_record=lambda org, user: ContractFactory(owner=user),
        create_url=lambda org, user: (
            f"/api/v1/opportunities/{won_opportunity(user, retainer=True).pk}/generate-contract"
        ),
        create_payload=lambda org, user: {
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "billing_cycle": "Monthly",
        },
        invalid_payload=lambda org, user: {
            "start_date": "2025-01-01",
            "end_date": "2024-12-31",
            "billing_cycle": "Monthly",
        },
        invalid_field="end_date",
        update={"status": "Expired"},
        deactivatable=False,
    ),
]
