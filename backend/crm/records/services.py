"""The single write path for records: create, update with optimistic locking, deactivate.

Every business object goes through these functions (directly or from its own services), so
tenancy, ownership, version checks and the audit trail cannot be skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core import limits
from crm.core.errors import ApplicationError, VersionConflict

from . import events, locks
from .models import Record

if TYPE_CHECKING:
    from crm.identity.models import User

R = TypeVar("R", bound=Record)

PROTECTED_FIELDS = frozenset({"id", "organization", "version", "created_at", "updated_at", "created_by", "updated_by"})


@dataclass
class FieldChanges:
    new_values: dict[str, Any] = field(default_factory=dict)
    diff: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.diff)


def _comparable(model_field: models.Field[Any, Any] | models.ForeignObjectRel, value: Any) -> Any:
    if isinstance(model_field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    return value


def diff_fields(record: Record, data: dict[str, Any]) -> FieldChanges:
    """Only the fields whose value differs from what the record holds now."""
    changes = FieldChanges()
    for name, value in data.items():
        if name in PROTECTED_FIELDS:
            continue
        model_field = record._meta.get_field(name)
        if not isinstance(model_field, models.Field):
            raise TypeError(f"{name} is a reverse relation, not a field of {type(record).__name__}.")
        current = getattr(record, model_field.attname)
        new = _comparable(model_field, value)
        if current != new:
            changes.new_values[name] = value
            changes.diff[name] = (current, new)
    return changes


def _inactive_links(model: type[Record], links: dict[str, Any]) -> dict[str, list[str]]:
    """Field errors for new links to deactivated records (an inactive record takes no new children)."""
    errors: dict[str, list[str]] = {}
    for name, value in links.items():
        if not isinstance(value, models.Model):
            continue
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey) and getattr(value, "is_active", True) is False:
            label = model_field.related_model._meta.verbose_name
            errors[f"{name}_id"] = [_("This %(label)s is deactivated; choose an active one.") % {"label": label}]
    return errors


def require_active_links(*, model: type[Record], links: dict[str, Any]) -> None:
    """Refuse records that would link to a deactivated record (e.g. a contact on a deactivated account)."""
    errors = _inactive_links(model, links)
    if errors:
        raise ApplicationError("inactive_reference", _("A deactivated record cannot take new related records."), errors)


@transaction.atomic
def record_create(*, model: type[R], data: dict[str, Any], actor: User, **extra: Any) -> R:
    """Create a record in the actor's organization; the owner defaults to the actor."""
    values = {k: v for k, v in data.items() if k not in PROTECTED_FIELDS}
    values.setdefault("owner", actor)
    if values.get("owner") is None:
        values["owner"] = actor
    require_active_links(model=model, links=values)
    limits.check_create(organization_id=actor.organization_id, model=model)
    record = model(organization_id=actor.organization_id, created_by=actor, updated_by=actor, **values, **extra)
    record.save(force_insert=True)
    changes = {k: (None, _comparable(record._meta.get_field(k), v)) for k, v in values.items()}
    audit.write_event(record=record, action=AuditEvent.Action.CREATE, actor=actor, changes=changes)
    events.publish_record_write(record=record, actor_id=actor.pk, created=True, changes=changes)
    return record


@transaction.atomic
def record_create_many(*, model: type[R], rows: list[dict[str, Any]], actor: User) -> list[R]:
    """``record_create`` for many records of one model at once (a batch of payments): the same
    checks, one insert and one insert of their audit events; each record's domain event is published.
    The plan's record limit is asked once for the batch."""
    if not rows:
        return []
    records: list[R] = []
    changes_of = []
    for data in rows:
        values = {k: v for k, v in data.items() if k not in PROTECTED_FIELDS}
        if values.get("owner") is None:
            values["owner"] = actor
        require_active_links(model=model, links=values)
        records.append(model(organization_id=actor.organization_id, created_by=actor, updated_by=actor, **values))
        changes_of.append(values)
    limits.check_create(organization_id=actor.organization_id, model=model)
    model.objects.bulk_create(records, batch_size=1000)
    audited = []
    for record, values in zip(records, changes_of, strict=True):
        changes = {k: (None, _comparable(record._meta.get_field(k), v)) for k, v in values.items()}
        audited.append(audit.build_event(record=record, action=AuditEvent.Action.CREATE, actor=actor, changes=changes))
        events.publish_record_write(record=record, actor_id=actor.pk, created=True, changes=changes)
    audit.write_events(audited)
    return records


@transaction.atomic
def record_update(*, record: R, data: dict[str, Any], expected_version: int, actor: User) -> R:
    """Apply the changed fields if nobody saved since ``expected_version``; else VersionConflict."""
    changes = diff_fields(record, data)
    model = type(record)
    require_active_links(model=model, links=changes.new_values)
    if not changes.diff:
        current = model.all_orgs.filter(pk=record.pk).values_list("version", flat=True).first()
        if current != expected_version:
            raise VersionConflict(current_version=current)
        return record
    updated = model.all_orgs.filter(
        pk=record.pk, organization_id=record.organization_id, version=expected_version
    ).update(**changes.new_values, version=F("version") + 1, updated_by=actor, updated_at=timezone.now())
    if updated == 0:
        current = model.all_orgs.filter(pk=record.pk).values_list("version", flat=True).first()
        raise VersionConflict(current_version=current)
    action = AuditEvent.Action.UPDATE
    if "is_active" in changes.diff:
        action = AuditEvent.Action.REACTIVATE if data["is_active"] else AuditEvent.Action.DEACTIVATE
    audit.write_event(record=record, action=action, actor=actor, changes=changes.diff)
    events.publish_record_write(record=record, actor_id=actor.pk, created=False, changes=changes.diff)
    # The plugin types a manager built by from_queryset() by its first model; the row is an R.
    return cast("R", model.all_orgs.get(pk=record.pk))


@transaction.atomic
def record_bulk_change(*, model: type[R], versions: dict[int, int], data: dict[str, Any], actor: User) -> list[int]:
    """``record_update`` of the same change on many records (undoing an import, bulk actions): each
    record changes only if it is still at the version given (``versions``: id -> version), with
    one UPDATE, its audit events in one INSERT, and its record events. Returns the ids changed;
    the others (edited since, gone, or already so) are left as they are."""
    if not versions or not data:
        return []
    if PROTECTED_FIELDS.intersection(data):
        raise ValueError(f"record_bulk_change cannot set {sorted(PROTECTED_FIELDS.intersection(data))}.")
    require_active_links(model=model, links=data)
    columns = {name: model._meta.get_field(name) for name in data}
    attnames = [getattr(item, "attname", name) for name, item in columns.items()]
    locked = locks.records_for_update(model=model, organization_id=actor.organization_id, ids=versions)
    current = locked.values_list("pk", "version", *attnames)
    changed: list[tuple[int, dict[str, tuple[Any, Any]]]] = []
    for pk, version, *values in current:
        if version != versions[pk]:
            continue
        diff = {
            name: (old, _comparable(item, data[name]))
            for (name, item), old in zip(columns.items(), values, strict=True)
            if old != _comparable(item, data[name])
        }
        if diff:
            changed.append((pk, diff))
    if not changed:
        return []
    ids = [pk for pk, _diff in changed]
    model.all_orgs.filter(pk__in=ids).update(
        **data, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
    )
    action = AuditEvent.Action.UPDATE
    if "is_active" in data:
        action = AuditEvent.Action.REACTIVATE if data["is_active"] else AuditEvent.Action.DEACTIVATE
    written: list[AuditEvent] = []
    for pk, diff in changed:
        record = model(pk=pk, organization_id=actor.organization_id)
        written.append(audit.build_event(record=record, action=action, actor=actor, changes=diff))
        events.publish_record_write(record=record, actor_id=actor.pk, created=False, changes=diff)
    audit.write_events(written)
    return ids


def record_deactivate(*, record: R, expected_version: int, actor: User) -> R:
    return record_update(record=record, data={"is_active": False}, expected_version=expected_version, actor=actor)


@transaction.atomic
def record_set_derived(*, record: R, derived: dict[str, Any], actor: User) -> R:
    """Write columns a record keeps from its children (an opportunity's amount) without a version bump.

    Calculated fields never make an open record stale: a user who read the record before a child
    changed can still save the fields they edit. The caller holds the record's row lock.
    """
    if PROTECTED_FIELDS.intersection(derived):
        raise ValueError(f"record_set_derived cannot set {sorted(PROTECTED_FIELDS.intersection(derived))}.")
    model = type(record)
    model.all_orgs.filter(pk=record.pk).update(**derived, updated_by=actor, updated_at=timezone.now())
    # The plugin types a manager built by from_queryset() by its first model; the row is an R.
    return cast("R", model.all_orgs.get(pk=record.pk))


def record_set_derived_many(*, model: type[Record], ids: list[int], derived: dict[str, Any], actor: User) -> int:
    """``record_set_derived`` for many records of one model taking the same values (one update).
    The caller holds their row locks."""
    if PROTECTED_FIELDS.intersection(derived):
        raise ValueError(f"record_set_derived_many cannot set {sorted(PROTECTED_FIELDS.intersection(derived))}.")
    if not ids:
        return 0
    return model.all_orgs.filter(pk__in=ids).update(**derived, updated_by=actor, updated_at=timezone.now())
