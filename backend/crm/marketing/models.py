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


def _weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class EmailCampaign(Record):
    """One email send: a template to a segment or a campaign's members, now or at a time, inside
    a sending window, at the organization's rate. Recipients are fixed when the send starts."""

    object_name = "email_campaign"
    name_fields = ("name",)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        # Sent by a workflow step, one recipient at a time, for as long as the workflow runs.
        AUTOMATED = "automated", "Automated"

    name = models.CharField(max_length=255)
    template = models.ForeignKey(EmailTemplate, on_delete=models.PROTECT, related_name="+")
    segment = models.ForeignKey(Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="email_campaigns"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    from_email = models.EmailField("from", max_length=254, blank=True, default="")
    scheduled_at = models.DateTimeField("scheduled at", null=True, blank=True)
    window_start = models.TimeField("window start", null=True, blank=True, help_text="Empty: any time of day.")
    window_end = models.TimeField("window end", null=True, blank=True)
    window_days = models.JSONField("window days", default=_weekdays, blank=True, help_text="0 = Monday.")
    # The content as it was when the send started: later edits of the template do not change it.
    subject = models.CharField(max_length=255, blank=True, default="", editable=False)
    body = models.TextField(blank=True, default="", editable=False)
    body_format = models.CharField(max_length=8, blank=True, default="", editable=False)
    text_body = models.TextField(blank=True, default="", editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # An automated send's origin ("workflow:<id>:template:<id>"): the step that adds its recipients.
    automation_key = models.CharField(max_length=80, blank=True, default="", editable=False)

    class Meta(Record.Meta):
        indexes = [models.Index(fields=["organization", "status"], name="emailcampaign_org_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "automation_key"],
                condition=~Q(automation_key=""),
                name="emailcampaign_unique_automation_key",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmailRecipient(OrgOwned):
    """One person of a send and what happened to their message.

    A worker claims a queued row (queued -> sending) under a row lock, sends, then marks it sent.
    A row found still ``sending`` by a later run belonged to a worker that died: the message may or
    may not have left, so it becomes ``unknown`` and is never sent again (at most once).
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        FAILED = "failed"
        UNKNOWN = "unknown"
        BOUNCED = "bounced"
        OPENED = "opened"
        CLICKED = "clicked"
        UNSUBSCRIBED = "unsubscribed"
        SUPPRESSED = "suppressed"

    email_campaign = models.ForeignKey(EmailCampaign, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey("accounts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lead = models.ForeignKey("sales.Lead", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    token = models.CharField(max_length=32, unique=True)
    message_id = models.CharField(max_length=255, blank=True, default="")
    error = models.CharField(max_length=500, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    machine_opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["email_campaign", "status"], name="recipient_send_status")]
        constraints = [
            models.UniqueConstraint(fields=["email_campaign", "email"], name="recipient_unique_email_per_send")
        ]

    def __str__(self) -> str:
        return self.email


class TrackingEvent(OrgOwned):
    """An open, a click, an unsubscribe or a bounce of one recipient."""

    class Kind(models.TextChoices):
        OPEN = "open"
        CLICK = "click"
        UNSUBSCRIBE = "unsubscribe"
        BOUNCE = "bounce"

    recipient = models.ForeignKey(EmailRecipient, on_delete=models.CASCADE, related_name="events")
    email_campaign = models.ForeignKey(EmailCampaign, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    url = models.CharField(max_length=2000, blank=True, default="")
    machine = models.BooleanField(default=False, help_text="A privacy proxy or a link scanner, not a person.")
    user_agent = models.CharField(max_length=500, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["email_campaign", "kind"], name="tracking_send_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.recipient_id}"


class Suppression(OrgOwned):
    """An address no later send mails to (unsubscribed, bounced, complained)."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed"
        BOUNCED = "bounced"
        COMPLAINED = "complained"
        MANUAL = "manual"

    email = models.CharField(max_length=254)  # lower case
    reason = models.CharField(max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OrgOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["organization", "email"], name="suppression_unique_email")]

    def __str__(self) -> str:
        return self.email


class RateBucket(OrgOwned):
    """The organization's sending token bucket when no Redis is configured (see ``ratelimit.py``)."""

    tokens = models.FloatField(default=0)
    refreshed_at = models.FloatField(default=0)  # time.time()

    class Meta(OrgOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["organization"], name="ratebucket_one_per_org")]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.tokens:.1f}"
