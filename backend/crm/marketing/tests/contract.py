from crm.records.testing import ContractCase

from .factories import CampaignFactory, EmailCampaignFactory, EmailTemplateFactory, SegmentFactory

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
    ContractCase(
        object="email_template",
        detail_queries=2,
        make_record=lambda org, user: EmailTemplateFactory(owner=user),
        create_payload=lambda org, user: {
            "name": "Welcome",
            "subject": "Welcome, {{ contact.first_name | default('friend') }}",
            "body": "<p>Glad to have you.</p>",
        },
        invalid_payload=lambda org, user: {"name": "Broken", "subject": "Hi", "body": "<p>{{ contact.first_name </p>"},
        invalid_field="body",
        invalid_code="template_error",
        update={"subject": "A new subject"},
    ),
    ContractCase(
        object="segment",
        detail_queries=2,
        make_record=lambda org, user: SegmentFactory(owner=user),
        create_payload=lambda org, user: {
            "name": "Acme people",
            "target": "both",
            "definition": {"match": "all", "conditions": [{"field": "email", "op": "contains", "value": "@acme"}]},
        },
        invalid_payload=lambda org, user: {"name": "Bad", "definition": {"conditions": [{"field": "password"}]}},
        invalid_field="definition",
        invalid_code="invalid_segment",
        update={"name": "Renamed segment"},
    ),
    ContractCase(
        object="email_campaign",
        detail_queries=2,
        make_record=lambda org, user: EmailCampaignFactory(owner=user),
        create_payload=lambda org, user: {
            "name": "March newsletter",
            "template_id": EmailTemplateFactory(owner=user).pk,
            "segment_id": SegmentFactory(owner=user).pk,
        },
        invalid_payload=lambda org, user: {
            "name": "No audience",
            "template_id": EmailTemplateFactory(owner=user).pk,
        },
        invalid_field="segment_id",
        invalid_code="audience",
        update={"name": "April newsletter"},
    ),
]
