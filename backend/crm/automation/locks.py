"""Row locks of the automation domain, taken only here.

Lock order, always in this direction:
1. a web form (a submission counts on it; an edit checks its version);
2. a webhook endpoint, then one of its deliveries;
3. a workflow (its debounce rows are claimed while it is held), then one of its runs;
4. the record a workflow step writes (through that record's own service and locks).
"""

from __future__ import annotations

from crm.records.models import Record

from .models import RoundRobinCursor, WebForm, WebhookDelivery, WebhookEndpoint, Workflow, WorkflowRun


def web_form_for_update(*, form_id: int) -> WebForm:
    return WebForm.objects.select_for_update().get(pk=form_id)


def webhook_for_update(*, endpoint_id: int) -> WebhookEndpoint:
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)


def delivery_for_update(*, delivery_id: int) -> WebhookDelivery:
    return WebhookDelivery.objects.select_for_update().get(pk=delivery_id)


def workflow_for_update(*, workflow_id: int) -> Workflow:
    return Workflow.objects.select_for_update().get(pk=workflow_id)


def run_for_update(*, run_id: int) -> WorkflowRun:
    return WorkflowRun.objects.select_for_update().get(pk=run_id)


def round_robin_cursor_for_update(*, workflow_id: int, step_index: int) -> RoundRobinCursor:
    cursor, _ = RoundRobinCursor.objects.select_for_update().get_or_create(
        workflow_id=workflow_id, step_index=step_index
    )
    return cursor


def record_for_update(*, record: Record) -> Record:
    """The row of the record a workflow step writes, locked (its current version read under the lock)."""
    locked: Record = type(record).objects.select_for_update().get(pk=record.pk)
    return locked
