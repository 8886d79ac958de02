"""Health check and the object metadata endpoint."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.core.views import ScopedAPIView
from crm.identity.permissions import request_user

from .registry import FIELD_TYPES, as_json, registered


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


def _names(help_text: str = "") -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


# Some declared fields share a name with a Serializer attribute (label, required, help_text, fields):
# the serializer metaclass takes declared fields off the class, so the attributes keep their types.


class FieldMetaSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field (see above)
    type = serializers.ChoiceField(choices=FIELD_TYPES)
    required = serializers.BooleanField()  # type: ignore[assignment]
    readonly = serializers.BooleanField()
    options = _names("The values of a picklist (the organization's own where it has them).")
    lookup = serializers.CharField(allow_null=True, help_text="The object a lookup points at.")
    display = serializers.CharField(allow_null=True, help_text="The response key holding a lookup's name.")
    max_length = serializers.IntegerField(allow_null=True)
    help_text = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    related_list = serializers.BooleanField(
        help_text="A lookup to a registered object gives it a related list of these records unless false."
    )


class RelatedListMetaSerializer(serializers.Serializer[Any]):
    object = serializers.CharField()
    field = serializers.CharField(help_text="The related object's filter that points back at the record.")
    label = serializers.CharField()  # type: ignore[assignment]
    columns = _names()
    key = serializers.CharField(allow_blank=True, help_text="The detail response key that embeds the rows, if any.")


class ObjectMetaSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    label_plural = serializers.CharField()
    api_path = serializers.CharField()
    icon = serializers.CharField()
    title_field = serializers.CharField()
    fields = FieldMetaSerializer(many=True)  # type: ignore[assignment]
    list_columns = _names()
    highlight_fields = _names()
    form_fields = _names()
    filters = _names()
    related = RelatedListMetaSerializer(many=True)
    path_field = serializers.CharField(allow_null=True)
    default_ordering = serializers.CharField()
    searchable = serializers.BooleanField()
    admin_only_write = serializers.BooleanField()
    can_deactivate = serializers.BooleanField()
    creatable = serializers.BooleanField(help_text="False: records only come from a business action.")
    extra = serializers.DictField(help_text="Object-specific settings (e.g. the objects an action creates).")


class ObjectMetaListSerializer(serializers.Serializer[Any]):
    objects = ObjectMetaSerializer(many=True)


class ObjectMetaView(ScopedAPIView):
    @extend_schema(tags=["meta"], responses=ObjectMetaListSerializer)
    def get(self, request: Request) -> Response:
        """Fields, list columns, filters and related lists of every object, for the web UI."""
        org_id = request_user(request).organization_id
        objects = [as_json(meta, org_id) for meta in registered().values()]
        return Response(ObjectMetaListSerializer({"objects": objects}).data)


def not_found(request: Any, exception: Exception | None = None) -> Any:
    """404 for a path no route matches: the API's JSON error shape under /api/, Django's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    from crm.core.errors import error_body

    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("No such endpoint or record.")), status=404)
    return page_not_found(request, exception)
