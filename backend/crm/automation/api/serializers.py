from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crm.records.api import ScopedRelatedField
from crm.records.fields import WebAddressField
from crm.sales.models import Lead

from ..models import WebForm, WebhookDelivery, WebhookEndpoint, Workflow, WorkflowRun, WorkflowStepRun, WorkflowVersion
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
    campaign_id = ScopedRelatedField(
        "marketing.Campaign",
        source="campaign",
        required=False,
        allow_null=True,
        help_text="A submission makes the lead a Responded member of this campaign (its primary campaign source).",
    )
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, allow_null=True, default=None)
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
            "campaign_id",
            "campaign_name",
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


class WorkflowSerializer(serializers.ModelSerializer[Workflow]):
    object_name = serializers.CharField(max_length=40)
    trigger = serializers.JSONField(help_text='{"type": "record_created" | "record_updated" | "field_changed" | ...}')
    conditions = serializers.JSONField(required=False, help_text='{"match": "all" | "any", "rules": [...]}')
    steps = serializers.JSONField(help_text='[{"type": "create_task" | "update_field" | ..., ...}]')
    debounce_seconds = serializers.IntegerField(min_value=0, max_value=30 * 24 * 3600, required=False)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Required on update: the version you read."
    )
    current_version = serializers.IntegerField(source="current.number", read_only=True, default=None)
    run_as_id = serializers.IntegerField(read_only=True)
    run_as_name = serializers.CharField(source="run_as.name", read_only=True)

    class Meta:
        model = Workflow
        fields = [
            "id",
            "name",
            "description",
            "object_name",
            "trigger",
            "conditions",
            "steps",
            "debounce_seconds",
            "is_active",
            "version",
            "current_version",
            "run_as_id",
            "run_as_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class WorkflowVersionSerializer(serializers.ModelSerializer[WorkflowVersion]):
    class Meta:
        model = WorkflowVersion
        fields = ["id", "number", "definition", "created_at", "created_by_id"]
        read_only_fields = fields


class WorkflowStepRunSerializer(serializers.ModelSerializer[WorkflowStepRun]):
    class Meta:
        model = WorkflowStepRun
        fields = ["id", "index", "step_type", "status", "input", "result", "error", "started_at", "finished_at"]
        read_only_fields = fields


class WorkflowRunSerializer(serializers.ModelSerializer[WorkflowRun]):
    workflow_name = serializers.CharField(source="workflow.name", read_only=True)
    workflow_version_number = serializers.IntegerField(source="workflow_version.number", read_only=True)
    step_count = serializers.SerializerMethodField()

    class Meta:
        model = WorkflowRun
        fields = [
            "id",
            "workflow_id",
            "workflow_name",
            "workflow_version_number",
            "object_name",
            "record_id",
            "status",
            "trigger_event",
            "depth",
            "next_step",
            "step_count",
            "resume_at",
            "error",
            "replay_of_id",
            "version",
            "created_at",
            "updated_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_step_count(self, run: WorkflowRun) -> int:
        return len(run.workflow_version.definition.get("steps", []))


class WorkflowRunDetailSerializer(WorkflowRunSerializer):
    steps = serializers.JSONField(source="workflow_version.definition.steps", read_only=True)
    step_runs = WorkflowStepRunSerializer(many=True, read_only=True)

    class Meta(WorkflowRunSerializer.Meta):
        fields = [*WorkflowRunSerializer.Meta.fields, "steps", "step_runs"]
        read_only_fields = fields


class ManualRunSerializer(serializers.Serializer[Any]):
    record_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class RunRetrySerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The run's version you read.")


class RunReplaySerializer(serializers.Serializer[Any]):
    from_step = serializers.IntegerField(min_value=0, max_value=1000, help_text="0 is the first step.")
