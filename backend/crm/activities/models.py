"""Activities: Tasks and Events in one table, linked to a business record (What) and a person (Who)
(seed 003 §1.3.7, ERD ``activities``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.records.models import Record


class Activity(Record):
    object_name = "activity"
    name_fields = ("subject",)

    class Type(models.TextChoices):
        TASK = "Task"
        EVENT = "Event"

    class Status(models.TextChoices):
        NOT_STARTED = "Not Started"
        IN_PROGRESS = "In Progress"
        COMPLETED = "Completed"
        WAITING = "Waiting on someone else"
        DEFERRED = "Deferred"

    class Priority(models.TextChoices):
        HIGH = "High"
        NORMAL = "Normal"
        LOW = "Low"

    class WhatType(models.TextChoices):
        ACCOUNT = "Account"
        OPPORTUNITY = "Opportunity"
        CASE = "Case"
        ORDER = "Order"
        CONTRACT = "Contract"
        INVOICE = "Invoice"

    class WhoType(models.TextChoices):
        CONTACT = "Contact"
        LEAD = "Lead"

    type = models.CharField(max_length=10, choices=Type.choices)
    subject = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=30, choices=Status.choices, blank=True, default="", help_text="Tasks only; defaults to Not Started."
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    due_date = models.DateField("due date", null=True, blank=True)
    start_time = models.DateTimeField("start", null=True, blank=True)
    end_time = models.DateTimeField("end", null=True, blank=True)
    is_all_day_event = models.BooleanField("all-day event", default=False)
    location = models.CharField(max_length=255, blank=True, default="")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what_type = models.CharField("related to type", max_length=20, choices=WhatType.choices, blank=True, default="")
    what_id = models.BigIntegerField("related to", null=True, blank=True)
    who_type = models.CharField("name type", max_length=20, choices=WhoType.choices, blank=True, default="")
    who_id = models.BigIntegerField("name", null=True, blank=True)
    completed_at = models.DateTimeField("completed at", null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["organization", "what_type", "what_id"], name="activity_org_what"),
            models.Index(fields=["organization", "who_type", "who_id"], name="activity_org_who"),
            models.Index(
                fields=["organization", "assigned_to", "type", "status", "due_date"], name="activity_org_todo"
            ),
            # A calendar range asks for events that end after its start and begin before its end:
            # the index range is on end_time (past events are skipped), start_time is checked in it.
            models.Index(
                fields=["organization", "assigned_to", "type", "end_time", "start_time"], name="activity_org_calendar"
            ),
            # The to-do list: a user's open tasks by due date.
            models.Index(
                fields=["organization", "assigned_to", "due_date", "start_time", "id"],
                condition=models.Q(type="Task", is_active=True) & ~models.Q(status="Completed"),
                name="activity_org_open_tasks",
            ),
            # The home page's overdue tasks: every user's open tasks by due date (the oldest five and
            # how many there are, from the index alone).
            models.Index(
                fields=["organization", "due_date", "id"],
                condition=models.Q(type="Task", is_active=True) & ~models.Q(status="Completed"),
                name="activity_org_open_by_due",
            ),
            # The home page's activities of the week, per assignee: events by their start, tasks
            # (no start) by their due date; the assignee and type are read from the index.
            models.Index(
                fields=["organization", "start_time"],
                include=["assigned_to", "type"],
                condition=models.Q(is_active=True, start_time__isnull=False),
                name="activity_org_starts",
            ),
            models.Index(
                fields=["organization", "due_date"],
                include=["assigned_to", "type"],
                condition=models.Q(is_active=True, start_time__isnull=True),
                name="activity_org_undated_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="activity_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
