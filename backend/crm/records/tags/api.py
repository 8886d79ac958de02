"""``/tags`` (the organization's tags with their usage) and the parts of the record API that tags add:
the ``tags`` key of records, the ``?tag=`` list filter and the add / remove actions."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.views import OrgScopedViewMixin
from crm.identity.permissions import request_user

from ..models import Tag
from ..query import BIGINT_MAX
from . import selectors, services

MAX_TAG_FILTERS = 20


class TagRefSerializer(serializers.Serializer[Any]):
    """A tag as records carry it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    colour = serializers.CharField()


class TagSerializer(serializers.ModelSerializer[Tag]):
    usage_count = serializers.IntegerField(read_only=True, default=0, help_text="Records carrying the tag.")
    colour = serializers.CharField(required=False, help_text="#rrggbb")

    class Meta:
        model = Tag
        fields = ["id", "name", "colour", "usage_count", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs: ClassVar[dict[str, dict[str, Any]]] = {
            "name": {"validators": []}
        }  # uniqueness (any case) is the service's rule


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class TagRefField(serializers.Field[int | str, int | str, int | str, Any]):
    """A tag's id (a number) or its name (a text; a new name makes the tag)."""

    default_error_messages = {"invalid": gettext_lazy("Give a tag's id or a name.")}

    def to_internal_value(self, data: Any) -> int | str:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            if not 0 < data <= BIGINT_MAX:
                self.fail("invalid")
            return data
        if isinstance(data, str) and data.strip():
            return data
        self.fail("invalid")

    def to_representation(self, value: int | str) -> int | str:
        return value


class RecordTagSerializer(serializers.Serializer[Any]):
    tag = TagRefField(help_text="The id of a tag, or a name (a new name makes the tag).")


class TagViewSet(
    OrgScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Tag],
):
    """The organization's tags with their usage counts. Everybody reads and creates them (a new name on
    a record makes one too); administrators rename, recolour and delete them."""

    serializer_class = TagSerializer
    filter_backends: list[Any] = []
    pagination_class = None
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Tag]:
        if getattr(self, "swagger_fake_view", False):
            return Tag.all_orgs.none()
        return selectors.tag_list()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic(durable=True):
            tag = services.tag_create(
                name=body.validated_data["name"],
                colour=body.validated_data.get("colour", services.DEFAULT_COLOUR),
                actor=request_user(request),
            )
        return Response(self.get_serializer(selectors.tag_get(tag_id=tag.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tag = self.get_object()
        body = self.get_serializer(tag, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        with transaction.atomic(durable=True):
            services.tag_update(tag=tag, data=dict(body.validated_data), actor=request_user(request))
        return Response(self.get_serializer(selectors.tag_get(tag_id=tag.pk)).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tag = self.get_object()
        with transaction.atomic(durable=True):
            services.tag_delete(tag=tag, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the list filter ---------------------------------------------------------------------------------


class TagRefsFormField(forms.Field):
    """``?tag=`` given once or more: tag ids or names."""

    widget = forms.SelectMultiple

    def clean(self, value: Any) -> list[int | str] | None:
        values = [item for item in (value or []) if isinstance(item, str) and item.strip()]
        if not values:
            return None
        if len(values) > MAX_TAG_FILTERS:
            raise DjangoValidationError(
                _("Filter by at most %(count)s tags.") % {"count": MAX_TAG_FILTERS}, code="too_many"
            )
        refs: list[int | str] = []
        for item in values:
            text = item.strip()
            if len(text) > services.NAME_MAX:
                raise DjangoValidationError(_("Give a tag's id or name."), code="invalid")
            refs.append(int(text) if text.isdigit() and text.isascii() and int(text) <= BIGINT_MAX else text)
        return refs


@extend_schema_field({"type": "string", "description": "A tag's id or name; repeat for any of several tags."})
class TagFilter(django_filters.Filter):  # type: ignore[misc]  # django_filters is untyped
    """Records carrying any of the given tags (ids or names, any case)."""

    field_class = TagRefsFormField

    def filter(self, qs: QuerySet[Any], value: list[int | str] | None) -> QuerySet[Any]:
        if not value:
            return qs
        tags = selectors.tags_named(value)
        return qs.filter(pk__in=selectors.tagged_record_ids(object_name=qs.model.object_name, tags=tags))


# --- record answers ---------------------------------------------------------------------------------


def add_row_tags(rows: list[Any], packed: list[str | None]) -> None:
    """Put each row's tags (the ``TAGS_COLUMN`` values of the same rows) under ``tags``."""
    for row, value in zip(rows, packed, strict=True):
        row["tags"] = selectors.unpack_tags(value)
