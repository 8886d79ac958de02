"""The organization-owned base every tenant table inherits, with its two managers.

It sits in the core, below identity, so that any layer's tables (the audit trail included) can
use it; ``crm.records.models`` re-exports it for the business objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, TypeVar, cast

from django.db import models

from crm.core.scoping import OrganizationScopeError, current_org_id, current_viewer

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
    """Only the current organization's rows; raises when no organization is in scope.

    In a request, the rows are further narrowed to those the signed-in user may see (record
    sharing: Private defaults, the manager chain, shares), so no view or selector can forget it.
    """

    def get_queryset(self) -> OrgScopedQuerySet[_M]:
        queryset = self._all_rows().filter(organization_id=current_org_id())
        viewer = current_viewer()
        if viewer is not None:
            queryset = cast("OrgScopedQuerySet[_M]", viewer.restrict(queryset))
        return queryset

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
