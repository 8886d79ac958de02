"""Global search across objects: each app registers which fields of which model to search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from .api import ScopedAPIView
from .errors import ApplicationError
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


def global_search(*, term: str, objects: list[str] | None = None, limit: int = 5) -> list[dict[str, Any]]:
    """Up to ``limit`` matches per object type, one query per type."""
    results: list[dict[str, Any]] = []
    for name, provider in _PROVIDERS.items():
        if objects and name not in objects:
            continue
        queryset = provider.model.objects.filter(_matches(provider, term))
        if provider.active_only:
            queryset = queryset.filter(is_active=True)
        rows = queryset.select_related(*provider.select_related).order_by("-updated_at", "-id")[:limit]
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
            raise ApplicationError("validation_error", "Type at least 2 characters.", {"q": "At least 2 characters."})
        if len(term) > 100:
            raise ApplicationError("validation_error", "The search is too long.", {"q": "At most 100 characters."})
        try:
            limit = min(max(int(request.query_params.get("limit", 5)), 1), 20)
        except ValueError:
            raise ApplicationError("validation_error", "Give the limit as a number.", {"limit": "A number."}) from None
        objects = [o for o in (request.query_params.get("objects") or "").split(",") if o]
        unknown = [o for o in objects if o not in _PROVIDERS]
        if unknown:
            raise ApplicationError(
                "validation_error", "Unknown object type.", {"objects": f"Unknown: {', '.join(unknown)}."}
            )
        return Response({"results": global_search(term=term, objects=objects or None, limit=limit)})
