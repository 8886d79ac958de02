"""Cases: client support issues, kept apart from the sales pipeline (seed 003 §1.3.6)."""

from __future__ import annotations

from django.db import models

from crm.records.models import Record


class Case(Record):
    object_name = "case"
    stage_field = "status"
    name_fields = ("case_number", "subject")

    class Status(models.TextChoices):
        NEW = "New"
        IN_PROGRESS = "In Progress"
        ESCALATED = "Escalated"
        CLOSED = "Closed"

    class Priority(models.TextChoices):
        HIGH = "High"
        MEDIUM = "Medium"
        LOW = "Low"

    class Origin(models.TextChoices):
        PHONE = "Phone"
        EMAIL = "Email"
        WEB = "Web"
        CHAT = "Chat"
        OTHER = "Other"

    case_number = models.CharField("case number", max_length=20, editable=False)
    subject = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    origin = models.CharField(max_length=10, choices=Origin.choices, blank=True, default="")
    description = models.TextField(blank=True, default="")
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    contact = models.ForeignKey(
        "accounts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    closed_at = models.DateTimeField("closed at", null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "status", "priority", "-created_at"], name="case_org_status"),
            models.Index(fields=["organization", "account", "-created_at"], name="case_org_account"),
            models.Index(fields=["organization", "contact", "-created_at"], name="case_org_contact"),
            models.Index(fields=["organization", "owner", "status"], name="case_org_owner"),
            models.Index(fields=["organization", "-created_at"], name="case_org_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organization", "case_number"], name="case_number_unique_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
