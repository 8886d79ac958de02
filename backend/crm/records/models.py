"""The organization-owned base every tenant table inherits, the Record base of business objects,
the append-only audit table and the per-organization number sequences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, NoReturn, Self, TypeVar, cast

from django.conf import settings
from django.db import models

from crm.core.scoping import OrganizationScopeError, current_org_id

_M = TypeVar("_M", bound=models.Model)


class RecordQuerySet(models.QuerySet[_M, _M]):
    def active(self) -> Self:
        return self.filter(is_active=True)


class OrgScopedQuerySet(RecordQuerySet[_M]):
    """Rows it creates belong to the current organization: filled in, and another one is refused."""

    def _claim(self, obj: _M) -> None:
        org_id = current_org_id()
        if obj.organization_id is None:  # type: ignore[attr-defined]
            obj.organization_id = org_id  # type: ignore[attr-defined]
        elif obj.organization_id != org_id:  # type: ignore[attr-defined]
            raise OrganizationScopeError(
                f"A {type(obj).__name__} of organization {obj.organization_id} cannot be written "  # type: ignore[attr-defined]
                f"in the scope of organization {org_id}."
            )

    def create(self, **kwargs: Any) -> _M:
        obj = self.model(**kwargs)
        self._claim(obj)
        self._for_write = True
        obj.save(force_insert=True, using=self.db)
        return obj

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        objs = list(objs)
        for obj in objs:
            self._claim(obj)
        return super().bulk_create(objs, *args, **kwargs)


_OrgScopedManagerBase = models.Manager.from_queryset(OrgScopedQuerySet)


class OrgScopedManager(_OrgScopedManagerBase[_M]):
    """Only the current organization's rows; raises when no organization is in scope."""

    def get_queryset(self) -> OrgScopedQuerySet[_M]:
        return self._all_rows().filter(organization_id=current_org_id())

    def none(self) -> OrgScopedQuerySet[_M]:
        # An empty set leaks nothing, so it needs no tenant (schema generation asks for one).
        return self._all_rows().none()

    def _all_rows(self) -> OrgScopedQuerySet[_M]:
        # The manager built by from_queryset() hands out its queryset class; the stubs say QuerySet.
        return cast("OrgScopedQuerySet[_M]", super().get_queryset())


class OrgOwned(models.Model):
    """A row that belongs to one organization, with the two managers every such table has.

    - ``objects`` (application code): the current organization's rows only, and it raises
      OrganizationScopeError when no organization is in scope (fails closed).
    - ``all_orgs``: every organization's rows, for migrations, maintenance commands, bulk
      loaders and Django internals. Any use of it filters by organization by hand, on purpose.
    """

    organization = models.ForeignKey(
        "identity.Organization", on_delete=models.PROTECT, related_name="+", editable=False
    )

    # The plain manager comes first and is the default, so Django internals (admin, deletion,
    # related descriptors) keep working; application code uses the scoped `objects`.
    all_orgs = models.Manager.from_queryset(RecordQuerySet)()
    objects = OrgScopedManager()

    class Meta:
        abstract = True
        default_manager_name = "all_orgs"
        base_manager_name = "all_orgs"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new row without an organization belongs to the one in scope (and fails closed without).
        if self.organization_id is None:
            self.organization_id = current_org_id()
        super().save(*args, **kwargs)


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

    class Meta(OrgOwned.Meta):
        abstract = True


class AuditEvent(OrgOwned):
    """One row per change of a record: who, when, which fields, old and new values. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DEACTIVATE = "deactivate"
        REACTIVATE = "reactivate"
        ACTION = "action"

    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    name = models.CharField(max_length=64, blank=True, default="")
    changes = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "object_type", "object_id", "-at"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("Audit events are append-only.")


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
