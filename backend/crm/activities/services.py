"""Create and update tasks and events; ``completed_at`` follows the status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from crm.records.services import record_create, record_update

from .models import Activity

if TYPE_CHECKING:
    from crm.identity.models import User


def _completed_at_for(status: str, current: Activity | None) -> Any:
    if status != Activity.Status.COMPLETED:
        return None
    if current is not None and current.status == Activity.Status.COMPLETED and current.completed_at is not None:
        return current.completed_at
    return timezone.now()


@transaction.atomic
def activity_create(*, data: dict[str, Any], actor: User) -> Activity:
    values = dict(data)
    if values.get("assigned_to") is None:
        values["assigned_to"] = actor
    if values.get("type") == Activity.Type.TASK and not values.get("status"):
        values["status"] = Activity.Status.NOT_STARTED
    values["completed_at"] = _completed_at_for(values.get("status", ""), None)
    return record_create(model=Activity, data=values, actor=actor)


@transaction.atomic
def activity_update(*, activity: Activity, data: dict[str, Any], expected_version: int, actor: User) -> Activity:
    values = dict(data)
    if "status" in values:
        values["completed_at"] = _completed_at_for(values["status"], activity)
    return record_update(record=activity, data=values, expected_version=expected_version, actor=actor)
