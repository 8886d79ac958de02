"""Writes audit events. Called only from services, inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Any

from .models import AuditEvent

if TYPE_CHECKING:
    from django.db.models import Model


def json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def object_type_of(record: Model) -> str:
    return record._meta.label_lower


def write_event(
    *,
    record: Model,
    action: str,
    actor: Model | None,  # the acting user (identity sits above this layer)
    changes: dict[str, tuple[Any, Any]] | None = None,
    name: str = "",
    organization_id: int | None = None,
) -> AuditEvent:
    """One event; ``organization_id`` is needed only for a record that is not inside an organization
    (the organization itself)."""
    event = build_event(
        record=record, action=action, actor=actor, changes=changes, name=name, organization_id=organization_id
    )
    event.save(force_insert=True)
    return event


def build_event(
    *,
    record: Model,
    action: str,
    actor: Model | None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    name: str = "",
    organization_id: int | None = None,
) -> AuditEvent:
    """The event ``write_event`` writes, unsaved: ``write_events`` stores many in one statement."""
    return AuditEvent(
        organization_id=organization_id or record.organization_id,  # type: ignore[attr-defined]
        object_type=object_type_of(record),
        object_id=record.pk,
        action=action,
        name=name,
        changes={k: [json_value(old), json_value(new)] for k, (old, new) in (changes or {}).items()},
        actor_id=actor.pk if actor is not None else None,
    )


def write_events(events: list[AuditEvent]) -> None:
    """Store events built by ``build_event`` (a bulk write of records), in batches of 1,000 rows."""
    AuditEvent.all_orgs.bulk_create(events, batch_size=1000)
