"""Writes of tags: the organization's tags (anyone creates one, administrators rename and delete) and
tags put on and taken off records, audited on the record and published as domain events."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError

from .. import events
from ..models import Record, Tag, Tagging
from . import selectors

if TYPE_CHECKING:
    from crm.identity.models import User

NAME_MAX = 64
DEFAULT_COLOUR = "#706e6b"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise ApplicationError("admin_only", _("Only administrators can rename or delete tags."), status_code=403)


def _clean_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ApplicationError("invalid_tag", _("Please correct the errors below."), {"name": _("Give a name.")})
    cleaned = " ".join(name.split())
    if len(cleaned) > NAME_MAX:
        raise ApplicationError(
            "invalid_tag",
            _("Please correct the errors below."),
            {"name": _("Use at most %(count)s characters.") % {"count": NAME_MAX}},
        )
    return cleaned


def _clean_colour(colour: Any) -> str:
    if not isinstance(colour, str) or not _COLOUR.match(colour):
        raise ApplicationError(
            "invalid_tag", _("Please correct the errors below."), {"colour": _("Give a colour as #rrggbb.")}
        )
    return colour.lower()


def _name_taken(name: str) -> ApplicationError:
    return ApplicationError(
        "tag_exists",
        _("Please correct the errors below."),
        {"name": _("A tag named %(name)s exists already.") % {"name": name}},
    )


def _save(tag: Tag, *, creating: bool) -> Tag:
    clash = Tag.objects.filter(name__iexact=tag.name)
    if not creating:
        clash = clash.exclude(pk=tag.pk)
    if clash.exists():
        raise _name_taken(tag.name)
    try:
        with transaction.atomic():
            if creating:
                tag.save(force_insert=True)
            else:
                tag.save(update_fields=["name", "colour"])
    except IntegrityError:  # the same name saved concurrently (the unique index decides)
        raise _name_taken(tag.name) from None
    return tag


@transaction.atomic
def tag_create(*, name: Any, actor: User, colour: Any = DEFAULT_COLOUR) -> Tag:
    tag = _save(Tag(name=_clean_name(name), colour=_clean_colour(colour)), creating=True)
    audit.write_event(record=tag, action=AuditEvent.Action.CREATE, actor=actor, changes={"name": (None, tag.name)})
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, data: dict[str, Any], actor: User) -> Tag:
    """Rename or recolour a tag (administrators): every record carrying it shows the change."""
    _require_admin(actor)
    changes: dict[str, tuple[Any, Any]] = {}
    if "name" in data:
        name = _clean_name(data["name"])
        if name != tag.name:
            changes["name"] = (tag.name, name)
            tag.name = name
    if "colour" in data:
        colour = _clean_colour(data["colour"])
        if colour != tag.colour:
            changes["colour"] = (tag.colour, colour)
            tag.colour = colour
    if changes:
        _save(tag, creating=False)
        audit.write_event(record=tag, action=AuditEvent.Action.UPDATE, actor=actor, changes=changes)
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, actor: User) -> None:
    """Delete a tag (administrators) and take it off every record."""
    _require_admin(actor)
    usage = Tagging.objects.filter(tag=tag).count()
    audit.write_event(
        record=tag,
        action=AuditEvent.Action.ACTION,
        name="tag_deleted",
        actor=actor,
        changes={"name": (tag.name, None), "usage_count": (usage, 0)},
    )
    Tagging.objects.filter(tag=tag).delete()
    tag.delete()


def _resolve(ref: int | str, actor: User) -> Tag:
    """The tag named by id (it must exist) or by name (made when new)."""
    if isinstance(ref, int):
        tag = Tag.objects.filter(pk=ref).first()
        if tag is None:
            raise ApplicationError(
                "unknown_tag", _("Please correct the errors below."), {"tag": _("No tag with id %(id)s.") % {"id": ref}}
            )
        return tag
    name = _clean_name(ref)
    found = selectors.tag_by_name(name=name)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return tag_create(name=name, actor=actor)
    except ApplicationError as error:
        if error.code != "tag_exists":
            raise
        # Made by somebody else a moment ago: use theirs.
        found = selectors.tag_by_name(name=name)
        if found is None:
            raise
        return found


@transaction.atomic
def record_tag_add(*, record: Record, tag: int | str, actor: User) -> tuple[Tag, bool]:
    """Put a tag (an id, or a name: a new name makes the tag) on a record; (the tag, whether it was added).

    Adding a tag the record carries already changes nothing and publishes nothing."""
    found = _resolve(tag, actor)
    object_name = record.object_name
    if Tagging.objects.filter(tag=found, object_name=object_name, record_id=record.pk).exists():
        return found, False
    try:
        with transaction.atomic():
            Tagging.objects.create(tag=found, object_name=object_name, record_id=record.pk, created_by=actor)
    except IntegrityError:  # added concurrently: the other request audits and publishes it
        return found, False
    audit.write_event(
        record=record,
        action=AuditEvent.Action.ACTION,
        name="tag_added",
        actor=actor,
        changes={"tags": (None, found.name)},
    )
    events.publish(
        type=events.TAG_ADDED,
        record=record,
        actor_id=actor.pk,
        extra={"tag_id": found.pk, "tag_name": found.name},
    )
    return found, True


@transaction.atomic
def record_tag_remove(*, record: Record, tag_id: int, actor: User) -> Tag:
    """Take a tag off a record; 404 when the record does not carry it."""
    tagging = (
        Tagging.objects.select_related("tag")
        .filter(tag_id=tag_id, object_name=record.object_name, record_id=record.pk)
        .first()
    )
    if tagging is None:
        raise ApplicationError("tag_not_on_record", _("This record does not carry that tag."), status_code=404)
    tag = tagging.tag
    tagging.delete()
    audit.write_event(
        record=record,
        action=AuditEvent.Action.ACTION,
        name="tag_removed",
        actor=actor,
        changes={"tags": (tag.name, None)},
    )
    events.publish(
        type=events.TAG_REMOVED,
        record=record,
        actor_id=actor.pk,
        extra={"tag_id": tag.pk, "tag_name": tag.name},
    )
    return tag
