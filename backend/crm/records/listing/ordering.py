"""``?ordering=``: aliases, NULLs last and a unique tie-breaker on every list."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, Model, QuerySet
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from ..query import field_path
from .plan import OrderTerm, list_plan
from .search import UNINDEXED_SORT_KEY


def _is_nullable(model: type[Model], path: str) -> bool:
    """Whether sorting by ``path`` can meet NULLs (a nullable column or a nullable join on the way).
    An annotation is not: list annotations coalesce to a value."""
    return any(getattr(field, "null", False) for field in field_path(model, path) or ())


class AliasOrderingFilter(OrderingFilter):
    """``?ordering=owner`` sorts by the owner's name, via the view's ``ordering_aliases``.

    A unique tie-breaker (id) is always appended so pages never overlap or skip rows; NULLs sort
    last on every database. The resolved terms go into the list's plan for keyset pagination.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        ordering = self.get_ordering(request, queryset, view) or []
        aliases = getattr(view, "ordering_aliases", {})
        terms: list[OrderTerm] = []
        for term in ordering:
            desc = term.startswith("-")
            path = aliases.get(term.lstrip("-"), term.lstrip("-"))
            if path == "pk":
                path = "id"
            terms.append(OrderTerm(path, desc, _is_nullable(queryset.model, path)))
        if not any(t.path == "id" for t in terms):
            terms.append(OrderTerm("id", terms[-1].desc if terms else False, False))
        plan = list_plan(view)
        plan.ordering_terms = terms
        expressions = [_order_expression(t) for t in terms]
        plan.ordering = expressions
        if plan.search_source is not None and connection.vendor == "postgresql":
            return queryset.order_by(UNINDEXED_SORT_KEY, *expressions)
        return queryset.order_by(*expressions)


def _order_expression(term: OrderTerm) -> Any:
    expression = F(term.path)
    if term.nullable:
        return expression.desc(nulls_last=True) if term.desc else expression.asc(nulls_last=True)
    return expression.desc() if term.desc else expression.asc()
