"""Changes of the sharing settings: organization-wide defaults and single-record shares. Audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError
from crm.core.scoping import current_org_id

from .models import Access, RecordShare, SharingDefault
from .rules import KEY_TO_OBJECT, OBJECTS
from .selectors import sharing_defaults_get

if TYPE_CHECKING:
    from crm.identity.models import User


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise ApplicationError(
            "forbidden", gettext("Only an administrator can change the sharing settings."), status_code=403
        )


@transaction.atomic(durable=True)
def sharing_defaults_set(*, actor: User, defaults: dict[str, str]) -> dict[str, str]:
    """Set the defaults of the objects named (by the API's key); the others keep theirs."""
    _require_admin(actor)
    errors: dict[str, str] = {}
    for key, access in defaults.items():
        if key not in KEY_TO_OBJECT:
            errors[key] = gettext("Unknown object; one of %(choices)s.") % {
                "choices": ", ".join(key for key, _ in OBJECTS.values())
            }
        elif access not in Access.values:
            errors[key] = gettext("One of %(choices)s.") % {"choices": ", ".join(Access.values)}
    if errors:
        raise ApplicationError("validation_error", gettext("Some sharing settings are not valid."), errors)
    before = sharing_defaults_get()
    changes: dict[str, tuple[Any, Any]] = {}
    for key, access in defaults.items():
        if before[key] == access:
            continue
        SharingDefault.objects.update_or_create(object=KEY_TO_OBJECT[key], defaults={"access": access})
        changes[key] = (before[key], access)
    if changes:
        audit.write_event(
            record=actor.organization,
            organization_id=current_org_id(),
            action=AuditEvent.Action.UPDATE,
            name="sharing_defaults",
            actor=actor,
            changes=changes,
        )
    return sharing_defaults_get()


@transaction.atomic(durable=True)
def record_share_set(*, actor: User, record: Any, user: User, access: str) -> tuple[RecordShare, bool]:
    """Share ``record`` with ``user`` for ``access`` (a share that exists changes its access).

    The caller has checked that ``actor`` may manage the record's shares. Returns (share, created).
    """
    if any(getattr(record, column) == user.pk for column in OBJECTS[record.object_name][1]):
        raise ApplicationError(
            "already_owner", gettext("This user owns the record already."), {"user_id": gettext("Owns the record.")}
        )
    if not user.is_active:
        raise ApplicationError(
            "inactive_reference", gettext("This user is deactivated."), {"user_id": gettext("Deactivated.")}
        )
    share = RecordShare.objects.filter(object=record.object_name, record_id=record.pk, user=user).first()
    old = share.access if share is not None else None
    if share is None:
        try:
            with transaction.atomic():
                share = RecordShare.objects.create(
                    object=record.object_name, record_id=record.pk, user=user, access=access, created_by=actor
                )
        except IntegrityError:  # shared with them at the same moment: change that share instead
            share = RecordShare.objects.get(object=record.object_name, record_id=record.pk, user=user)
            old = share.access
    if share.access != access:
        share.access = access
        share.save(update_fields=["access"])
    if old != access:
        audit.write_event(
            record=record,
            action=AuditEvent.Action.ACTION,
            name="share_added" if old is None else "share_changed",
            actor=actor,
            changes={"shared_with": (None, user.pk), "access": (old, access)},
        )
    return share, old is None


@transaction.atomic(durable=True)
def record_share_delete(*, actor: User, record: Any, share_id: int) -> None:
    share = RecordShare.objects.filter(object=record.object_name, record_id=record.pk, pk=share_id).first()
    if share is None:
        raise ApplicationError("not_found", gettext("No such share of this record."), status_code=404)
    share.delete()
    audit.write_event(
        record=record,
        action=AuditEvent.Action.ACTION,
        name="share_removed",
        actor=actor,
        changes={"shared_with": (share.user_id, None), "access": (share.access, None)},
    )
