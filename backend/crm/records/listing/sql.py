"""SQL helpers for lists and reports: matching a column against a subquery of ids."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet


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
