"""The generic record API: one viewset, serializer base, pagination, ordering and filters.

A business object gets list, create, read, update (with version), deactivate and history by
declaring a RecordViewSet subclass. Tenancy is enforced by the scoped manager and the
organization ContextVar, which this module sets for every authenticated request.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, cast

import django_filters
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError
from crm.core.scoping import current_org_id, current_viewer, unrestricted
from crm.core.views import OrgScopedViewMixin
from crm.identity.permissions import request_user

from . import services
from .fields import BoundedDateField, BoundedDateTimeField
from .listing.plan import list_plan
from .models import OrgOwned, Record
from .query import BIGINT_MAX, BIGINT_MIN, UserRefField
from .related import embeds_for
from .rows import row_plan
from .tags import selectors as tag_selectors
from .tags import services as tag_services
from .tags.api import RecordTagSerializer, TagFilter, TagRefSerializer, add_row_tags


class OwnerFilter(django_filters.CharFilter):  # type: ignore[misc]  # django_filters is untyped
    """Accepts a user id or ``me`` (checked by the form field, see query.py)."""

    field_class = UserRefField

    def filter(self, qs: QuerySet[Any], value: str | int | None) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        if value == "me":
            return qs.filter(**{self.field_name: self.parent.request.user.pk})
        return qs.filter(**{self.field_name: value})


BIGINT_RANGE = (BIGINT_MIN, BIGINT_MAX)


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):  # type: ignore[misc]  # django_filters is untyped
    """An ISO 8601 date-time, compared in UTC (PostgreSQL refuses offsets beyond ±15:59).

    The filter backend keeps the value inside the dates the conversion can reach (query.py)."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return cast("QuerySet[Any]", super().filter(qs, value))


class RecordFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django_filters is untyped
    owner = OwnerFilter(field_name="owner_id")
    owner_id = OwnerFilter(field_name="owner_id")
    is_active = django_filters.BooleanFilter()
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created_at", lookup_expr="lt")
    # ?tag=<id or name>, once or more: records carrying any of them.
    tag = TagFilter()


def check_record_writable(record: models.Model) -> None:
    """403 when the signed-in user may read ``record`` but not change it (record sharing)."""
    viewer = current_viewer()
    if viewer is not None and not viewer.can_edit(record):
        raise ApplicationError(
            "read_only_record",
            _("You can see this record but not change it: ask its owner to share it with you for editing."),
            status_code=403,
        )


def scoped_queryset(model: type[models.Model]) -> QuerySet[Any]:
    """Rows of ``model`` that the current organization may point at."""
    from crm.identity.models import User

    if issubclass(model, OrgOwned):
        return model.objects.all()
    if issubclass(model, User):
        return User.objects.filter(organization_id=current_org_id())
    raise TypeError(f"{model.__name__} is not organization-scoped")


class ScopedRelatedField(serializers.PrimaryKeyRelatedField[models.Model]):
    """A foreign key given by id that must name a record of the caller's organization."""

    default_error_messages = {
        "required": gettext_lazy("This field is required."),
        "does_not_exist": gettext_lazy("No {model} with id {pk_value} exists."),
        "incorrect_type": gettext_lazy("Give the id as a number, not {data_type}."),
    }

    def __init__(self, model: type[models.Model] | str, **kwargs: Any) -> None:
        self._model = model
        kwargs.setdefault("queryset", None)
        kwargs.setdefault("allow_null", not kwargs.get("required", True))
        super().__init__(**kwargs)

    @property
    def related_model(self) -> type[models.Model]:
        if isinstance(self._model, str):
            self._model = apps.get_model(self._model)
        return self._model

    def get_queryset(self) -> QuerySet[models.Model]:
        return scoped_queryset(self.related_model)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        # A bulk writer (an import) reads the rows a batch names at once, through get_queryset(),
        # and hands them over as context["known_rows"] = {model: {pk: row}}.
        known = self.context.get("known_rows", {}).get(self.related_model)
        if known is not None:
            try:
                pk = int(data)
            except (TypeError, ValueError):
                self.fail("incorrect_type", data_type=type(data).__name__)
            if pk not in known:
                self.fail("does_not_exist", pk_value=data, model=self.related_model._meta.verbose_name)
            return known[pk]
        try:
            return self.get_queryset().get(pk=data)
        except ObjectDoesNotExist:  # the related model's DoesNotExist
            self.fail("does_not_exist", pk_value=data, model=self.related_model._meta.verbose_name)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)

    def use_pk_only_optimization(self) -> bool:
        return True


class RecordSerializer(serializers.ModelSerializer[Record]):
    """Fields every record shows: id, owner, active flag, version, timestamps."""

    owner_id = ScopedRelatedField(
        "identity.User", source="owner", required=False, allow_null=False, help_text="Defaults to you."
    )
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Required on update: the version you read."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    created_by_id = serializers.IntegerField(read_only=True)
    updated_by_id = serializers.IntegerField(read_only=True)

    # Dates a client writes stay inside the range the app can calculate with.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: BoundedDateField,
        models.DateTimeField: BoundedDateTimeField,
    }

    record_fields: ClassVar[list[str]] = [
        "id",
        "owner_id",
        "owner_name",
        "is_active",
        "version",
        "created_at",
        "updated_at",
        "created_by_id",
        "updated_by_id",
    ]


class VersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="The version the client last read.")


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    actor_name = serializers.CharField(source="actor.name", read_only=True, default=None)

    class Meta:
        model = AuditEvent
        fields = ["id", "action", "name", "changes", "actor_id", "actor_name", "at"]


class RecordViewSet(
    OrgScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Record],
):
    """CRUD for one record type. Subclasses declare; they do not override queryset methods."""

    model: ClassVar[type[Record]]
    detail_serializer_class: ClassVar[type[serializers.BaseSerializer[Any]] | None] = None
    list_select_related: ClassVar[tuple[str, ...]] = ("owner",)
    detail_prefetch: ClassVar[tuple[Any, ...]] = ()
    ordering_aliases: ClassVar[dict[str, str]] = {"owner": "owner__name"}
    filterset_class = RecordFilterSet
    ordering: ClassVar[list[str]] = ["-created_at"]
    creatable: ClassVar[bool] = True  # False: rows only come from a business action (orders, payments)
    create_hint: ClassVar[str] = ""
    lookup_value_regex = r"[0-9]+"
    fast_rows: ClassVar[bool | None] = None  # None: build list rows from columns when possible
    # DELETE serves only the removal of a tag (no record is ever deleted: it is deactivated).
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    _protected: ClassVar[tuple[str, ...]] = ("get_queryset", "get_object", "dispatch", "perform_authentication")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls._protected:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}; use filter_list_queryset or annotate_queryset instead."
                )

    # --- extension points -------------------------------------------------------------
    def annotate_queryset(self, queryset: QuerySet[Record]) -> QuerySet[Record]:
        """Add annotations (calculated amounts) used by both list and detail."""
        return queryset

    def filter_list_queryset(self, queryset: QuerySet[Record]) -> QuerySet[Record]:
        """Narrow the list further; deactivated rows are hidden unless ``is_active`` is asked for."""
        if "is_active" not in self.request.query_params:
            queryset = queryset.filter(is_active=True)
        return queryset

    # Each write is one durable transaction; objects with their own services override these
    # hooks with entry points that are durable themselves.
    def create_record(self, data: dict[str, Any]) -> Record:
        with transaction.atomic(durable=True):
            return services.record_create(model=self.model, data=data, actor=request_user(self.request))

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        with transaction.atomic(durable=True):
            return services.record_update(
                record=record, data=data, expected_version=version, actor=request_user(self.request)
            )

    # --- plumbing -----------------------------------------------------------------------
    def get_queryset(self) -> QuerySet[Record]:
        if getattr(self, "swagger_fake_view", False):  # schema generation runs without a tenant
            return self.model.all_orgs.none()
        queryset: QuerySet[Record] = self.model.objects.all().select_related(*self.list_select_related)
        queryset = self.annotate_queryset(queryset)
        if self.action in ("list", "retrieve"):
            # Each row's tags ride along as a column of the row's own query.
            queryset = queryset.annotate(
                **{tag_selectors.TAGS_COLUMN: tag_selectors.packed_tags(self.model.object_name)}
            )
        if self.action == "list":
            queryset = self.filter_list_queryset(queryset)
        elif self.detail_prefetch and self.action == "retrieve":
            queryset = queryset.prefetch_related(*(_visible_prefetch(p) for p in self.detail_prefetch))
        return queryset

    def get_object(self) -> Record:
        record = super().get_object()
        if self.request.method not in SAFE_METHODS:
            check_record_writable(record)
        return record

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in ("retrieve", "create", "update", "partial_update") and self.detail_serializer_class:
            return self.detail_serializer_class
        return self._write_serializer_class()

    def write_serializer(self, *args: Any, **kwargs: Any) -> serializers.BaseSerializer[Any]:
        kwargs["context"] = self.get_serializer_context()
        return self._write_serializer_class()(*args, **kwargs)

    def _write_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        """``serializer_class``: the list rows and the writes (every record viewset sets it)."""
        serializer_class = self.serializer_class
        if serializer_class is None:
            raise TypeError(f"{type(self).__name__} sets no serializer_class")
        return serializer_class

    def detail_data(self, record: Record) -> dict[str, Any]:
        data = dict(self.get_serializer(record).data)
        packed = getattr(record, tag_selectors.TAGS_COLUMN, _NOT_READ)
        if packed is _NOT_READ:  # a record read without its tags column (a business action's answer)
            data["tags"] = tag_selectors.record_tags(object_name=self.model.object_name, record_id=record.pk)
        else:
            data["tags"] = tag_selectors.unpack_tags(cast("str | None", packed))
        for embed in embeds_for(self.model.object_name):
            data[embed.key] = embed.loader(record, self.request)
        return data

    def read_back(self, record: Record) -> dict[str, Any]:
        found = self.get_queryset().filter(pk=record.pk).first()
        if found is None:
            # Saved for another owner under a Private default: the writer still gets what they wrote.
            with unrestricted():
                found = self.get_queryset().get(pk=record.pk)
        return self.detail_data(found)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.detail_data(self.get_object()))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset: QuerySet[Record, Any] = self.filter_queryset(self.get_queryset())
        plan = None
        # A view that post-processes page rows says whether it copes with rows from columns.
        fast = self.fast_rows if self.fast_rows is not None else type(self).paginate_queryset is _PAGINATE
        if fast:
            plan = row_plan(self.get_serializer_class(), queryset)
        if plan is not None:
            # Rows straight from the columns (see rows.py): same JSON, no model instances; the
            # capped count runs on the queryset before its columns are chosen.
            list_plan(self).count_source = queryset
            queryset = queryset.values_list(*plan.paths, tag_selectors.TAGS_COLUMN)
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        data = plan.build(rows) if plan is not None else self.get_serializer(rows, many=True).data
        if plan is not None:
            packed = [row[len(plan.paths)] for row in rows]
        else:
            packed = [getattr(row, tag_selectors.TAGS_COLUMN, None) for row in rows]
        add_row_tags(data, packed)
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not self.creatable:
            raise MethodNotAllowed("POST", detail=self.create_hint or None)
        serializer = self.write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = self.create_record(dict(serializer.validated_data))
        self.action = "retrieve"
        return Response(self.read_back(record), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # PUT and PATCH both carry only the changed fields plus the version (seed 003 §1.7).
        record = self.get_object()
        version = VersionSerializer(data=request.data)
        serializer = self.write_serializer(record, data=request.data, partial=True)
        errors: dict[str, Any] = {}
        if not version.is_valid():
            errors.update(version.errors)
        if not serializer.is_valid():
            errors.update(serializer.errors)
        if errors:
            raise serializers.ValidationError(errors)
        updated = self.update_record(record, dict(serializer.validated_data), version.validated_data["version"])
        self.action = "retrieve"
        return Response(self.read_back(updated))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    @extend_schema(responses=AuditEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The record's audit trail, newest first."""
        record = self.get_object()
        events = (
            AuditEvent.objects.filter(object_type=record._meta.label_lower, object_id=record.pk)
            .select_related("actor")
            .order_by("-at", "-id")[:200]
        )
        return Response(AuditEventSerializer(events, many=True).data)

    @extend_schema(
        request=RecordTagSerializer,
        responses={200: TagRefSerializer(many=True), 201: TagRefSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="tags", pagination_class=None, filter_backends=[])
    def add_tag(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Put a tag on the record: ``{"tag": id}`` or ``{"tag": "name"}`` (a new name makes the tag).
        Answers the record's tags: 201 when added, 200 when the record carried it already."""
        record = self.get_object()
        body = RecordTagSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic(durable=True):
            _tag, added = tag_services.record_tag_add(
                record=record, tag=body.validated_data["tag"], actor=request_user(request)
            )
        tags = tag_selectors.record_tags(object_name=self.model.object_name, record_id=record.pk)
        return Response(tags, status=status.HTTP_201_CREATED if added else status.HTTP_200_OK)

    @extend_schema(responses=TagRefSerializer(many=True), filters=False)
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"tags/(?P<tag_id>[0-9]{1,18})",
        pagination_class=None,
        filter_backends=[],
    )
    def remove_tag(self, request: Request, tag_id: str, *args: Any, **kwargs: Any) -> Response:
        """Take a tag off the record; answers the record's tags (404 when it does not carry the tag)."""
        record = self.get_object()
        with transaction.atomic(durable=True):
            tag_services.record_tag_remove(record=record, tag_id=int(tag_id), actor=request_user(request))
        return Response(tag_selectors.record_tags(object_name=self.model.object_name, record_id=record.pk))


_PAGINATE = RecordViewSet.paginate_queryset
_NOT_READ = object()


def _visible_prefetch(lookup: Any) -> Any:
    """A prefetch of related records, narrowed to those the signed-in user may see.

    Prefetches are declared at import with the plain manager (no organization is in scope then);
    the rows follow the scoped parent, and records among them pass the visibility rule too.
    """
    viewer = current_viewer()
    if viewer is None or not isinstance(lookup, models.Prefetch) or lookup.queryset is None:
        return lookup
    if not issubclass(lookup.queryset.model, Record):
        return lookup  # child rows (line items, roles) follow their readable parent
    return models.Prefetch(lookup.prefetch_through, queryset=viewer.restrict(lookup.queryset), to_attr=lookup.to_attr)


def _component_name(serializer: type[serializers.BaseSerializer[Any]]) -> str:
    """The schema component drf-spectacular names a serializer by."""
    declared = getattr(serializer, "_spectacular_annotation", {}).get("component_name")
    if declared:
        return str(declared)
    name = serializer.__name__
    return name[: -len("Serializer")] if name.endswith("Serializer") else name


def _detail_schema_serializer(viewset: type[RecordViewSet]) -> type[serializers.BaseSerializer[Any]]:
    """The detail serializer plus the embedded related lists, for the OpenAPI schema only."""
    base = viewset.detail_serializer_class or viewset.serializer_class
    if base is None:
        raise TypeError(f"{viewset.__name__} sets no serializer_class")
    embeds = embeds_for(viewset.model.object_name)
    if not embeds:
        return base
    if not issubclass(base, serializers.ModelSerializer):
        raise TypeError(f"{base.__name__}: related lists are embedded in model serializers only")
    attrs: dict[str, Any] = {}
    for embed in embeds:
        if embed.serializer is not None:
            attrs[embed.key] = embed.serializer(many=embed.many, read_only=True)
        else:
            attrs[embed.key] = serializers.JSONField(read_only=True)
    meta = type("Meta", (base.Meta,), {"fields": [*base.Meta.fields, *attrs]})
    detail = type(f"{viewset.model.__name__}Detail", (base,), {**attrs, "Meta": meta})
    return cast("type[serializers.ModelSerializer[Any]]", detail)


def record_answer_components() -> set[str]:
    """The schema components of record list rows and detail answers (they carry ``tags``)."""
    names: set[str] = set()
    pending = list(RecordViewSet.__subclasses__())
    while pending:
        viewset = pending.pop()
        pending.extend(viewset.__subclasses__())
        if getattr(viewset, "model", None) is None or viewset.serializer_class is None:
            continue
        names.add(_component_name(viewset.serializer_class))
        names.add(_component_name(_detail_schema_serializer(viewset)))
    return names


def record_viewset_schema(viewset: type[RecordViewSet], tag: str) -> type[RecordViewSet]:
    """Document list/detail/create/update of a record viewset with request and response bodies."""
    write = viewset.serializer_class
    detail = _detail_schema_serializer(viewset)
    return extend_schema_view(
        list=extend_schema(tags=[tag]),
        retrieve=extend_schema(tags=[tag], responses=detail),
        create=extend_schema(tags=[tag], request=write, responses={201: detail}, exclude=not viewset.creatable),
        update=extend_schema(
            tags=[tag],
            request=write,
            responses=detail,
            description="Send the changed fields and the `version` you read. A stale version answers 409.",
        ),
        partial_update=extend_schema(tags=[tag], request=write, responses=detail),
        history=extend_schema(tags=[tag]),
        add_tag=extend_schema(tags=[tag]),
        remove_tag=extend_schema(tags=[tag]),
    )(viewset)
