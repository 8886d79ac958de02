"""Campaigns and their members (PRODUCT.md module 5).

A campaign is a record like any other (owner, version, audit, deactivation); its members are leads
and contacts with a member status. Email templates, segments and email sends live beside them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from crm.records.models import OrgOwned, Record

MONEY = {"max_digits": 14, "decimal_places": 2}


class Campaign(Record):
    object_name = "campaign"
    name_fields = ("name",)

    class Type(models.TextChoices):
        EMAIL = "Email"
        WEBINAR = "Webinar"
        CONFERENCE = "Conference"
        ADVERTISEMENT = "Advertisement"
        DIRECT_MAIL = "Direct Mail"
        SOCIAL = "Social Media"
        PARTNERS = "Partners"
        OTHER = "Other"

    class Status(models.TextChoices):
        PLANNED = "Planned"
        IN_PROGRESS = "In Progress"
        COMPLETED = "Completed"
        ABORTED = "Aborted"

    name = models.CharField(max_length=255)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.EMAIL)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField("start date", null=True, blank=True)
    end_date = models.DateField("end date", null=True, blank=True)
    budgeted_cost = models.DecimalField("budgeted cost", **MONEY, default=Decimal("0.00"))
    actual_cost = models.DecimalField("actual cost", **MONEY, default=Decimal("0.00"))
    expected_revenue = models.DecimalField("expected revenue", **MONEY, default=Decimal("0.00"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="parent campaign"
    )
    description = models.TextField(blank=True, default="")

    class Meta(Record.Meta):
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="campaign_org_created"),
            models.Index(fields=["organization", "status", "-created_at"], name="campaign_org_status"),
            models.Index(fields=["organization", "parent"], name="campaign_org_parent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="campaign_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budgeted_cost__gte=0) & Q(actual_cost__gte=0) & Q(expected_revenue__gte=0),
                name="campaign_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignMember(OrgOwned):
    """A lead or a contact in a campaign, with how far they have engaged."""

    class Status(models.TextChoices):
        PLANNED = "Planned"
        SENT = "Sent"
        OPENED = "Opened"
        CLICKED = "Clicked"
        RESPONDED = "Responded"
        BOUNCED = "Bounced"
        UNSUBSCRIBED = "Unsubscribed"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    lead = models.ForeignKey("sales.Lead", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    contact = models.ForeignKey("accounts.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "campaign", "status"], name="member_org_campaign")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lead__isnull=False) & Q(contact__isnull=True))
                | (Q(lead__isnull=True) & Q(contact__isnull=False)),
                name="member_lead_xor_contact",
            ),
            models.UniqueConstraint(
                fields=["campaign", "lead"], condition=Q(lead__isnull=False), name="member_unique_lead"
            ),
            models.UniqueConstraint(
                fields=["campaign", "contact"], condition=Q(contact__isnull=False), name="member_unique_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.lead_id or self.contact_id}"

    # The order of statuses: a member only moves forward automatically (Opened does not undo Clicked).
    RANK = {s: i for i, s in enumerate(["Planned", "Sent", "Opened", "Clicked", "Responded"])}


class EmailTemplate(Record):
    """A marketing email: subject, body (MJML or rich-text HTML) with merge tags, plain-text part.

    Every saved change keeps the previous content as an ``EmailTemplateVersion``.
    """

    object_name = "email_template"
    name_fields = ("name",)

    class Format(models.TextChoices):
        MJML = "mjml", "MJML"
        HTML = "html", "Rich text"

    name = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    body_format = models.CharField("body format", max_length=8, choices=Format.choices, default=Format.HTML)
    text_body = models.TextField(
        "plain-text body", blank=True, default="", help_text="Empty: derived from the HTML body."
    )

    class Meta(Record.Meta):
        indexes = [models.Index(fields=["organization", "-created_at"], name="emailtemplate_org_created")]

    def __str__(self) -> str:
        return self.name


class EmailTemplateVersion(OrgOwned):
    """The content of a template as it was at one version."""

    template = models.ForeignKey(EmailTemplate, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    body_format = models.CharField(max_length=8, choices=EmailTemplate.Format.choices)
    text_body = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta(OrgOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="emailtemplateversion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.version}"


class Segment(Record):
    """A saved dynamic filter over contacts and leads (see ``segments.py`` for the definition)."""

    object_name = "segment"
    name_fields = ("name",)

    class Target(models.TextChoices):
        CONTACTS = "contacts", "Contacts"
        LEADS = "leads", "Leads"
        BOTH = "both", "Contacts and leads"

    name = models.CharField(max_length=255)
    target = models.CharField(max_length=10, choices=Target.choices, default=Target.CONTACTS)
    definition = models.JSONField(default=dict)
    description = models.TextField(blank=True, default="")

    class Meta(Record.Meta):
        indexes = [models.Index(fields=["organization", "-created_at"], name="segment_org_created")]

    def __str__(self) -> str:
        return self.name
