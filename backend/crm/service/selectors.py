"""Reads of cases: the priority order and the related lists on accounts and contacts."""

from __future__ import annotations

from django.db.models import Case as When_
from django.db.models import F, IntegerField, QuerySet, Value, When

from .models import Case

RELATED_LIST_LIMIT = 50


def priority_rank() -> When_:
    """High sorts first, then Medium, then Low."""
    return When_(
        When(priority=Case.Priority.HIGH, then=Value(0)),
        When(priority=Case.Priority.MEDIUM, then=Value(1)),
        When(priority=Case.Priority.LOW, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def case_list_for(**lookup: int) -> QuerySet[Case]:
    """Active cases of one account or contact: open ones first, then by priority, newest first."""
    return (
        Case.objects.filter(is_active=True, **lookup)
        .select_related("owner", "contact")
        .annotate(priority_rank=priority_rank())
        .order_by(F("closed_at").desc(nulls_first=True), "priority_rank", "-created_at", "-id")[:RELATED_LIST_LIMIT]
    )
