"""The one rule of record visibility, applied by the organization-scoped manager to every query.

A user reads a record of an object whose organization-wide default is Private when they, or a user
below them in the manager chain, own it (or, for tasks and events, are assigned it), or when it is
shared with them or with a user below them; Owners and Admins read everything. PublicReadOnly lets
everybody read and only those edit; PublicReadWrite (the default) changes nothing.

The SQL stays cheap at scale: the user and everyone below them are computed once per request (with
the defaults, in one query), so the condition is ``owner_id IN (ids) OR id = ANY(shared ids)``, which
the (organization, owner) indexes and the share index answer.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast

from crm.records.listing.sql import id_in

from .models import Access, RecordShare, SharingDefault
from .rules import CHILDREN, OBJECTS

if TYPE_CHECKING:
    from crm.identity.models import User


class RecordViewer:
    """What one signed-in user may see and edit. Built per request; loads its facts on first use."""

    def __init__(self, user: User) -> None:
        self.user_id: int = user.pk
        self.organization_id: int = user.organization_id
        self.is_admin: bool = bool(user.is_admin)
        self._levels: dict[str, str] | None = None
        self._below: tuple[int, ...] | None = None
        # The condition of each object, built once per request: a record page applies it to a
        # score of querysets (related lists, timeline links, names), and a Q is never changed by
        # the querysets that use it.
        self._visible: dict[str, Q] = {}

    # --- facts, one query per request --------------------------------------------------------
    def _load(self) -> None:
        from crm.identity.models import User

        defaults = (
            SharingDefault.all_orgs.filter(organization_id=self.organization_id)
            .annotate(kind=Value("d"), a=F("object"), b=F("access"))
            .values_list("kind", "a", "b")
        )
        chain = (
            User.objects.filter(organization_id=self.organization_id, manager__isnull=False)
            .annotate(kind=Value("u"), a=Cast("id", CharField()), b=Cast("manager_id", CharField()))
            .values_list("kind", "a", "b")
        )
        levels: dict[str, str] = {}
        reports: dict[int, list[int]] = {}
        for kind, a, b in defaults.union(chain, all=True):
            if kind == "d":
                levels[a] = b
            else:
                reports.setdefault(int(b), []).append(int(a))
        below = {self.user_id}
        frontier = [self.user_id]
        while frontier:  # bounded: each user is visited once, so a cycle cannot loop
            nxt = [r for m in frontier for r in reports.get(m, ()) if r not in below]
            below.update(nxt)
            frontier = nxt
        self._levels = levels
        self._below = tuple(sorted(below))

    def level(self, object_name: str) -> str:
        if object_name not in OBJECTS:
            return Access.PUBLIC_READ_WRITE
        if self._levels is None:
            self._load()
        assert self._levels is not None
        return self._levels.get(object_name, Access.PUBLIC_READ_WRITE)

    @property
    def below(self) -> tuple[int, ...]:
        """The user and everyone below them in the manager chain."""
        if self._below is None:
            self._load()
        assert self._below is not None
        return self._below

    # --- the rule ----------------------------------------------------------------------------
    def owns_q(self, object_name: str) -> Q:
        return reduce(or_, (Q(**{f"{column}__in": self.below}) for column in OBJECTS[object_name][1]))

    def visible_q(self, object_name: str) -> Q:
        found = self._visible.get(object_name)
        if found is None:
            shared = RecordShare.all_orgs.filter(
                organization_id=self.organization_id, user_id__in=self.below, object=object_name
            ).values("record_id")
            found = self._visible[object_name] = self.owns_q(object_name) | id_in("id", shared)
        return found

    def restrict(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.is_admin:
            return queryset
        model = queryset.model
        object_name = getattr(model, "object_name", None)
        if object_name in OBJECTS:
            if self.level(object_name) != Access.PRIVATE:
                return queryset
            return queryset.filter(self.visible_q(object_name))
        parents = CHILDREN.get(model._meta.label_lower)
        if parents is None:
            return queryset
        if all(self.level(parent) != Access.PRIVATE for _, parent in parents):
            return queryset
        conditions = []
        for field, parent in parents:
            column = model._meta.get_field(field).attname  # type: ignore[union-attr]
            if self.level(parent) != Access.PRIVATE:
                conditions.append(Q(**{f"{column}__isnull": False}))
            else:
                parent_model = model._meta.get_field(field).related_model
                # The parent row of each row, checked by its key (restricted in turn): a search or
                # a page reads the rows it shows, not every parent the user may see.
                parent = parent_model.objects.filter(pk=OuterRef(column))  # type: ignore[union-attr]
                conditions.append(Q(Exists(parent)))
        return queryset.filter(reduce(or_, conditions))

    def branches(self, model: type[Any]) -> list[Q] | None:
        """What ``restrict`` keeps, as disjoint conditions that each one index answers, or None when
        ``restrict`` alone is the way (nothing is narrowed, or the rows follow a parent).

        ``owner_id IN (ids) OR id = ANY(shared)`` makes PostgreSQL read every matching row from the
        table (a bitmap scan of both indexes). A report that counts or sums those rows reads them
        from an index alone when each branch is its own query: the owned rows, then the shared rows
        that nobody below the user owns, each counted once.
        """
        if self.is_admin:
            return None
        object_name = getattr(model, "object_name", None)
        if object_name not in OBJECTS or self.level(object_name) != Access.PRIVATE:
            return None
        parts: list[Q] = []
        covered: Q | None = None
        for column in OBJECTS[object_name][1]:
            owned = Q(**{f"{column}__in": self.below})
            parts.append(owned if covered is None else owned & ~covered)
            covered = owned if covered is None else covered | owned
        shared = RecordShare.all_orgs.filter(
            organization_id=self.organization_id, user_id__in=self.below, object=object_name
        ).values("record_id")
        assert covered is not None
        parts.append(id_in("id", shared) & ~covered)
        return parts

    def restricts(self, model: type[Any]) -> bool:
        if self.is_admin:
            return False
        object_name = getattr(model, "object_name", None)
        if object_name in OBJECTS:
            return self.level(object_name) == Access.PRIVATE
        parents = CHILDREN.get(model._meta.label_lower, ())
        return any(self.level(parent) == Access.PRIVATE for _, parent in parents)

    def owns(self, record: Any) -> bool:
        """The record's owner (or assignee) is this user or someone below them."""
        object_name = getattr(record, "object_name", None)
        if object_name not in OBJECTS:
            return False
        return any(getattr(record, column) in self.below for column in OBJECTS[object_name][1])

    def can_edit(self, record: Any) -> bool:
        """Whether this user may change a record they can read (403 otherwise)."""
        if self.is_admin:
            return True
        object_name = getattr(record, "object_name", None)
        if object_name in OBJECTS:
            if self.level(object_name) == Access.PUBLIC_READ_WRITE or self.owns(record):
                return True
            return RecordShare.all_orgs.filter(
                organization_id=self.organization_id,
                object=object_name,
                record_id=record.pk,
                user_id__in=self.below,
                access=RecordShare.Level.EDIT,
            ).exists()
        parents = CHILDREN.get(record._meta.label_lower)
        for field, _ in parents or ():
            parent = getattr(record, field)  # the plain manager: the parent of a readable child
            if parent is not None:
                return self.can_edit(parent)
        return True

    def can_manage_shares(self, record: Any) -> bool:
        """The owner, those above the owner, and administrators share a record."""
        return self.is_admin or self.owns(record)
