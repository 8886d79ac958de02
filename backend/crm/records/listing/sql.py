"""SQL helpers for lists and reports: matching a column against a subquery of ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Model, Q, QuerySet

from crm.core.scoping import current_viewer, unrestricted


class _AnyOf(Func):
    """``column = ANY(ARRAY(ids))``: the ids are read once, and the column's index can use them."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    conditional = True
    output_field = BooleanField()


def any_of(column: str, ids: QuerySet[Any]) -> Any:
    from django.contrib.postgres.expressions import ArraySubquery

    return _AnyOf(F(column), ArraySubquery(ids))


def id_in(column: str, ids: QuerySet[Any]) -> Q:
    """``column IN (ids)``; on PostgreSQL ``= ANY(ARRAY(ids))``, so the ids are read once and the
    column's index finds the rows (with ``IN (subquery)`` the planner often scans the table)."""
    if connection.vendor == "postgresql":
        return Q(any_of(column, ids))
    return Q(**{f"{column}__in": ids})


def visible_parts(model: type[Model], narrow: Callable[[QuerySet[Any]], QuerySet[Any]]) -> list[QuerySet[Any]]:
    """The rows of ``model`` the signed-in user may see, narrowed by ``narrow``, as disjoint
    querysets whose rows together are ``narrow(model.objects.all())``.

    Under a Private default that is one queryset per branch of the sharing rule (owned, then
    shared), so a report that counts or sums them reads each from an index alone (see
    ``RecordViewer.branches``); otherwise it is the one queryset. Combine the parts with
    ``union(all=True)`` to keep one query.
    """
    viewer = current_viewer()
    branches = viewer.branches(model) if viewer is not None else None
    if branches is None:
        return [narrow(model.objects.all())]  # type: ignore[attr-defined]
    with unrestricted():  # the branches below are the restriction
        base = model.objects.all()  # type: ignore[attr-defined]
    return [narrow(base.filter(branch)) for branch in branches]


def union_all(parts: list[QuerySet[Any]]) -> QuerySet[Any]:
    """The parts of ``visible_parts`` as one query (each part without ordering)."""
    first, *rest = (part.order_by() for part in parts)
    return first.union(*rest, all=True) if rest else first
