"""Health check and the object metadata endpoint."""

from __future__ import annotations

from typing import Any

from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.identity.permissions import request_user

from .api import ScopedAPIView
from .registry import as_json, registered


class HealthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        tags=["operations"],
        auth=[],
        responses={
            200: inline_serializer("Health", {"status": serializers.CharField(), "database": serializers.CharField()}),
            503: inline_serializer(
                "HealthDown", {"status": serializers.CharField(), "database": serializers.CharField()}
            ),
        },
    )
    def get(self, request: Request) -> Response:
        """200 when the app can reach its database, 503 when it cannot."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:
            return Response({"status": "unavailable", "database": "unreachable"}, status=503)
        return Response({"status": "ok", "database": "ok"})


class ObjectMetaView(ScopedAPIView):
    @extend_schema(
        tags=["meta"],
        responses=inline_serializer(
            "ObjectMetaList", {"objects": serializers.ListField(child=serializers.DictField())}
        ),
    )
    def get(self, request: Request) -> Response:
        """Fields, list columns, filters and related lists of every object, for the web UI."""
        org_id = request_user(request).organization_id
        return Response({"objects": [as_json(meta, org_id) for meta in registered().values()]})


def not_found(request: Any, exception: Exception | None = None) -> Any:
    """404 for a path no route matches: the API's JSON error shape under /api/, Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    from .errors import error_body

    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", "No such endpoint or record."), status=404)
    return page_not_found(request, exception)
