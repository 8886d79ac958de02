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
