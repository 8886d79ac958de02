"""Pagination for every list.

Two ways to page through a list:

- page numbers (``?page=3``), with a count capped at ``LIST_COUNT_CAP`` rows so that page 1 of a
  million-row list never counts a million rows (``count_capped`` says when the cap was hit);
- keyset cursors (``?cursor=`` for the first page, then the ``next`` link), for infinite scroll:
  a page deep in the list costs the same as the first one.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import functools
import json
from collections import OrderedDict
from typing import Any, cast

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ..query import cursor_values, invalid_cursor
from .plan import OrderTerm, list_plan
from .search import search_walk, walked_rows


class CappedPaginator(Paginator):  # type: ignore[type-arg]  # generic in the stubs only (rows or tuples)
    """Counts at most ``cap`` + 1 rows: cheap on huge tables, exact on normal ones."""

    def __init__(
        self,
        object_list: Any,
        *args: Any,
        count_source: QuerySet[Any] | None = None,
        cap: int = 2_000,
        walk: QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, *args, **kwargs)
        self.count_source = count_source
        self.cap = cap
        self.walk = walk

    def page(self, number: Any) -> Any:
        if self.walk is None and isinstance(self.object_list, QuerySet):
            return self._page_with_count(number)
        number = self.validate_number(number)
        if self.capped:
            # Many matches (more than the cap): the first rows of the list probably hold the page.
            bottom = (number - 1) * self.per_page
            rows = walked_rows(self.walk, bottom, bottom + self.per_page)
            if rows is not None:
                return self._get_page(rows, number, self)  # type: ignore[attr-defined]  # Django's page hook
        return super().page(number)

    def _page_with_count(self, number: Any) -> Any:
        """The page and the capped count in one query: the count rides along as a last column."""
        number = self._positive(number)
        bottom = (number - 1) * self.per_page
        if number > 1 and bottom >= self.cap:
            raise EmptyPage("That page contains no results")  # past the count: page on with ?cursor=
        counted = cast("QuerySet[Any]", self.object_list).annotate(  # page() checked it is one
            **{COUNT_COLUMN: self._capped_count_sql()}
        )
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows:
            if number > 1:
                raise EmptyPage("That page contains no results")
            self._set_count(0)
            return self._get_page(rows, number, self)  # type: ignore[attr-defined]  # Django's page hook
        first = rows[0]
        self._set_count(first[-1] if isinstance(first, tuple) else getattr(first, COUNT_COLUMN))
        if number > self.num_pages:
            raise EmptyPage("That page contains no results")
        if isinstance(first, tuple):
            rows = [row[:-1] for row in rows]
        # As Paginator.page: a capped count ends the last page at the cap.
        return self._get_page(rows[: self.count - bottom], number, self)  # type: ignore[attr-defined]

    def _positive(self, number: int | float | str) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def _count_rows(self) -> Any:
        # Only the rows are counted: no ordering, no selected columns or joins beyond the filters.
        rows = self.object_list if self.count_source is None else self.count_source
        if isinstance(rows, QuerySet):
            rows = rows.order_by().values("pk")
        return rows[: self.cap + 1]

    def _capped_count_sql(self) -> RawSQL:
        sql, params = self._count_rows().query.sql_with_params()
        # Django compiled the inner query with its parameters kept apart.
        return RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params, output_field=IntegerField())  # noqa: S608, S611

    def _set_count(self, found: int) -> None:
        self.capped = found > self.cap
        self.__dict__["count"] = min(found, self.cap)

    @cached_property
    def count(self) -> int:
        found: int = self._count_rows().count()
        self.capped = found > self.cap
        return min(found, self.cap)


# The column that carries the capped count on the rows of a page (see _page_with_count).
COUNT_COLUMN = "_capped_count"


def _encode(values: list[Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return str(value)
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, queryset: QuerySet[Any], terms: list[OrderTerm]) -> list[Any]:
    """The cursor's values, typed as the ordering columns (see query.cursor_values)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise invalid_cursor() from None
    return cursor_values(queryset, terms, values)


def _after(terms: list[OrderTerm], values: list[Any]) -> Q | Any:
    """Rows that sort after ``values`` under ``terms`` (lexicographic, NULLs last)."""
    uniform = len({t.desc for t in terms}) == 1
    if uniform and not any(t.nullable for t in terms) and None not in values:
        # A row-value comparison lets PostgreSQL walk the composite index from the cursor on.
        lookup = TupleLessThan if terms[0].desc else TupleGreaterThan
        return lookup(Tuple(*(F(t.path) for t in terms)), list(values))
    condition = Q(pk__in=[])
    equal = Q()
    for term, value in zip(terms, values, strict=True):
        if value is None:
            greater = Q(pk__in=[])
            same = Q(**{f"{term.path}__isnull": True})
        else:
            greater = Q(**{f"{term.path}__{'lt' if term.desc else 'gt'}": value})
            if term.nullable:
                greater |= Q(**{f"{term.path}__isnull": True})
            same = Q(**{term.path: value})
        condition |= equal & greater
        equal &= same
    return condition


def _keys(row: Any, size: int) -> list[Any]:
    """The cursor values of a row: ``_key`` attributes, or the last columns of a values_list row."""
    if isinstance(row, tuple):
        return list(row[-size:])
    return [getattr(row, f"_key{i}") for i in range(size)]


class RecordPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedPaginator
    cursor_query_param = "cursor"

    # Record lists are querysets (the keyset branch annotates them); DRF's signature also allows lists.
    def paginate_queryset(  # type: ignore[override]
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        self.request = request
        self.keyset = self.cursor_query_param in request.query_params
        if not self.keyset:
            # The view may hand over the queryset before .values_list(): counted without its joins.
            source = list_plan(view).count_source
            cap = getattr(settings, "LIST_COUNT_CAP", 2_000)
            walk = search_walk(view, queryset)
            # DRF only calls it: a partial does, though the stubs ask for a class.
            self.django_paginator_class = functools.partial(  # type: ignore[assignment]
                CappedPaginator, count_source=source, cap=cap, walk=walk
            )
            return super().paginate_queryset(queryset, request, view)
        terms = list_plan(view).ordering_terms or [OrderTerm("id", False, False)]
        size = self.get_page_size(request) or self.page_size
        cursor = request.query_params.get(self.cursor_query_param) or ""
        keys = {f"_key{i}": F(t.path) for i, t in enumerate(terms)}
        queryset = queryset.annotate(**keys)
        after = _after(terms, _decode(cursor, queryset, terms)) if cursor else None
        if after is not None:
            queryset = queryset.filter(after)
        rows = walked_rows(search_walk(view, queryset, after), 0, size + 1)
        if rows is None:
            rows = list(queryset[: size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.next_cursor = _encode(_keys(rows[-1], len(terms))) if self.has_next else None
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        if self.keyset:
            assert self.request is not None  # set by paginate_queryset
            url = self.request.build_absolute_uri()
            next_url = replace_query_param(url, self.cursor_query_param, self.next_cursor) if self.next_cursor else None
            return Response(
                OrderedDict(
                    [
                        ("count", None),
                        ("count_capped", False),
                        ("next", next_url),
                        ("previous", None),
                        ("next_cursor", self.next_cursor),
                        ("results", data),
                    ]
                )
            )
        assert self.page is not None  # set by paginate_queryset
        paginator = self.page.paginator
        return Response(
            OrderedDict(
                [
                    ("count", paginator.count),
                    ("count_capped", getattr(paginator, "capped", False)),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("next_cursor", None),
                    ("results", data),
                ]
            )
        )

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Keyset paging: empty for the first page, then the next_cursor of the page before. "
                "A cursor that was not given by the list answers 400.",
                "schema": {"type": "string"},
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        base = super().get_paginated_response_schema(schema)
        base["properties"]["count"]["nullable"] = True
        base["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when there are more rows than the count says (the count stops at a cap).",
        }
        base["properties"]["next_cursor"] = {
            "type": "string",
            "nullable": True,
            "description": "With ?cursor=: pass this as ?cursor= to get the next page.",
        }
        return base
