"""The Jobs page's API: the organization's jobs (administrators) and Retry of a failed one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.scoping import current_org_id
from crm.core.views import OrgScopedViewMixin
from crm.identity.permissions import IsOrgAdmin

from .. import selectors, services
from ..models import Job
from . import serializers as s


@extend_schema_view(
    list=extend_schema(
        tags=["jobs"],
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, enum=Job.State.values, required=False)],
    )
)
class JobViewSet(OrgScopedViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Background jobs of the organization, newest first: queued, running, succeeded, failed."""

    permission_classes = [IsOrgAdmin]
    serializer_class = s.JobSerializer
    filter_backends: list[type] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Job]:
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        state = self.request.query_params.get("state") or None
        if state is not None and state not in Job.State.values:
            raise ValidationError(
                {"state": [_("Pick one of: %(choices)s.") % {"choices": ", ".join(Job.State.values)}]}
            )
        return selectors.job_list(organization_id=current_org_id(), state=state)

    @extend_schema(tags=["jobs"], request=None, responses=s.JobSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Queue a failed job again; any other state answers 409 job_not_failed."""
        job = services.job_retry(job_id=int(pk or 0), organization_id=current_org_id())
        return Response(s.JobSerializer(job).data)
