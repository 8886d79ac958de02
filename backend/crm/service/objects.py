"""UI metadata for Cases, their search, and the case lists on accounts and contacts."""

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
from crm.records.search import SearchProvider, register_search

from .api.serializers import CASE_FIELDS, CaseRowSerializer
from .models import Case
from .selectors import case_list_for

if TYPE_CHECKING:
    from rest_framework.request import Request

    from crm.records.models import Record

CASE_COLUMNS = ("case_number", "subject", "status", "priority", "contact_id", "owner_id", "created_at")

register(
    ObjectMeta(
        name="case",
        label="Case",
        label_plural="Cases",
        api_path="cases",
        icon="case",
        title_field="subject",
        fields=CASE_FIELDS.meta,
        list_columns=("case_number", "subject", "account_id", "contact_id", "status", "priority", "owner_id"),
        highlight_fields=("case_number", "status", "priority", "account_id", "contact_id", "owner_id"),
        form_fields=CASE_FIELDS.form,
        filters=("owner", "status", "priority", "account_id", "contact_id", "is_closed"),
        related=(
            RelatedListMeta(
                object="activity",
                field="what_id",
                label="Activities",
                columns=("subject", "type", "status", "due_date", "start_time", "assigned_to_id"),
                key="activities",
            ),
        ),
        path_field="status",
        default_ordering="priority",
    )
)


def _account_cases(record: Record, request: Request) -> Any:
    return rows_of(CaseRowSerializer, case_list_for(account_id=record.pk))


def _contact_cases(record: Record, request: Request) -> Any:
    return rows_of(CaseRowSerializer, case_list_for(contact_id=record.pk))


register_embed(parent="account", key="cases", loader=_account_cases, serializer=CaseRowSerializer)
register_embed(parent="contact", key="cases", loader=_contact_cases, serializer=CaseRowSerializer)
for parent, field in (("account", "account_id"), ("contact", "contact_id")):
    add_related_list(
        parent,
        RelatedListMeta(object="case", field=field, label="Cases", columns=CASE_COLUMNS, key="cases"),
    )

register_search(
    SearchProvider(
        object="case",
        model=Case,
        fields=("subject", "case_number"),
        title=lambda row: f"{row.case_number} {row.subject}",
        subtitle=lambda row: row.status,
    )
)
