"""The Record base of business objects and the per-organization number sequences.

The organization-owned base and its managers live in ``crm.core.owned`` (re-exported here); the
audit trail lives in ``crm.audit``."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from crm.core.owned import OrgOwned, OrgScopedManager, OrgScopedQuerySet, RecordQuerySet

__all__ = [
    "OrgOwned",
    "OrgScopedManager",
    "OrgScopedQuerySet",
    "Record",
    "RecordQuerySet",
    "Sequence",
    "Tag",
    "Tagging",
]


class Record(OrgOwned):
    """Organization, owner, version, timestamps, creator/updater and deactivation, declared once."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False, null=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False, null=True
    )

    # The columns ``__str__`` reads: names of linked records are fetched with only these.
    name_fields: tuple[str, ...] = ()
    # The object's name in the API and the UI metadata ("lead", "order"...): every concrete record sets it.
    object_name: ClassVar[str]
    # The field whose change is the "stage changed" domain event (an opportunity's stage), if any.
    stage_field: ClassVar[str | None] = None

    class Meta(OrgOwned.Meta):
        abstract = True


class Sequence(OrgOwned):
    """The last value handed out per organization and key ("order", "contract", "case"...).

    Only ``crm.records.sequences`` reads and writes it, with an atomic increment.
    """

    key = models.CharField(max_length=32)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta(OrgOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="sequence_unique_key_per_org")]

    def __str__(self) -> str:
        return f"{self.key}#{self.last_value}"


class Tag(OrgOwned):
    """A label an organization puts on any record (``Tagging``); its name is unique in the organization,
    whatever the case."""

    name = models.CharField(max_length=64)
    colour = models.CharField(max_length=7, default="#706e6b")  # #rrggbb
    created_at = models.DateTimeField(auto_now_add=True, editable=False)

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(Lower("name"), "organization", name="tag_unique_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class Tagging(OrgOwned):
    """One tag on one record, the record named by its object ("contact") and id: one table for every object."""

    # Indexed first in ``tagging_by_tag_idx`` (no index of its own).
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings", db_index=False)
    object_name = models.CharField(max_length=32)
    record_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False, null=True
    )

    class Meta(OrgOwned.Meta):
        constraints = [
            # Also the index behind a page's tags: object, then the page's record ids.
            models.UniqueConstraint(fields=["object_name", "record_id", "tag"], name="tagging_unique_per_record"),
        ]
        indexes = [
            # Lists filtered by tag (``?tag=``): the records of an object that carry given tags.
            models.Index(fields=["tag", "object_name", "record_id"], name="tagging_by_tag_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.object_name}#{self.record_id}:{self.tag_id}"
