"""Automation: web-to-lead forms, outbound webhooks, workflows and their runs.

Every table belongs to one organization (the organization-owned base and its fail-closed managers).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from crm.records.models import OrgOwned
from crm.sales.models import Lead


def new_form_key() -> str:
    return secrets.token_urlsafe(18)


class WebForm(OrgOwned):
    """A web-to-lead form: the lead fields it asks for, the source it stamps, where a browser goes after."""

    name = models.CharField(max_length=120)
    key = models.CharField(max_length=40, unique=True, default=new_form_key, editable=False)
    lead_source = models.CharField(max_length=30, choices=Lead.Source.choices, blank=True, default=Lead.Source.WEB)
    # [{"field": "email", "label": "Email", "required": true}, ...] in display order
    fields = models.JSONField(default=list)
    thank_you_url = models.URLField(max_length=500, blank=True, default="")
    # The campaign a submission responds to: the lead's primary campaign source, and a member (Responded).
    campaign = models.ForeignKey(
        "marketing.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The owner of the leads the form creates (and their creator in the audit trail).
    lead_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    submission_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "-created_at"], name="webform_org_created")]

    def __str__(self) -> str:
        return self.name


class WebFormSubmission(OrgOwned):
    """One accepted submission: the lead it made and a hash of the client address (no raw address kept)."""

    form = models.ForeignKey(WebForm, on_delete=models.CASCADE, related_name="submissions")
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="+")
    client_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "form", "-created_at"], name="webformsub_org_form")]

    def __str__(self) -> str:
        return f"{self.form_id} -> lead {self.lead_id}"


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(OrgOwned):
    """An outbound webhook: the URL that receives the chosen events, signed with the endpoint's secret."""

    name = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    # Event types: record.created, record.updated, stage.changed, payment.logged, form.submitted, ...
    event_types = models.JSONField(default=list)
    # Only these objects' events (empty: every object).
    object_names = models.JSONField(default=list, blank=True)
    secret = models.CharField(max_length=64, default=new_webhook_secret, editable=False)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, default="", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "is_active"], name="webhook_org_active")]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(OrgOwned):
    """One event sent (or to be sent) to one endpoint, with every attempt in its log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    # [{"at": ..., "status_code": 500, "error": "...", "duration_ms": 12}, ...]
    attempt_log = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwned.Meta):
        indexes = [
            models.Index(fields=["organization", "endpoint", "-created_at"], name="webhookdel_org_endpoint"),
            models.Index(fields=["status", "next_attempt_at"], name="webhookdel_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id} ({self.status})"


class Workflow(OrgOwned):
    """A trigger on one object, conditions on the record, and steps; each save is a new version."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, default="")
    object_name = models.CharField(max_length=40)
    # {"type": "record_created" | "record_updated" | "field_changed" | "stage_changed" | "form_submitted"
    #  | "date_relative" | "manual", ...the type's own keys}
    trigger = models.JSONField()
    # {"match": "all" | "any", "rules": [{"field", "op", "value"} | a nested group]}
    conditions = models.JSONField(default=dict, blank=True)
    # [{"type": "create_task" | "update_field" | "assign_round_robin" | "call_webhook" | "wait", ...}]
    steps = models.JSONField(default=list)
    # A workflow fires at most once per record within this many seconds (0: every time).
    debounce_seconds = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    current = models.ForeignKey(
        "WorkflowVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # Steps write as this user (the audit trail names them): the administrator who saved the workflow.
    run_as = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "is_active", "object_name"], name="workflow_org_active")]

    def __str__(self) -> str:
        return self.name


class WorkflowVersion(OrgOwned):
    """The definition of a workflow as saved: a run keeps the version it started with."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta(OrgOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["workflow", "number"], name="workflow_version_unique")]

    def __str__(self) -> str:
        return f"{self.workflow_id} v{self.number}"


class WorkflowFire(OrgOwned):
    """When a workflow last fired for a record (debounce), per key (a date trigger fires once per date)."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="+")
    record_id = models.BigIntegerField()
    key = models.CharField(max_length=40, blank=True, default="")
    fired_at = models.DateTimeField()

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["workflow", "record_id", "key"], name="workflow_fire_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workflow_id}/{self.record_id}/{self.key}"


class WorkflowRun(OrgOwned):
    """One run of one workflow version on one record, step by step."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        WAITING = "waiting", "Waiting"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        STOPPED = "stopped", "Stopped"

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="runs")
    workflow_version = models.ForeignKey(WorkflowVersion, on_delete=models.PROTECT, related_name="runs")
    object_name = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    # What started it: the event (type, changes, actor) or the manual start.
    trigger_event = models.JSONField(default=dict)
    depth = models.PositiveIntegerField(default=0)
    next_step = models.PositiveIntegerField(default=0)
    resume_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    replay_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwned.Meta):
        indexes = [
            models.Index(fields=["organization", "workflow", "-created_at"], name="wfrun_org_workflow"),
            models.Index(fields=["organization", "object_name", "record_id", "-created_at"], name="wfrun_org_record"),
            models.Index(fields=["status", "resume_at"], name="wfrun_due"),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.workflow_id} on {self.object_name} {self.record_id}"


class WorkflowStepRun(OrgOwned):
    """One step of a run, each attempt: its input, its result and its error."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        WAITING = "waiting", "Waiting"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(WorkflowRun, on_delete=models.CASCADE, related_name="step_runs")
    index = models.PositiveIntegerField()
    step_type = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices)
    input = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True, default="")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()

    class Meta(OrgOwned.Meta):
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.index} {self.step_type} {self.status}"


class RoundRobinCursor(OrgOwned):
    """Whose turn it is next in a workflow's round-robin assignment step."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="+")
    step_index = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["workflow", "step_index"], name="round_robin_cursor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workflow_id}#{self.step_index} at {self.position}"
