"""The plan of one list request: what the filters decided that the paginator needs.

The ordering filter resolves the sort terms (keyset cursors are built from them), the search filter
keeps the unsearched list (a search first walks its first rows), and the viewset keeps the queryset
the capped count runs on. They hand these over in one ``ListPlan`` per request instead of loose
attributes on the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class OrderTerm:
    path: str
    desc: bool
    nullable: bool


@dataclass
class ListPlan:
    ordering_terms: list[OrderTerm] = field(default_factory=list)
    # The order_by expressions of the resolved terms (NULLs last, the id as tie-breaker).
    ordering: list[Any] | None = None
    # The list before its search: set when the list is searched (see search.SEARCH_WINDOW).
    search_source: QuerySet[Any] | None = None
    # What the capped count runs on, when not the page's own queryset (rows built from columns).
    count_source: QuerySet[Any] | None = None


def list_plan(view: Any) -> ListPlan:
    """The plan of the request ``view`` is serving, made on first use."""
    plan: ListPlan | None = getattr(view, "list_plan", None)
    if plan is None:
        plan = ListPlan()
        view.list_plan = plan
    return plan
