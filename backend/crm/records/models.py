"""The Record base every business object inherits, and the append-only audit table."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .scoping import current_org_id


class RecordQuerySet(models.QuerySet):
    def active(self) -> RecordQuerySet:
        return self.filter(is_active=True)


class OrgScopedManager(models.Manager.from_queryset(RecordQuerySet)):  # type: ignore[misc]
    """Only the current organization's rows; raises when no organization is in scope."""

    def get_queryset(self) -> RecordQuerySet:
        return super().get_queryset().filter(organization_id=current_org_id())

    def none(self) -> RecordQuerySet:
        # An empty set leaks nothing, so it needs no tenant (schema generation asks for one).
        return super().get_queryset().none()


class Record(models.Model):
    """Organization, owner, version, timestamps, creator/updater and deactivation, declared once."""

    organization = models.ForeignKey(
        "identity.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )
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

    # The plain manager comes first and is the default, so Django internals (admin, deletion,
    # related descriptors) keep working; application code uses the scoped `objects`.
    all_orgs = models.Manager.from_queryset(RecordQuerySet)()
    objects = OrgScopedManager()
    # The columns ``__str__`` reads: names of linked records are fetched with only these.
    name_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True
        default_manager_name = "all_orgs"
        base_manager_name = "all_orgs"


class AuditEvent(models.Model):
    """One row per change of a record: who, when, which fields, old and new values. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DEACTIVATE = "deactivate"
        REACTIVATE = "reactivate"
        ACTION = "action"

    organization = models.ForeignKey("identity.Organization", on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    name = models.CharField(max_length=64, blank=True, default="")
    changes = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    all_orgs = models.Manager()

    class Meta:
        indexes = [models.Index(fields=["organization", "object_type", "object_id", "-at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")
