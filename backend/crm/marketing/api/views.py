from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.views import ScopedAPIView
from crm.identity.models import Role
from crm.identity.permissions import request_user
from crm.records.api import RecordFilterSet, RecordViewSet, check_record_writable, record_viewset_schema
from crm.records.models import Record

from .. import selectors
from ..models import (
    Campaign,
    CampaignMember,
    EmailCampaign,
    EmailRecipient,
    EmailTemplate,
    EmailTemplateVersion,
    Segment,
)
from ..services import campaigns as campaign_services
from ..services import segments as segment_services
from ..services import sends as send_services
from ..services import templates as template_services
from . import serializers as s


class CampaignFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Campaign.Status.choices)
    type = django_filters.MultipleChoiceFilter(choices=Campaign.Type.choices)
    parent_id = django_filters.NumberFilter()
    parent = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Campaign
        fields: list[str] = []


class CampaignViewSet(RecordViewSet):
    """Marketing campaigns: a hierarchy with roll-ups, members, and the deals they influenced."""

    plan_feature = "marketing"

    model = Campaign
    serializer_class = s.CampaignSerializer
    filterset_class = CampaignFilter
    list_select_related = ("owner", "parent")
    search_fields = ["name"]
    ordering_fields = [
        "name",
        "type",
        "status",
        "start_date",
        "end_date",
        "budgeted_cost",
        "actual_cost",
        "owner",
        "created_at",
        "updated_at",
    ]
    fast_rows = False

    def annotate_queryset(self, queryset: QuerySet[Record]) -> QuerySet[Record]:
        return queryset.annotate(member_count=Count("members"))

    def create_record(self, data: dict[str, Any]) -> Record:
        return campaign_services.campaign_create(data=data, actor=request_user(self.request))

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        assert isinstance(record, Campaign)
        return campaign_services.campaign_update(
            campaign=record, data=data, expected_version=version, actor=request_user(self.request)
        )

    @extend_schema(tags=["campaigns"], responses=s.CampaignRoiSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def roi(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        campaign = self.get_object()
        return Response(s.CampaignRoiSerializer(selectors.campaign_roi(campaign_id=campaign.pk)).data)


record_viewset_schema(CampaignViewSet, "campaigns")


def _campaign_or_404(campaign_id: int) -> Campaign:
    return get_object_or_404(Campaign.objects.all(), pk=campaign_id)


class CampaignMemberListView(ScopedAPIView):
    """The leads and contacts of a campaign."""

    plan_feature = "marketing"

    model = Campaign  # the record the URL's pk names

    @extend_schema(
        tags=["campaigns"],
        parameters=[OpenApiParameter("status", str, required=False, description="Only members with this status.")],
        responses=s.MemberSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = _campaign_or_404(pk)
        members = selectors.member_list(campaign_id=campaign.pk)
        wanted = request.query_params.get("status")
        if wanted:
            members = members.filter(status=wanted)
        return Response(s.MemberSerializer(members[:1000], many=True).data)

    @extend_schema(tags=["campaigns"], request=s.MemberAddSerializer, responses={201: s.MemberSerializer})
    def post(self, request: Request, pk: int) -> Response:
        campaign = _campaign_or_404(pk)
        check_record_writable(campaign)
        body = s.MemberAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = campaign_services.campaign_member_add_entry(
            campaign=campaign,
            actor=request_user(request),
            lead=body.validated_data.get("lead"),
            contact=body.validated_data.get("contact"),
            status=body.validated_data["status"],
        )
        member = selectors.member_list(campaign_id=campaign.pk).get(pk=member.pk)
        return Response(s.MemberSerializer(member).data, status=status.HTTP_201_CREATED)


class CampaignMemberDetailView(ScopedAPIView):
    """One member: change their status (with the version you read) or remove them."""

    plan_feature = "marketing"

    model = Campaign

    def _member(self, pk: int, member_id: int) -> CampaignMember:
        campaign = _campaign_or_404(pk)
        check_record_writable(campaign)
        return get_object_or_404(selectors.member_list(campaign_id=campaign.pk), pk=member_id)

    @extend_schema(tags=["campaigns"], request=s.MemberUpdateSerializer, responses=s.MemberSerializer)
    def patch(self, request: Request, pk: int, member_id: int) -> Response:
        member = self._member(pk, member_id)
        body = s.MemberUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = campaign_services.campaign_member_update(
            member=member,
            status=body.validated_data["status"],
            expected_version=body.validated_data["version"],
            actor=request_user(request),
        )
        member = selectors.member_list(campaign_id=pk).get(pk=member.pk)
        return Response(s.MemberSerializer(member).data)

    @extend_schema(tags=["campaigns"], responses={204: None})
    def delete(self, request: Request, pk: int, member_id: int) -> Response:
        member = self._member(pk, member_id)
        campaign_services.campaign_member_remove(member=member, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- email templates ----------------------------------------------------------------------------


class EmailTemplateViewSet(RecordViewSet):
    """Marketing email templates with merge tags, versions and a preview with a real record."""

    plan_feature = "marketing"

    model = EmailTemplate
    serializer_class = s.EmailTemplateSerializer
    search_fields = ["name", "subject"]
    ordering_fields = ["name", "subject", "updated_at", "created_at", "owner"]
    ordering = ["name"]

    def create_record(self, data: dict[str, Any]) -> Record:
        return template_services.email_template_create(data=data, actor=request_user(self.request))

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        assert isinstance(record, EmailTemplate)
        return template_services.email_template_update(
            template=record, data=data, expected_version=version, actor=request_user(self.request)
        )

    @extend_schema(tags=["email-templates"], responses=s.EmailTemplateVersionSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        template = self.get_object()
        rows = EmailTemplateVersion.objects.filter(template=template).order_by("-version")
        return Response(s.EmailTemplateVersionSerializer(rows, many=True).data)

    @extend_schema(
        tags=["email-templates"], request=s.EmailTemplateRevertSerializer, responses=s.EmailTemplateSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def revert(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        template = self.get_object()
        body = s.EmailTemplateRevertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        template = template_services.email_template_revert(
            template=template,
            to_version=body.validated_data["to_version"],
            expected_version=body.validated_data["version"],
            actor=request_user(request),
        )
        return Response(self.read_back(template))

    @extend_schema(
        tags=["email-templates"],
        request=s.PreviewSerializer,
        responses=s.RenderedSerializer,
        description="Render the template (or the unsaved content given) with a real contact's or lead's data.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def preview(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        template = self.get_object()
        body = s.PreviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = request_user(request)
        context = template_services.merge_context(
            organization=user.organization,
            contact=data.get("contact"),
            lead=data.get("lead"),
            extra={"unsubscribe_url": request.build_absolute_uri("/u/preview")},
        )
        values = {name: data.get(name, getattr(template, name)) for name in template_services.CONTENT}
        rendered = template_services.email_draft_render(values=values, context=context)
        return Response(s.RenderedSerializer(rendered).data)


record_viewset_schema(EmailTemplateViewSet, "email-templates")


# --- segments -----------------------------------------------------------------------------------


class SegmentViewSet(RecordViewSet):
    """Saved dynamic filters over contacts and leads, with a live count and preview."""

    plan_feature = "marketing"

    model = Segment
    serializer_class = s.SegmentSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "target", "updated_at", "created_at", "owner"]
    ordering = ["name"]

    def create_record(self, data: dict[str, Any]) -> Record:
        return segment_services.segment_create(data=data, actor=request_user(self.request))

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        assert isinstance(record, Segment)
        return segment_services.segment_update(
            segment=record, data=data, expected_version=version, actor=request_user(self.request)
        )

    @extend_schema(tags=["segments"], responses=s.SegmentResultSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def preview(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        segment = self.get_object()
        result = selectors.segment_evaluate(target=segment.target, definition=segment.definition)
        return Response(s.SegmentResultSerializer(result).data)

    @extend_schema(tags=["segments"], responses=s.SegmentFieldsSerializer)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def fields(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The fields a condition may test, the objects that have each, and the operators per kind."""
        return Response(s.SegmentFieldsSerializer(selectors.segment_condition_fields()).data)

    @extend_schema(
        tags=["segments"],
        request=s.SegmentEvaluateSerializer,
        responses=s.SegmentResultSerializer,
        description="The live count and first rows of a definition that is not saved (the builder).",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def evaluate(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.SegmentEvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = selectors.segment_evaluate(
            target=body.validated_data["target"], definition=body.validated_data["definition"]
        )
        return Response(s.SegmentResultSerializer(result).data)


record_viewset_schema(SegmentViewSet, "segments")


# --- email sends --------------------------------------------------------------------------------


class CanSend(BasePermission):
    """Starting, pausing, resuming and cancelling a send, and test sends: managers and administrators."""

    message = _("Only managers and administrators send marketing email.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role in (Role.OWNER, Role.ADMIN, Role.MANAGER))


class EmailCampaignFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=EmailCampaign.Status.choices)
    campaign_id = django_filters.NumberFilter()

    class Meta:
        model = EmailCampaign
        fields: list[str] = []


class EmailCampaignViewSet(RecordViewSet):
    """Email sends: a template to a segment or a campaign's members, with tracking and statistics."""

    plan_feature = "marketing"

    model = EmailCampaign
    serializer_class = s.EmailCampaignSerializer
    filterset_class = EmailCampaignFilter
    list_select_related = ("owner", "template", "segment", "campaign")
    search_fields = ["name"]
    ordering_fields = ["name", "status", "scheduled_at", "started_at", "created_at", "updated_at", "owner"]
    fast_rows = False

    def create_record(self, data: dict[str, Any]) -> Record:
        return send_services.email_campaign_create(data=data, actor=request_user(self.request))

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        assert isinstance(record, EmailCampaign)
        return send_services.email_campaign_update(
            email_campaign=record, data=data, expected_version=version, actor=request_user(self.request)
        )

    def _act(self, service: Any) -> Response:
        record = self.get_object()
        return Response(self.read_back(service(email_campaign=record, actor=request_user(self.request))))

    @extend_schema(tags=["email-campaigns"], request=s.SendSerializer, responses=s.EmailCampaignSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None, permission_classes=[CanSend])
    def send(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        body = s.SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sent = send_services.email_campaign_send(
            email_campaign=record, actor=request_user(request), scheduled_at=body.validated_data.get("scheduled_at")
        )
        return Response(self.read_back(sent))

    @extend_schema(tags=["email-campaigns"], request=None, responses=s.EmailCampaignSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None, permission_classes=[CanSend])
    def pause(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._act(send_services.email_campaign_pause)

    @extend_schema(tags=["email-campaigns"], request=None, responses=s.EmailCampaignSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None, permission_classes=[CanSend])
    def resume(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._act(send_services.email_campaign_resume)

    @extend_schema(tags=["email-campaigns"], request=None, responses=s.EmailCampaignSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None, permission_classes=[CanSend])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._act(send_services.email_campaign_cancel)

    @extend_schema(tags=["email-campaigns"], request=s.TestSendSerializer, responses={202: None})
    @action(
        detail=True, methods=["post"], url_path="test-send", filter_backends=[], pagination_class=None,
        permission_classes=[CanSend],
    )  # fmt: skip
    def test_send(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        body = s.TestSendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        send_services.email_campaign_test_send(
            email_campaign=record, to=body.validated_data["to"], actor=request_user(request)
        )
        return Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(tags=["email-campaigns"], responses=s.EmailStatsSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def stats(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        return Response(s.EmailStatsSerializer(selectors.email_campaign_stats(email_campaign_ids=[record.pk])).data)

    @extend_schema(
        tags=["email-campaigns"],
        parameters=[s.RecipientQuerySerializer],
        responses=s.RecipientPageSerializer,
        description="The recipients of a send in the order they were fixed, a page at a time.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def recipients(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        query = s.RecipientQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page, size = query.validated_data["page"], query.validated_data["page_size"]
        rows = EmailRecipient.objects.filter(email_campaign=record).order_by("id")
        if query.validated_data.get("status"):
            rows = rows.filter(status=query.validated_data["status"])
        results = rows[(page - 1) * size : page * size]
        body = {"count": rows.count(), "page": page, "page_size": size, "results": results}
        return Response(s.RecipientPageSerializer(body).data)


record_viewset_schema(EmailCampaignViewSet, "email-campaigns")


class CampaignEmailStatsView(ScopedAPIView):
    """The email statistics of every send of a campaign together."""

    plan_feature = "marketing"

    model = Campaign

    @extend_schema(tags=["campaigns"], responses=s.EmailStatsSerializer)
    def get(self, request: Request, pk: int) -> Response:
        campaign = _campaign_or_404(pk)
        ids = list(EmailCampaign.objects.filter(campaign=campaign).values_list("pk", flat=True))
        return Response(s.EmailStatsSerializer(selectors.email_campaign_stats(email_campaign_ids=ids)).data)
