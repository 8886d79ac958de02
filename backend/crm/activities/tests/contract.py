from crm.accounts.tests.factories import AccountFactory
from crm.records.testing import ContractCase

from .factories import TaskFactory

CASES = [
    ContractCase(
        object="activity",
        detail_queries=3,
        make_record=lambda org, user: TaskFactory(owner=user),
        create_payload=lambda org, user: {
            "type": "Task",
            "subject": "Draft proposal",
            "due_date": "2025-09-15",
            "what_type": "Account",
            "what_id": AccountFactory(owner=user).pk,
        },
        invalid_payload=lambda org, user: {
            "type": "Event",
            "subject": "Kick-off",
            "start_time": "2025-09-15T10:00:00Z",
            "end_time": "2025-09-15T09:00:00Z",
        },
        invalid_field="end_time",
        invalid_code="invalid_activity",
        update={"status": "Completed"},
    ),
]
