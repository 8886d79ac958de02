from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.views import ScopedAPIView
from crm.identity.permissions import request_user
from crm.records.api import RecordFilterSet, RecordViewSet, check_record_writable, record_viewset_schema
from crm.records.models import Record

from .. import selectors
from ..models import Campaign, CampaignMember
from ..services import campaigns as campaign_services
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
