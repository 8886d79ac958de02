"""Imports (preview, upload, status, error report, undo), changesets (list, revert) and the export
of any registered object's list view."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.errors import ApplicationError
from crm.core.views import OrgScopedViewMixin, ScopedAPIView
from crm.identity.permissions import request_user
from crm.records.registry import registered

from .. import selectors, services
from ..exporting import FORMATS, export_columns, export_response, list_view_for
from ..models import Changeset, Import
from ..targets import ObjectAccess, object_access
from . import serializers as s


def _file_bytes(upload: Any) -> bytes:
    from django.conf import settings

    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ApplicationError(
            "file_too_large",
            _("The file is larger than %(mb)s MB; split it into smaller files.")
            % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
            {"file": [_("The file is too large.")]},
        )
    return bytes(upload.read())


def _writable_access(request: Request, object_name: str) -> ObjectAccess:
    """The object, if the signed-in user may create its records through the API (its own permissions)."""
    access = object_access(object_name)
    if access is None:
        raise ApplicationError(
            "validation_error", _("Please correct the errors below."), {"object": [_("No such object.")]}
        )
    view = list_view_for(access, request)
    view.action = "create"
    view.check_permissions(request)
    return access


class ImportViewSet(OrgScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Spreadsheet imports of the signed-in user (an administrator sees the organization's)."""

    serializer_class = s.ImportSerializer
    filter_backends: list[type] = []
    lookup_value_regex = r"[0-9]+"
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[Import]:
        if getattr(self, "swagger_fake_view", False):
            return Import.objects.none()
        return selectors.import_list(viewer=request_user(self.request))

    @extend_schema(
        tags=["imports"], request={"multipart/form-data": s.ImportUploadSerializer}, responses=s.ImportPreviewSerializer
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """The file's columns and first rows, the fields they can fill and a suggested mapping (nothing is stored)."""
        body = s.ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access = _writable_access(request, body.validated_data["object"])
        upload = body.validated_data["file"]
        preview = services.import_preview(object_name=access.meta.name, data=_file_bytes(upload), file_name=upload.name)
        return Response(s.ImportPreviewSerializer(preview).data)

    @extend_schema(
        tags=["imports"],
        request={"multipart/form-data": s.ImportCreateSerializer},
        responses={202: s.ImportSerializer},
        description="Queue the import; poll GET /imports/{id} for its status and progress.",
    )
    def create(self, request: Request) -> Response:
        body = s.ImportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        access = _writable_access(request, data["object"])
        upload = data["file"]
        record = services.import_start(
            actor=request_user(request),
            object_name=access.meta.name,
            file_name=upload.name,
            data=_file_bytes(upload),
            mapping=data["mapping"],
            mode=data["mode"],
            commit=data["commit"],
            dry_run=data["dry_run"],
        )
        record.refresh_from_db()
        return Response(s.ImportSerializer(record).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        tags=["imports"],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="row, column, value, message")},
    )
    @action(detail=True, methods=["get"], url_path="error-report")
    def error_report(self, request: Request, pk: str | None = None) -> HttpResponse:
        """Every row error as CSV: row, column, value, message."""
        record = self.get_object()
        response = HttpResponse(services.import_error_report(record), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{record.pk}-errors.csv"'
        return response

    @extend_schema(tags=["imports"], request=None, responses=s.ChangesetSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str | None = None) -> Response:
        """Undo the import: remove what it created, restore what it changed (409 when already undone)."""
        record = self.get_object()
        changeset = services.import_undo(import_id=record.pk, actor=request_user(request))
        return Response(s.ChangesetSerializer(changeset).data)


class ChangesetViewSet(OrgScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reversible batches of writes (imports), newest first."""

    serializer_class = s.ChangesetSerializer
    filter_backends: list[type] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Changeset]:
        if getattr(self, "swagger_fake_view", False):
            return Changeset.objects.none()
        return selectors.changeset_list(viewer=request_user(self.request))

    @extend_schema(tags=["changesets"], request=None, responses=s.ChangesetSerializer)
    @action(detail=True, methods=["post"])
    def revert(self, request: Request, pk: str | None = None) -> Response:
        """Remove what the changeset created and restore what it changed; records edited since are left
        as they are and listed in ``revert_report.skipped``. A second revert answers 409."""
        changeset = self.get_object()
        reverted = services.changeset_revert(changeset_id=changeset.pk, actor=request_user(request))
        return Response(s.ChangesetSerializer(reverted).data)


class ExportView(ScopedAPIView):
    """``GET /<object>/export?format=csv|xlsx``: the list view (filters, search, sort, ``columns=``)."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # ``format`` names the file format here, not an API renderer.
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        tags=["export"],
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), required=False),
            OpenApiParameter("columns", OpenApiTypes.STR, required=False, description="Comma-separated fields"),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
        },
        filters=False,
    )
    def get(self, request: Request, api_path: str) -> Any:
        """Stream the list as CSV or XLSX; the list endpoint's query parameters narrow and sort it."""
        name = next((meta.name for meta in registered().values() if meta.api_path == api_path), None)
        access = object_access(name) if name is not None else None
        if access is None:
            raise Http404
        fmt = request.query_params.get("format", "csv")
        if fmt not in FORMATS:
            raise ApplicationError(
                "validation_error",
                _("Please correct the errors below."),
                {"format": [_("Choose csv or xlsx.")]},
            )
        view = list_view_for(access, request)
        columns = export_columns(access, view, request.query_params.get("columns", ""))
        return export_response(access=access, view=view, fmt=fmt, columns=columns)
