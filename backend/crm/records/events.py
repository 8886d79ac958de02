"""Domain events of records: created, updated (with the changed fields), stage changed, tag added or removed.

They are published once, from the record write path (``crm.records.services``), inside the
writer's transaction; the modules built on records (automation: workflows and outbound webhooks)
receive them there, store what they need in that same transaction and act once it commits. A
rolled-back write therefore publishes nothing that anybody acts on.

``caused_by_automation`` marks writes that an automation made: their events carry a depth one
higher than the event that caused them, so a chain of automated updates can be stopped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.dispatch import Signal

if TYPE_CHECKING:
    from .models import Record

RECORD_CREATED = "record.created"
RECORD_UPDATED = "record.updated"
STAGE_CHANGED = "stage.changed"
# A tag put on (or taken off) a record; ``extra`` holds ``tag_id`` and ``tag_name``.
TAG_ADDED = "tag.added"
TAG_REMOVED = "tag.removed"

# Sent with ``event`` (a RecordEvent), inside the writer's transaction.
record_event = Signal()

_depth: ContextVar[int] = ContextVar("crm_automation_depth", default=0)


@dataclass(frozen=True)
class RecordEvent:
    type: str
    organization_id: int
    object_name: str
    record_id: int
    actor_id: int | None
    # field -> [old, new], JSON-safe
    changes: dict[str, list[Any]] = field(default_factory=dict)
    # How many automated steps led to this write (0: a person or an import made it).
    depth: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def json_safe(value: Any) -> Any:
    """Dates, decimals and ids as JSON keeps them."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def current_depth() -> int:
    return _depth.get()


@contextmanager
def caused_by_automation(depth: int) -> Iterator[None]:
    """Writes in this block are the ``depth``-th automated step of a chain."""
    token = _depth.set(depth)
    try:
        yield
    finally:
        _depth.reset(token)


def publish(
    *,
    type: str,
    record: Record,
    actor_id: int | None,
    changes: dict[str, tuple[Any, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> RecordEvent:
    event = RecordEvent(
        type=type,
        organization_id=record.organization_id,
        object_name=getattr(record, "object_name", record._meta.model_name or ""),
        record_id=record.pk,
        actor_id=actor_id,
        changes=json_safe({name: [old, new] for name, (old, new) in (changes or {}).items()}),
        depth=current_depth(),
        extra=json_safe(extra or {}),
    )
    record_event.send(sender=type, event=event)
    return event


def publish_record_write(*, record: Record, actor_id: int | None, created: bool, changes: dict[str, Any]) -> None:
    """The events of one create or update: created or updated, and stage changed when the stage moved."""
    publish(type=RECORD_CREATED if created else RECORD_UPDATED, record=record, actor_id=actor_id, changes=changes)
    stage_field = getattr(type(record), "stage_field", None)
    if not created and stage_field and stage_field in changes:
        old, new = changes[stage_field]
        publish(
            type=STAGE_CHANGED,
            record=record,
            actor_id=actor_id,
            changes={stage_field: (old, new)},
            extra={"field": stage_field, "from": old, "to": new},
        )
