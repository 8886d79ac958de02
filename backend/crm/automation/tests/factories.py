from __future__ import annotations

import factory

from crm.automation.models import WebForm, WebhookEndpoint
from crm.records.testing import OrgOwnedFactory

DEFAULT_FIELDS = [
    {"field": "first_name", "label": "First name", "required": False},
    {"field": "last_name", "label": "Last name", "required": True},
    {"field": "company", "label": "Company", "required": True},
    {"field": "email", "label": "Email", "required": True},
]


class WebFormFactory(OrgOwnedFactory):
    class Meta:
        model = WebForm

    name = factory.Sequence(lambda n: f"Contact us {n}")
    fields = factory.LazyFunction(lambda: [dict(item) for item in DEFAULT_FIELDS])
    lead_source = "Web"
    lead_owner = None  # given by the test
    organization = factory.declarations.LazyAttribute(lambda o: o.lead_owner.organization)
    created_by = factory.declarations.SelfAttribute("lead_owner")


class WebhookFactory(OrgOwnedFactory):
    class Meta:
        model = WebhookEndpoint

    name = factory.Sequence(lambda n: f"Hook {n}")
    url = "https://hooks.example.com/crm"
    event_types = factory.LazyFunction(lambda: ["record.created"])


def make_workflow(actor, **values):
    """A workflow saved through its service (so it has its first version)."""
    from crm.automation.services.workflows import workflow_create
    from crm.core.scoping import org_scope

    data = {
        "name": "Follow up",
        "object_name": "lead",
        "trigger": {"type": "record_created"},
        "steps": [{"type": "create_task", "subject": "Call {record}", "due_in_days": 1}],
        **values,
    }
    with org_scope(actor.organization_id):
        return workflow_create(data=data, actor=actor)
