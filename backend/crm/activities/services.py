"""Create and update tasks and events; ``completed_at`` follows the status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError
from crm.records.services import record_create, record_update

from .links import WHAT_TYPES, WHO_TYPES, model_for
from .models import Activity

LINKS = {"what": WHAT_TYPES, "who": WHO_TYPES}

if TYPE_CHECKING:
    from crm.identity.models import User


def _link_errors(
    values: dict[str, Any], current: Activity | None, prefix: str, allowed: tuple[str, ...]
) -> dict[str, list[str]]:
    """The What (a business record) or Who (a person) link must name an existing record of a
    linkable type; clearing both halves clears the link."""
    type_key, id_key = f"{prefix}_type", f"{prefix}_id"
    if type_key not in values and id_key not in values:
        return {}
    label = values[type_key] if type_key in values else getattr(current, type_key, "")
    record_id = values[id_key] if id_key in values else getattr(current, id_key, None)
    if not label and record_id is None:
        values[type_key], values[id_key] = "", None
        return {}
    if not label:
        return {type_key: [_("Give the type of the record: one of %(choices)s.") % {"choices": ", ".join(allowed)}]}
    if record_id is None:
        return {id_key: [_("Give the id of the record.")]}
    values[type_key], values[id_key] = label, record_id
    model = model_for(label)
    if model is None:
        return {type_key: [_("%(label)s records are not available.") % {"label": label}]}
    if not model.objects.filter(pk=record_id).exists():
        return {id_key: [_("No %(label)s with id %(record_id)s exists.") % {"label": label, "record_id": record_id}]}
    return {}


def _check_activity(values: dict[str, Any], current: Activity | None) -> None:
    """The rules of a task or an event, for creating and editing alike (``values`` is normalised)."""
    errors: dict[str, list[str]] = {}

    def value(name: str) -> Any:
        return values[name] if name in values else getattr(current, name, None)

    kind = value("type")
    if current is not None and "type" in values and values["type"] != current.type:
        errors["type"] = [_("The type of an activity cannot change; create a new one.")]
    if kind == Activity.Type.TASK and "status" in values and not values["status"]:
        errors["status"] = [_("A task needs a status.")]
    start, end = value("start_time"), value("end_time")
    if kind == Activity.Type.EVENT:
        if start is None:
            errors["start_time"] = [_("An event needs a start.")]
        if end is None:
            errors["end_time"] = [_("An event needs an end.")]
    if start is not None and end is not None and end <= start:
        errors["end_time"] = [_("The end must be after the start.")]
    for prefix, allowed in LINKS.items():
        errors.update(_link_errors(values, current, prefix, allowed))
    if errors:
        raise ApplicationError("invalid_activity", _("Please correct the errors below."), errors)


def _completed_at_for(status: str, current: Activity | None) -> Any:
    if status != Activity.Status.COMPLETED:
        return None
    if current is not None and current.status == Activity.Status.COMPLETED and current.completed_at is not None:
        return current.completed_at
    return timezone.now()


@transaction.atomic(durable=True)
def activity_create(*, data: dict[str, Any], actor: User) -> Activity:
    return activity_create_nested(data=data, actor=actor)


@transaction.atomic
def activity_create_nested(*, data: dict[str, Any], actor: User) -> Activity:
    """The building block behind ``activity_create``, for callers that already hold a transaction."""
    values = dict(data)
    _check_activity(values, None)
    if values.get("assigned_to") is None:
        values["assigned_to"] = actor
    if values.get("type") == Activity.Type.TASK and not values.get("status"):
        values["status"] = Activity.Status.NOT_STARTED
    values["completed_at"] = _completed_at_for(values.get("status", ""), None)
    return record_create(model=Activity, data=values, actor=actor)


@transaction.atomic(durable=True)
def activity_update(*, activity: Activity, data: dict[str, Any], expected_version: int, actor: User) -> Activity:
    values = dict(data)
    _check_activity(values, activity)
    if "status" in values:
        values["completed_at"] = _completed_at_for(values["status"], activity)
    return record_update(record=activity, data=values, expected_version=expected_version, actor=actor)
