"""UI metadata for Campaigns, and the campaign's members embedded in its detail answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crm.records.registry import ObjectMeta, register
from crm.records.related import register_embed
from crm.records.search import SearchProvider, register_search

from .api.serializers import (
    CAMPAIGN_FIELDS,
    EMAIL_CAMPAIGN_FIELDS,
    EMAIL_TEMPLATE_FIELDS,
    SEGMENT_FIELDS,
    CampaignRoiSerializer,
    MemberSerializer,
)
from .models import Campaign
from .selectors import campaign_roi, member_list

if TYPE_CHECKING:
    from rest_framework.request import Request

    from crm.records.models import Record

MEMBERS_EMBEDDED = 200  # the record page shows the newest; /campaigns/{id}/members has them all

register(
    ObjectMeta(
        name="campaign",
        label="Campaign",
        label_plural="Campaigns",
        api_path="campaigns",
        icon="campaign",
        title_field="name",
        fields=CAMPAIGN_FIELDS.meta,
        list_columns=("name", "type", "status", "start_date", "end_date", "budgeted_cost", "actual_cost", "owner_id"),
        highlight_fields=("type", "status", "start_date", "end_date", "member_count", "owner_id"),
        form_fields=CAMPAIGN_FIELDS.form,
        filters=("owner", "status", "type", "parent_id"),
        path_field="status",
        default_ordering="-created_at",
        extra={"nav_group": "marketing"},
    )
)

register(
    ObjectMeta(
        name="email_template",
        label="Email Template",
        label_plural="Email Templates",
        api_path="email-templates",
        icon="email",
        title_field="name",
        fields=EMAIL_TEMPLATE_FIELDS.meta,
        list_columns=("name", "subject", "body_format", "owner_id", "updated_at"),
        highlight_fields=("subject", "body_format", "owner_id", "updated_at"),
        form_fields=EMAIL_TEMPLATE_FIELDS.form,
        filters=("owner",),
        default_ordering="name",
        extra={"nav_group": "marketing"},
    )
)

register(
    ObjectMeta(
        name="segment",
        label="Segment",
        label_plural="Segments",
        api_path="segments",
        icon="segments",
        title_field="name",
        fields=SEGMENT_FIELDS.meta,
        list_columns=("name", "target", "owner_id", "updated_at"),
        highlight_fields=("target", "owner_id", "updated_at"),
        form_fields=SEGMENT_FIELDS.form,
        filters=("owner",),
        default_ordering="name",
        extra={"nav_group": "marketing"},
    )
)

register(
    ObjectMeta(
        name="email_campaign",
        label="Email Send",
        label_plural="Email Sends",
        api_path="email-campaigns",
        icon="email",
        title_field="name",
        fields=EMAIL_CAMPAIGN_FIELDS.meta,
        list_columns=("name", "status", "template_id", "segment_id", "campaign_id", "scheduled_at", "started_at"),
        highlight_fields=("status", "template_id", "scheduled_at", "started_at", "completed_at"),
        form_fields=EMAIL_CAMPAIGN_FIELDS.form,
        filters=("owner", "status", "campaign_id"),
        path_field=None,
        extra={"nav_group": "marketing"},
    )
)


def _members(record: Record, request: Request) -> Any:
    return MemberSerializer(member_list(campaign_id=record.pk)[:MEMBERS_EMBEDDED], many=True).data


def _roi(record: Record, request: Request) -> Any:
    return CampaignRoiSerializer(campaign_roi(campaign_id=record.pk)).data


register_embed(parent="campaign", key="members", loader=_members, serializer=MemberSerializer)
register_embed(parent="campaign", key="roi", loader=_roi, serializer=CampaignRoiSerializer, many=False)

register_search(
    SearchProvider(
        object="campaign",
        model=Campaign,
        fields=("name",),
        title=lambda row: row.name,
        subtitle=lambda row: f"{row.type} · {row.status}",
    )
)
