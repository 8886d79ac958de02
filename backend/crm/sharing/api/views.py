"""The sharing settings (administrators) and the shares of one record (its owner, those above, admins)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.errors import ApplicationError
from crm.core.scoping import current_viewer
from crm.core.views import ScopedAPIView
from crm.identity.permissions import IsOrgAdmin, request_user
from crm.records.models import Record

from .. import selectors, services
from . import serializers as s


class SharingDefaultsView(ScopedAPIView):
    """Organization-wide defaults per object: Private, PublicReadOnly or PublicReadWrite."""

    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["sharing"], responses=s.SharingDefaultsSerializer)
    def get(self, request: Request) -> Response:
        return Response(selectors.sharing_defaults_get())

    @extend_schema(
        tags=["sharing"],
        request=s.SharingDefaultsSerializer,
        responses=s.SharingDefaultsSerializer,
        description="Change the defaults of the objects named; the others keep theirs. Audited.",
    )
    def put(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Send an object of object names and defaults.")]})
        body = s.SharingDefaultsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Unknown keys are refused by the service, by name (the serializer would drop them).
        data = {key: value for key, value in request.data.items() if key not in body.validated_data}
        data.update(body.validated_data)
        return Response(services.sharing_defaults_set(actor=request_user(request), defaults=data))


class _RecordSharesBase(ScopedAPIView):
    model: ClassVar[type[Record]]  # the record the URL's pk names (one subclass per object)

    def _record(self, pk: int) -> Record:
        record = self.model.objects.filter(pk=pk).first()  # visibility applies: 404 when not readable
        if record is None:
            raise ApplicationError("not_found", _("No such record."), status_code=404)
        viewer = current_viewer()
        if viewer is not None and not viewer.can_manage_shares(record):  # type: ignore[attr-defined]
            raise ApplicationError(
                "forbidden",
                _("Only the record's owner, the users above them and administrators share it."),
                status_code=403,
            )
        return record


class RecordShareListView(_RecordSharesBase):
    @extend_schema(tags=["sharing"], responses=s.RecordShareSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        record = self._record(pk)
        return Response(s.RecordShareSerializer(selectors.record_share_list(record=record), many=True).data)

    @extend_schema(
        tags=["sharing"],
        request=s.RecordShareSerializer,
        responses={201: s.RecordShareSerializer, 200: s.RecordShareSerializer},
        description="Share the record with a user for Read or Edit; sharing again changes the access.",
    )
    def post(self, request: Request, pk: int) -> Response:
        record = self._record(pk)
        body = s.RecordShareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        share, created = services.record_share_set(
            actor=request_user(request),
            record=record,
            user=body.validated_data["user"],
            access=body.validated_data["access"],
        )
        share = selectors.record_share_list(record=record).get(pk=share.pk)
        return Response(
            s.RecordShareSerializer(share).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class RecordShareDetailView(_RecordSharesBase):
    @extend_schema(tags=["sharing"], responses={204: None})
    def delete(self, request: Request, pk: int, share_id: int) -> Response:
        record = self._record(pk)
        services.record_share_delete(actor=request_user(request), record=record, share_id=share_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def share_views(model: type[Record]) -> tuple[type[RecordShareListView], type[RecordShareDetailView]]:
    name = model.__name__
    attrs: dict[str, Any] = {"model": model, "__module__": __name__}
    return (
        type(f"{name}ShareListView", (RecordShareListView,), attrs),
        type(f"{name}ShareDetailView", (RecordShareDetailView,), attrs),
    )
