from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crm.records.api import ScopedRelatedField
from crm.records.fields import WebAddressField
from crm.sales.models import Lead

from ..models import WebForm, WebhookDelivery, WebhookEndpoint
from ..services import web_forms, webhooks


class WebFormFieldSerializer(serializers.Serializer[Any]):
    field = serializers.ChoiceField(choices=web_forms.FORM_FIELDS)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)
    required = serializers.BooleanField(required=False, default=False)


class WebFormSerializer(serializers.ModelSerializer[WebForm]):
    fields = WebFormFieldSerializer(many=True, help_text="The lead fields the form asks for, in order.")
    lead_source = serializers.ChoiceField(choices=Lead.Source.choices, required=False, allow_blank=True)
    thank_you_url = WebAddressField(max_length=500)
    lead_owner_id = ScopedRelatedField(
        "identity.User", source="lead_owner", required=False, help_text="Owner of the leads; defaults to you."
    )
    lead_owner_name = serializers.CharField(source="lead_owner.name", read_only=True)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Required on update: the version you read."
    )
    public_url = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField()

    class Meta:
        model = WebForm
        fields = [
            "id",
            "name",
            "key",
            "lead_source",
            "fields",
            "thank_you_url",
            "lead_owner_id",
            "lead_owner_name",
            "is_active",
            "submission_count",
            "public_url",
            "snippet",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["key", "submission_count", "created_at", "updated_at"]

    def get_public_url(self, form: WebForm) -> str:
        return web_forms.form_action_url(form)

    def get_snippet(self, form: WebForm) -> str:
        return web_forms.web_form_snippet(form)


class WebFormSubmittedSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    lead_id = serializers.IntegerField()


class WebhookSerializer(serializers.ModelSerializer[WebhookEndpoint]):
    url = serializers.URLField(max_length=500)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=webhooks.EVENT_TYPES), allow_empty=False, max_length=20
    )
    object_names = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=30, help_text="Empty: every object."
    )
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Required on update: the version you read."
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "name",
            "url",
            "event_types",
            "object_names",
            "secret",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "secret",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]


class WebhookDeliverySerializer(serializers.ModelSerializer[WebhookDelivery]):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint_id",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "attempt_log",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields
