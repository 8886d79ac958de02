from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from crm.records.api import OwnerFilter, RecordFilterSet, RecordViewSet, record_viewset_schema
from crm.records.models import Record

from .. import services
from ..links import WHAT_TYPES, WHO_TYPES, attach_names, normalize_type
from ..models import Activity
from ..selectors import activity_when
from . import serializers as s


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class LinkTypeFilter(django_filters.CharFilter):
    """``what_type``/``who_type``: a label such as ``Opportunity`` (any letter case)."""

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        self.allowed = allowed
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        label = normalize_type(value, self.allowed)
        if label is None:
            raise serializers.ValidationError(
                {self.field_name: [_("Use one of: %(choices)s.") % {"choices": ", ".join(self.allowed)}]}
            )
        return qs.filter(**{self.field_name: label})


class ActivityFilter(RecordFilterSet):
    type = django_filters.ChoiceFilter(choices=Activity.Type.choices)
    status = django_filters.MultipleChoiceFilter(choices=Activity.Status.choices)
    status_ne = django_filters.ChoiceFilter(field_name="status", choices=Activity.Status.choices, exclude=True)
    priority = django_filters.ChoiceFilter(choices=Activity.Priority.choices)
    assigned_to = OwnerFilter(field_name="assigned_to_id")
    assigned_to_id = OwnerFilter(field_name="assigned_to_id")
    what_type = LinkTypeFilter(field_name="what_type", allowed=WHAT_TYPES)
    what_id = django_filters.NumberFilter()
    who_type = LinkTypeFilter(field_name="who_type", allowed=WHO_TYPES)
    who_id = django_filters.NumberFilter()
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    start_date = django_filters.DateFilter(method="filter_start_date", label="Events that end after this day starts.")
    end_date = django_filters.DateFilter(method="filter_end_date", label="Events that start before this day ends.")

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_start_date(self, queryset: QuerySet, name: str, value: datetime.date | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(end_time__gt=_start_of_day(value))

    def filter_end_date(self, queryset: QuerySet, name: str, value: datetime.date | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(start_time__lt=_start_of_day(value + datetime.timedelta(days=1)))


class ActivityViewSet(RecordViewSet):
    """Tasks and events. ``?type=Task&assigned_to=me&status_ne=Completed`` is the to-do list (by due date);
    ``?type=Event&assigned_to=me&start_date=&end_date=`` is the calendar (events overlapping the range)."""

    model = Activity
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilter
    list_select_related = ("owner", "assigned_to")
    search_fields = ["subject", "location"]
    ordering_fields = [
        "subject",
        "type",
        "status",
        "priority",
        "due_date",
        "start_time",
        "end_time",
        "when",
        "assigned_to",
        "owner",
        "created_at",
        "updated_at",
        "completed_at",
    ]
    ordering_aliases = {"owner": "owner__name", "assigned_to": "assigned_to__name"}
    ordering = ["due_date", "start_time"]

    def annotate_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.annotate(when=activity_when())

    fast_rows = True  # paginate_queryset below leaves rows built from columns alone

    def paginate_queryset(self, queryset: QuerySet) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        if page and not isinstance(page[0], tuple):
            attach_names(page)  # one query per linked type for the whole page
        return page

    def create_record(self, data: dict[str, Any]) -> Record:
        return services.activity_create(data=data, actor=self.request.user)

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        return services.activity_update(activity=record, data=data, expected_version=version, actor=self.request.user)


record_viewset_schema(ActivityViewSet, "activities")
