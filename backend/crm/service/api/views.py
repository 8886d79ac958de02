from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from crm.records.api import RecordFilterSet, RecordViewSet, record_viewset_schema
from crm.records.models import Record

from .. import services
from ..models import Case
from ..selectors import priority_rank
from . import serializers as s


class CaseFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Case.Status.choices)
    priority = django_filters.MultipleChoiceFilter(choices=Case.Priority.choices)
    origin = django_filters.ChoiceFilter(choices=Case.Origin.choices)
    account_id = django_filters.NumberFilter()
    account = django_filters.NumberFilter(field_name="account_id")
    contact_id = django_filters.NumberFilter()
    contact = django_filters.NumberFilter(field_name="contact_id")
    is_closed = django_filters.BooleanFilter(method="filter_is_closed")

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_is_closed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        if value:
            return queryset.filter(status=Case.Status.CLOSED)
        return queryset.exclude(status=Case.Status.CLOSED)


class CaseViewSet(RecordViewSet):
    """Client support issues. The list sorts High priority first, then newest."""

    model = Case
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter
    list_select_related = ("owner", "account", "contact")
    search_fields = ["subject", "case_number", "account__name"]
    ordering_fields = [
        "case_number",
        "subject",
        "status",
        "priority",
        "origin",
        "account_name",
        "owner",
        "created_at",
        "updated_at",
        "closed_at",
    ]
    ordering_aliases = {"owner": "owner__name", "account_name": "account__name", "priority": "priority_rank"}
    ordering = ["priority", "-created_at"]

    def annotate_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.annotate(priority_rank=priority_rank())

    def create_record(self, data: dict[str, Any]) -> Record:
        return services.case_create(data=data, actor=self.request.user)

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        return services.case_update(case=record, data=data, expected_version=version, actor=self.request.user)


record_viewset_schema(CaseViewSet, "cases")
