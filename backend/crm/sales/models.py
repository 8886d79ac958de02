"""Leads, products, opportunities with line items and contact roles, and per-organization stages
(seed 003 §1.3.4, §1.3.5, §1.3.8, §1.6.1 ERD)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from crm.records.models import OrgOwned, Record


class Lead(Record):
    object_name = "lead"
    stage_field = "status"
    name_fields = ("first_name", "last_name")

    class Status(models.TextChoices):
        NEW = "New"
        CONTACTED = "Contacted"
        QUALIFIED = "Qualified"
        UNQUALIFIED = "Unqualified"
        CONVERTED = "Converted"

    class Source(models.TextChoices):
        WEB = "Web"
        REFERRAL = "Referral"
        PHONE_INQUIRY = "Phone Inquiry"
        PARTNER = "Partner"
        TRADE_SHOW = "Trade Show"
        SOCIAL_MEDIA = "Social Media"
        ADVERTISEMENT = "Advertisement"
        OTHER = "Other"

    class Industry(models.TextChoices):
        RETAIL = "Retail"
        HOSPITALITY = "Hospitality"
        HEALTHCARE = "Healthcare"
        FINANCE = "Finance"
        TECHNOLOGY = "Technology"
        EDUCATION = "Education"
        MANUFACTURING = "Manufacturing"
        REAL_ESTATE = "Real Estate"
        NON_PROFIT = "Non-Profit"
        OTHER = "Other"

    first_name = models.CharField(max_length=100, blank=True, default="")
    last_name = models.CharField(max_length=100)
    company = models.CharField(max_length=255)
    title = models.CharField(max_length=128, blank=True, default="")
    email = models.EmailField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    website = models.CharField(max_length=255, blank=True, default="")
    address = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    lead_source = models.CharField(max_length=30, choices=Source.choices, blank=True, default="")
    industry = models.CharField(max_length=30, choices=Industry.choices, blank=True, default="")
    converted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Salesforce's Primary Campaign Source: the campaign that brought the lead in.
    campaign = models.ForeignKey(
        "marketing.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="primary campaign source",
    )
    converted_account = models.ForeignKey(
        "accounts.Account", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    converted_contact = models.ForeignKey(
        "accounts.Contact", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    converted_opportunity = models.ForeignKey(
        "sales.Opportunity", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organization", "status", "is_active", "-created_at"], name="lead_org_status"),
            models.Index(fields=["organization", "owner", "status"], name="lead_org_owner"),
            models.Index(fields=["organization", "last_name", "first_name", "id"], name="lead_org_name"),
            models.Index(fields=["organization", "-created_at"], name="lead_org_created"),
            # The home page's funnel: the leads of the last 12 months by status, from the index
            # alone, and the converted ones with their opportunities.
            models.Index(fields=["organization", "created_at", "status"], name="lead_org_created_status"),
            models.Index(
                fields=["organization", "created_at", "converted_opportunity"],
                condition=models.Q(converted_opportunity__isnull=False),
                name="lead_org_converted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Product(Record):
    object_name = "product"

    name = models.CharField(max_length=255)
    product_code = models.CharField(max_length=64, blank=True, default="")
    description = models.TextField(blank=True, default="")
    standard_list_price = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    is_retainer_product = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["organization", "is_active", "name", "id"], name="product_org_name")]
        constraints = [
            models.CheckConstraint(condition=Q(standard_list_price__gte=0), name="product_price_not_negative")
        ]

    def __str__(self) -> str:
        return self.name


class OpportunityStage(OrgOwned):
    """One organization's sales stages, in order, each with its default probability."""

    name = models.CharField(max_length=40)
    probability = models.PositiveSmallIntegerField(validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField(default=0)
    is_closed = models.BooleanField(default=False)
    is_won = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="stage_unique_name_per_org"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.probability}%)"


DEFAULT_STAGES = [
    # name, probability, is_closed, is_won
    ("Qualifying", 10, False, False),
    ("Proposal", 50, False, False),
    ("Negotiation", 75, False, False),
    ("Closed Won", 100, True, True),
    ("Closed Lost", 0, True, False),
]


class Opportunity(Record):
    object_name = "opportunity"
    stage_field = "stage"
    name_fields = ("name",)

    name = models.CharField(max_length=255)
    stage = models.CharField(max_length=40)
    close_date = models.DateField(null=True, blank=True)
    probability = models.PositiveSmallIntegerField(default=0, editable=False)
    # The sum of the lines' quantity x sale price, stored so that lists, sorting and the
    # pipeline's totals read one column. Only the line item services write it, in the
    # transaction that changes a line, under the opportunity's row lock.
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"), editable=False)
    lead_source = models.CharField(max_length=30, choices=Lead.Source.choices, blank=True, default="")
    next_step = models.TextField(blank=True, default="")
    description = models.TextField(blank=True, default="")
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="opportunities")
    # Salesforce's Primary Campaign Source: the campaign credited with the deal in campaign ROI.
    campaign = models.ForeignKey(
        "marketing.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="primary campaign source",
    )
    # Set once, under the opportunity's row lock, when an order or a contract bills the deal: from
    # then on its stage, products, prices, account and active flag stay as they were billed.
    billed_at = models.DateTimeField(null=True, blank=True, editable=False)
    billed_by = models.CharField(max_length=20, blank=True, default="", editable=False)

    class Meta:
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["organization", "is_active", "stage", "-close_date", "id"], name="opp_org_stage"),
            # The pipeline's cards: each column's first deals by close date.
            models.Index(fields=["organization", "is_active", "stage", "close_date", "id"], name="opp_org_stage_close"),
            # The pipeline's count and sum of every column, read from the index alone (an
            # index-only scan a third of the table's size). The amount is a key column rather
            # than INCLUDE so that SQLite's index covers the sums as well.
            models.Index(fields=["organization", "is_active", "stage", "amount"], name="opp_org_stage_amount"),
            models.Index(fields=["organization", "account", "is_active"], name="opp_org_account"),
            models.Index(fields=["organization", "-created_at"], name="opp_org_created"),
            # A user's deals; with the stage, close date and amount, also "my pipeline"'s totals and the
            # home page's won revenue by month of a team (under a Private default) from the index alone.
            models.Index(
                fields=["organization", "owner", "is_active", "stage", "close_date", "amount"],
                include=["account"],  # and the won revenue per account (PostgreSQL)
                name="opp_org_owner_stage",
            ),
            models.Index(fields=["organization", "close_date"], name="opp_org_close"),
        ]

    def __str__(self) -> str:
        return self.name


class OpportunityLineItem(OrgOwned):
    """A product on a deal, with its own version: an edit or removal names the version it read.

    A line change writes the opportunity's calculated amount, never its version, so a user who
    has the opportunity open can still save the fields they edit there."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="line_items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    sale_price = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    description = models.CharField(max_length=255, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["opportunity", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="oli_quantity_positive"),
            models.CheckConstraint(condition=Q(sale_price__gte=0), name="oli_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id} @ {self.sale_price}"


class OpportunityContactRole(OrgOwned):
    class Role(models.TextChoices):
        DECISION_MAKER = "Decision Maker"
        ECONOMIC_BUYER = "Economic Buyer"
        TECHNICAL_BUYER = "Technical Buyer"
        EVALUATOR = "Evaluator"
        INFLUENCER = "Influencer"
        EXECUTIVE_SPONSOR = "Executive Sponsor"
        BUSINESS_USER = "Business User"
        OTHER = "Other"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="contact_roles")
    contact = models.ForeignKey("accounts.Contact", on_delete=models.PROTECT, related_name="opportunity_roles")
    role = models.CharField(max_length=30, choices=Role.choices)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "contact", "role"], name="ocr_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} as {self.role}"
