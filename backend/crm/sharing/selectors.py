"""Reads of the sharing settings."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Access, RecordShare, SharingDefault
from .rules import OBJECTS


def sharing_defaults_get() -> dict[str, str]:
    """Every object's organization-wide default, by the API's key (``Opportunity``)."""
    stored = dict(SharingDefault.objects.values_list("object", "access"))
    return {key: stored.get(name, Access.PUBLIC_READ_WRITE) for name, (key, _) in OBJECTS.items()}


def record_share_list(*, record: Any) -> QuerySet[RecordShare]:
    return (
        RecordShare.objects.filter(object=record.object_name, record_id=record.pk)
        .select_related("user", "created_by")
        .order_by("user__name", "id")
    )
