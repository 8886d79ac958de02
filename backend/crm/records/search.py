"""Global search across objects: each app registers which fields of which model to search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.errors import ApplicationError
from crm.core.views import ScopedAPIView

from .listing.search import UNINDEXED_SORT_KEY
from .models import Record


@dataclass(frozen=True)
class SearchProvider:
    object: str
    model: type[Record]
    fields: tuple[str, ...]
    title: Callable[[Any], str]
    subtitle: Callable[[Any], str] = lambda row: ""
    select_related: tuple[str, ...] = ()
    active_only: bool = True


_PROVIDERS: dict[str, SearchProvider] = {}


def register_search(provider: SearchProvider) -> None:
    _PROVIDERS[provider.object] = provider


def search_providers() -> dict[str, SearchProvider]:
    return dict(_PROVIDERS)


def _matches(provider: SearchProvider, term: str) -> Q:
    # Every word must match one of the fields ("jane doe" finds first_name=Jane, last_name=Doe).
    words = term.split()[:5]
    return reduce(
        lambda acc, word: acc & reduce(or_, (Q(**{f"{field}__icontains": word}) for field in provider.fields)),
        words,
        Q(),
    )


# Newest first: every searchable table has an (organization, -created_at) index to walk.
NEWEST_FIRST = ("-created_at", "-id")
# How many of the newest rows the first attempt reads (see _newest_matches).
RECENT_WINDOW = 2000


def _newest_matches(queryset: QuerySet[Any], matches: Q, limit: int) -> QuerySet[Any]:
    """The ``limit`` newest rows of ``queryset`` that match, in one query of bounded cost.

    A common term (a frequent surname) matches thousands of rows: collecting them all to sort
    them costs a read of most of the table, while the newest rows already hold enough matches.
    A rare term is the opposite: walking the newest rows finds too few, but all its matches are
    cheap to collect through the trigram indexes. PostgreSQL runs the walk over the newest
    ``RECENT_WINDOW`` rows first, and collects every match only when the walk found fewer than
    ``limit``; either way the answer is exactly the newest matches.
    """
    if connection.vendor != "postgresql":
        return queryset.filter(matches).order_by(*NEWEST_FIRST)
    recent = queryset.order_by(*NEWEST_FIRST).values("pk")[:RECENT_WINDOW]
    walk = queryset.filter(matches, pk__in=recent).order_by(*NEWEST_FIRST).values("pk")[:limit]
    every = queryset.filter(matches).order_by(UNINDEXED_SORT_KEY, *NEWEST_FIRST).values("pk")[:limit]
    walk_sql, walk_params = walk.query.sql_with_params()
    every_sql, every_params = every.query.sql_with_params()
    # Both parts are compiled by Django with their parameters kept apart; nothing user-typed is
    # formatted into the SQL text.
    sql = (
        f"WITH walk AS MATERIALIZED ({walk_sql}) SELECT pk FROM walk "  # noqa: S608
        f"UNION ALL SELECT pk FROM ({every_sql}) every WHERE (SELECT count(*) FROM walk) < %s"
    )
    ids = RawSQL(sql, (*walk_params, *every_params, limit))  # noqa: S611
    return queryset.filter(pk__in=ids).order_by(*NEWEST_FIRST)


def global_search(*, term: str, objects: list[str] | None = None, limit: int = 5) -> list[dict[str, Any]]:
    """Up to ``limit`` matches per object type, newest first, one query per type."""
    results: list[dict[str, Any]] = []
    for name, provider in _PROVIDERS.items():
        if objects and name not in objects:
            continue
        queryset = provider.model.objects.all()
        if provider.active_only:
            queryset = queryset.filter(is_active=True)
        found = _newest_matches(queryset, _matches(provider, term), limit)
        rows = found.select_related(*provider.select_related)[:limit]
        results.extend(
            {"object": name, "id": row.pk, "title": provider.title(row), "subtitle": provider.subtitle(row)}
            for row in rows
        )
    return results


class GlobalSearchView(ScopedAPIView):
    @extend_schema(
        tags=["search"],
        parameters=[
            OpenApiParameter("q", str, required=True, description="At least 2 characters."),
            OpenApiParameter("objects", str, description="Comma-separated object names to search (default: all)."),
            OpenApiParameter("limit", int, description="Matches per object, 1..20 (default 5)."),
        ],
        responses=inline_serializer(
            "GlobalSearchResults",
            {
                "results": inline_serializer(
                    "GlobalSearchHit",
                    {
                        "object": serializers.CharField(),
                        "id": serializers.IntegerField(),
                        "title": serializers.CharField(),
                        "subtitle": serializers.CharField(),
                    },
                    many=True,
                )
            },
        ),
    )
    def get(self, request: Request) -> Response:
        """Search accounts, contacts, leads, opportunities, cases... by name as the user types."""
        term = (request.query_params.get("q") or "").strip()
        if len(term) < 2:
            raise ApplicationError(
                "validation_error", _("Type at least 2 characters."), {"q": _("At least 2 characters.")}
            )
        if len(term) > 100:
            raise ApplicationError(
                "validation_error", _("The search is too long."), {"q": _("At most 100 characters.")}
            )
        try:
            limit = min(max(int(request.query_params.get("limit", 5)), 1), 20)
        except ValueError:
            raise ApplicationError(
                "validation_error", _("Give the limit as a number."), {"limit": _("A number.")}
            ) from None
        objects = [o for o in (request.query_params.get("objects") or "").split(",") if o]
        unknown = [o for o in objects if o not in _PROVIDERS]
        if unknown:
            raise ApplicationError(
                "validation_error",
                _("Unknown object type."),
                {"objects": _("Unknown: %(names)s.") % {"names": ", ".join(unknown)}},
            )
        return Response({"results": global_search(term=term, objects=objects or None, limit=limit)})
