"""Segments: saved dynamic filters over contacts and leads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from crm.records.services import record_create, record_update

from ..models import Segment
from ..segments import segment_validate

if TYPE_CHECKING:
    from crm.identity.models import User


@transaction.atomic(durable=True)
def segment_create(*, data: dict[str, Any], actor: User) -> Segment:
    segment_validate(data.get("definition", {}))
    return record_create(model=Segment, data=data, actor=actor)


@transaction.atomic(durable=True)
def segment_update(*, segment: Segment, data: dict[str, Any], expected_version: int, actor: User) -> Segment:
    if "definition" in data:
        segment_validate(data["definition"])
    return record_update(record=segment, data=data, expected_version=expected_version, actor=actor)
