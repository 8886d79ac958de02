"""The shape every automation setting shares in the API: administrators only, the organization's rows,
list / create / read / change with the version the client read (409 when stale)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.views import OrgScopedViewMixin
from crm.identity.permissions import IsOrgAdmin, request_user


class SettingViewSet(
    OrgScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Any],
):
    permission_classes = [IsOrgAdmin]
    filter_backends: ClassVar[list[Any]] = []
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    setting_model: ClassVar[Any]

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.setting_model.all_orgs.none()
        return self.filter_rows(self.setting_model.objects.all()).order_by("-id")

    def filter_rows(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def perform_save(self, data: dict[str, Any], instance: Any | None, version: int | None) -> Any:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = self.perform_save(dict(body.validated_data), None, None)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        body = self.get_serializer(instance, data=request.data, partial=True)
        errors: dict[str, Any] = {}
        if not body.is_valid():
            errors.update(body.errors)
        version = request.data.get("version") if hasattr(request.data, "get") else None
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            errors["version"] = [_("Required: the version you read.")]
        if errors:
            raise serializers.ValidationError(errors)
        data = {key: value for key, value in body.validated_data.items() if key != "version"}
        saved = self.perform_save(data, instance, version)
        return Response(self.get_serializer(saved).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    @property
    def actor(self) -> Any:
        return request_user(self.request)
