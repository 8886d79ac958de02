from crm.records.testing import ContractCase

from .factories import CampaignFactory

CASES = [
    ContractCase(
        object="campaign",
        detail_queries=12,
        make_record=lambda org, user: CampaignFactory(owner=user),
        create_payload=lambda org, user: {
            "name": "Spring webinar series",
            "type": "Webinar",
            "start_date": "2026-03-01",
            "end_date": "2026-03-31",
            "budgeted_cost": "1500.00",
        },
        invalid_payload=lambda org, user: {"name": "Backwards", "start_date": "2026-03-31", "end_date": "2026-03-01"},
        invalid_field="end_date",
        invalid_code="end_before_start",
        update={"status": "In Progress"},
    ),
]
