"""UI metadata for Activities and the activity timeline on every record page that has one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crm.records.registry import (
    ObjectMeta,
    RelatedListMeta,
    add_related_list,
    register,
)
from crm.records.related import register_embed
from crm.records.rows import rows_of

from .api.serializers import ACTIVITY_FIELDS, ActivityRowSerializer
from .selectors import timeline_rows

if TYPE_CHECKING:
    from rest_framework.request import Request

    from crm.records.models import Record

TIMELINE_PARENTS = ("account", "contact", "lead", "opportunity", "case", "order", "contract", "invoice")

register(
    ObjectMeta(
        name="activity",
        label="Activity",
        label_plural="Activities",
        api_path="activities",
        icon="task",
        title_field="subject",
        fields=ACTIVITY_FIELDS.meta,
        list_columns=("subject", "type", "status", "due_date", "start_time", "what_id", "who_id", "assigned_to_id"),
        highlight_fields=("type", "status", "due_date", "start_time", "assigned_to_id"),
        form_fields=ACTIVITY_FIELDS.form,
        filters=("type", "status", "priority", "assigned_to", "what_type", "who_type"),
        default_ordering="due_date",
        extra={
            "hidden_from_nav": True,
            "type_fields": {
                "Task": ["due_date", "status", "priority"],
                "Event": ["start_time", "end_time", "location", "is_all_day_event"],
            },
            "polymorphic": {"what_id": "what_type", "who_id": "who_type"},
        },
    )
)


def _timeline(record: Record, request: Request) -> Any:
    return rows_of(ActivityRowSerializer, timeline_rows(record=record))


TIMELINE_COLUMNS = ("subject", "type", "status", "due_date", "start_time", "assigned_to_id", "what_id", "who_id")

for parent in TIMELINE_PARENTS:
    register_embed(parent=parent, key="activities", loader=_timeline, serializer=ActivityRowSerializer)
    field = "who_id" if parent in ("contact", "lead") else "what_id"
    add_related_list(
        parent,
        RelatedListMeta(object="activity", field=field, label="Activity", columns=TIMELINE_COLUMNS, key="activities"),
    )
