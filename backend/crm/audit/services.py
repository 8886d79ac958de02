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


def _event_fields(
    *,
    record: Model,
    action: str,
    actor: Model | None,
    changes: dict[str, tuple[Any, Any]] | None,
    name: str,
    organization_id: int | None,
) -> dict[str, Any]:
    return {
        "organization_id": organization_id or record.organization_id,  # type: ignore[attr-defined]
        "object_type": object_type_of(record),
        "object_id": record.pk,
        "action": action,
        "name": name,
        "changes": {k: [json_value(old), json_value(new)] for k, (old, new) in (changes or {}).items()},
        "actor_id": actor.pk if actor is not None else None,
    }


def build_event(
    *,
    record: Model,
    action: str,
    actor: Model | None,  # the acting user (identity sits above this layer)
    changes: dict[str, tuple[Any, Any]] | None = None,
    name: str = "",
    organization_id: int | None = None,
) -> AuditEvent:
    """One event, not saved yet (``write_events`` stores many with one insert)."""
    return AuditEvent(
        **_event_fields(
            record=record, action=action, actor=actor, changes=changes, name=name, organization_id=organization_id
        )
    )


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
    return AuditEvent.all_orgs.create(
        **_event_fields(
            record=record, action=action, actor=actor, changes=changes, name=name, organization_id=organization_id
        )
    )


def write_events(events: list[AuditEvent]) -> list[AuditEvent]:
    """Events made with ``build_event``, stored with one insert (a batch of payments)."""
    return AuditEvent.all_orgs.bulk_create(events, batch_size=1000) if events else []
