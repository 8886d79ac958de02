"""Pagination and ordering for every list (kept apart from the viewsets DRF settings import)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter


class RecordPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AliasOrderingFilter(OrderingFilter):
    """``?ordering=owner`` sorts by the owner's name, via the view's ``ordering_aliases``.

    A unique tie-breaker (id) is always appended so pages never overlap or skip rows.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        aliases = getattr(view, "ordering_aliases", {})
        resolved: list[Any] = []
        for term in ordering:
            desc = term.startswith("-")
            name = term.lstrip("-")
            target = aliases.get(name, name)
            resolved.append(f"-{target}" if desc else target)
        last_desc = resolved[-1].startswith("-") if isinstance(resolved[-1], str) else False
        if not any(str(term).lstrip("-") in ("id", "pk") for term in resolved):
            resolved.append("-id" if last_desc else "id")
        return queryset.order_by(*resolved)


class OptionalSlashRouter(SimpleRouter):
    """Routes that answer with and without a trailing slash (``/accounts`` and ``/accounts/``)."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"
