from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.accounts.models import Contact
from crm.records.api import RecordSerializer, ScopedRelatedField
from crm.records.registry import ObjectFields, declare
from crm.sales.models import Lead

from ..models import (
    Campaign,
    CampaignMember,
    EmailCampaign,
    EmailRecipient,
    EmailTemplate,
    EmailTemplateVersion,
    Segment,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}

# The campaign's fields, declared once: the serializer's fields, the /meta/objects field definitions
# and the web form (objects.py) are derived from these.
CAMPAIGN_FIELDS = ObjectFields(
    Campaign,
    declare("name", form=True, label="Campaign Name"),
    declare("type", form=True),
    declare("status", form=True),
    declare("start_date", form=True, label="Start Date"),
    declare("end_date", form=True, label="End Date"),
    declare("budgeted_cost", form=True, label="Budgeted Cost"),
    declare("actual_cost", form=True, label="Actual Cost"),
    declare("expected_revenue", form=True, label="Expected Revenue"),
    declare("parent_id", form=True, label="Parent Campaign"),
    declare("description", form=True),
    declare("owner_id", label="Campaign Owner", lookup="user"),
    declare("member_count", label="Members", type="integer", readonly=True),
)


class CampaignSerializer(RecordSerializer):
    budgeted_cost = serializers.DecimalField(**MONEY, required=False)
    actual_cost = serializers.DecimalField(**MONEY, required=False)
    expected_revenue = serializers.DecimalField(**MONEY, required=False)
    parent_id = ScopedRelatedField(Campaign, source="parent", required=False, allow_null=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None, allow_null=True)
    member_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS.serializer_fields(RecordSerializer.record_fields)


class MemberSerializer(serializers.ModelSerializer[CampaignMember]):
    """One member of a campaign: a lead or a contact, with their member status."""

    lead_id = serializers.IntegerField(read_only=True, allow_null=True)
    contact_id = serializers.IntegerField(read_only=True, allow_null=True)
    kind = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    class Meta:
        model = CampaignMember
        fields = [
            "id",
            "campaign_id",
            "kind",
            "lead_id",
            "contact_id",
            "name",
            "email",
            "status",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _person(self, obj: CampaignMember) -> Any:
        return obj.lead if obj.lead_id else obj.contact

    def get_kind(self, obj: CampaignMember) -> str:
        return "lead" if obj.lead_id else "contact"

    def get_name(self, obj: CampaignMember) -> str:
        return str(self._person(obj))

    def get_email(self, obj: CampaignMember) -> str:
        return self._person(obj).email


class MemberAddSerializer(serializers.Serializer[Any]):
    contact_id = ScopedRelatedField(Contact, source="contact", required=False, allow_null=True)
    lead_id = ScopedRelatedField(Lead, source="lead", required=False, allow_null=True)
    status = serializers.ChoiceField(choices=CampaignMember.Status.choices, default=CampaignMember.Status.PLANNED)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("contact") is None) == (attrs.get("lead") is None):
            raise serializers.ValidationError({"contact_id": [_("Give a contact_id or a lead_id, not both.")]})
        return attrs


class MemberUpdateSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=CampaignMember.Status.choices)
    version = serializers.IntegerField(min_value=1, help_text="The member's version you read; 409 when stale.")


class FiguresSerializer(serializers.Serializer[Any]):
    members = serializers.IntegerField()
    members_by_status = serializers.DictField(child=serializers.IntegerField())
    budgeted_cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    actual_cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    expected_revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
    influenced_opportunities = serializers.IntegerField()
    influenced_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    won_opportunities = serializers.IntegerField()
    won_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    roi = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)


class CampaignChildSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()


class CampaignRoiSerializer(serializers.Serializer[Any]):
    campaign = FiguresSerializer()
    hierarchy = FiguresSerializer()
    children = CampaignChildSerializer(many=True)


# --- email templates ----------------------------------------------------------------------------

EMAIL_TEMPLATE_FIELDS = ObjectFields(
    EmailTemplate,
    declare("name", form=True, label="Template Name"),
    declare("subject", form=True),
    declare("body_format", form=True, label="Body Format"),
    declare("body", form=True),
    declare("text_body", form=True, label="Plain-Text Body"),
    declare("owner_id", label="Owner", lookup="user"),
    declare("updated_at", label="Last Modified", readonly=True),
)


class EmailTemplateSerializer(RecordSerializer):
    body = serializers.CharField(max_length=200_000, trim_whitespace=False)
    text_body = serializers.CharField(max_length=200_000, required=False, allow_blank=True, trim_whitespace=False)

    class Meta:
        model = EmailTemplate
        fields = EMAIL_TEMPLATE_FIELDS.serializer_fields(RecordSerializer.record_fields)


class EmailTemplateVersionSerializer(serializers.ModelSerializer[EmailTemplateVersion]):
    created_by_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = EmailTemplateVersion
        fields = ["id", "version", "subject", "body", "body_format", "text_body", "created_at", "created_by_id"]


class EmailTemplateRevertSerializer(serializers.Serializer[Any]):
    to_version = serializers.IntegerField(min_value=1)
    version = serializers.IntegerField(min_value=1, help_text="The template's version you read; 409 when stale.")


class PreviewSerializer(serializers.Serializer[Any]):
    """Whose data to merge (a real contact or lead), and optionally unsaved content to render."""

    contact_id = ScopedRelatedField(Contact, source="contact", required=False, allow_null=True)
    lead_id = ScopedRelatedField(Lead, source="lead", required=False, allow_null=True)
    subject = serializers.CharField(max_length=255, required=False)
    body = serializers.CharField(max_length=200_000, required=False, trim_whitespace=False)
    body_format = serializers.ChoiceField(choices=EmailTemplate.Format.choices, required=False)
    text_body = serializers.CharField(max_length=200_000, required=False, allow_blank=True, trim_whitespace=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("contact") is not None and attrs.get("lead") is not None:
            raise serializers.ValidationError({"contact_id": [_("Give a contact_id or a lead_id, not both.")]})
        return attrs


class RenderedSerializer(serializers.Serializer[Any]):
    subject = serializers.CharField()
    html = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


# --- segments -----------------------------------------------------------------------------------

SEGMENT_FIELDS = ObjectFields(
    Segment,
    declare("name", form=True, label="Segment Name"),
    declare("target", form=True, label="Who"),
    declare("definition", meta=False),
    declare("description", form=True),
    declare("owner_id", label="Owner", lookup="user"),
    declare("updated_at", label="Last Modified", readonly=True),
)


class SegmentSerializer(RecordSerializer):
    definition = serializers.JSONField(
        required=False,
        help_text='{"match": "all"|"any", "conditions": [{"field", "op", "value"} | {"type": "campaign", ...} | '
        '{"type": "last_activity", ...} | a nested group]}',
    )

    class Meta:
        model = Segment
        fields = SEGMENT_FIELDS.serializer_fields(RecordSerializer.record_fields)


class SegmentEvaluateSerializer(serializers.Serializer[Any]):
    target = serializers.ChoiceField(choices=Segment.Target.choices, default=Segment.Target.CONTACTS)
    definition = serializers.JSONField()


class SegmentRowSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)


class SegmentResultSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    contacts = serializers.IntegerField()
    leads = serializers.IntegerField()
    sample = SegmentRowSerializer(many=True)


class SegmentFieldSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "number", "date"])
    targets = serializers.ListField(child=serializers.ChoiceField(choices=["contacts", "leads"]))


class SegmentFieldsSerializer(serializers.Serializer[Any]):
    fields = SegmentFieldSerializer(many=True)
    operators = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    activity_operators = serializers.ListField(child=serializers.CharField())
    member_statuses = serializers.ListField(child=serializers.CharField())
    max_conditions = serializers.IntegerField()
    max_depth = serializers.IntegerField()


# --- email sends --------------------------------------------------------------------------------

EMAIL_CAMPAIGN_FIELDS = ObjectFields(
    EmailCampaign,
    declare("name", form=True, label="Send Name"),
    declare("template_id", form=True, label="Email Template"),
    declare("segment_id", form=True, label="Segment"),
    declare("campaign_id", form=True, label="Campaign"),
    declare("from_email", form=True, label="From"),
    declare("scheduled_at", form=True, label="Send At"),
    declare("window_start", form=True, label="Window Start", type="text"),
    declare("window_end", form=True, label="Window End", type="text"),
    declare("window_days", meta=False),
    declare("status", label="Status", readonly=True),
    declare("started_at", label="Started", readonly=True),
    declare("completed_at", label="Completed", readonly=True),
    declare("owner_id", label="Owner", lookup="user"),
)


class EmailCampaignSerializer(RecordSerializer):
    template_id = ScopedRelatedField(EmailTemplate, source="template")
    template_name = serializers.CharField(source="template.name", read_only=True)
    segment_id = ScopedRelatedField(Segment, source="segment", required=False, allow_null=True)
    segment_name = serializers.CharField(source="segment.name", read_only=True, default=None, allow_null=True)
    campaign_id = ScopedRelatedField(Campaign, source="campaign", required=False, allow_null=True)
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, default=None, allow_null=True)
    window_days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, max_length=7
    )
    status = serializers.CharField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = EmailCampaign
        fields = EMAIL_CAMPAIGN_FIELDS.serializer_fields(RecordSerializer.record_fields)


class SendSerializer(serializers.Serializer[Any]):
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Empty: now.")


class TestSendSerializer(serializers.Serializer[Any]):
    to = serializers.EmailField()


class RecipientSerializer(serializers.ModelSerializer[EmailRecipient]):
    contact_id = serializers.IntegerField(read_only=True, allow_null=True)
    lead_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = EmailRecipient
        fields = ["id", "email", "contact_id", "lead_id", "status", "error", "sent_at", "opened_at",
                  "machine_opened_at", "clicked_at", "bounced_at", "unsubscribed_at"]  # fmt: skip


class RecipientQuerySerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=EmailRecipient.Status.choices, required=False, allow_blank=True)
    page = serializers.IntegerField(min_value=1, max_value=100_000, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=200, default=50)


class RecipientPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = RecipientSerializer(many=True)


class LinkClicksSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
    clicks = serializers.IntegerField()
    people = serializers.IntegerField()


class EmailStatsSerializer(serializers.Serializer[Any]):
    """The figures of one send, or of every send of a campaign together."""

    recipients = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    delivered = serializers.IntegerField()
    unique_opens = serializers.IntegerField(help_text="People who opened (machine opens not counted).")
    machine_opens = serializers.IntegerField(help_text="Recipients opened only by a privacy proxy or scanner.")
    unique_clicks = serializers.IntegerField()
    machine_clicks = serializers.IntegerField()
    unsubscribes = serializers.IntegerField()
    bounces = serializers.IntegerField()
    unknown = serializers.IntegerField()
    links = LinkClicksSerializer(many=True)
