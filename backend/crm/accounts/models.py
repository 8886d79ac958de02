"""Accounts (client companies) and Contacts (their people), seed 003 §1.3.1 and §1.3.3."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Upper

from crm.records.models import Record


class Account(Record):
    object_name = "account"
    name_fields = ("name",)

    class Type(models.TextChoices):
        PROSPECT = "Prospect"
        CUSTOMER = "Customer"
        PARTNER = "Partner"
        RESELLER = "Reseller"
        COMPETITOR = "Competitor"
        OTHER = "Other"

    name = models.CharField("account name", max_length=255)
    phone = models.CharField(max_length=40, blank=True, default="")
    website = models.CharField(max_length=255, blank=True, default="")
    type = models.CharField(max_length=20, choices=Type.choices, blank=True, default="")
    description = models.TextField(blank=True, default="")
    billing_address = models.TextField(blank=True, default="")
    shipping_address = models.TextField(blank=True, default="")
    parent_account = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="child_accounts"
    )

    class Meta:
        indexes = [
            models.Index(fields=["organization", "is_active", "name", "id"], name="account_org_name"),
            models.Index(fields=["organization", "owner", "is_active"], name="account_org_owner"),
            models.Index(fields=["organization", "-created_at"], name="account_org_created"),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(Record):
    object_name = "contact"
    name_fields = ("first_name", "last_name")

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    title = models.CharField(max_length=128, blank=True, default="")
    email = models.EmailField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=40, blank=True, default="")
    description = models.TextField(blank=True, default="")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="contacts")
    reports_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="direct_reports"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["organization", "is_active", "last_name", "first_name", "id"], name="contact_org_name"
            ),
            models.Index(fields=["organization", "account", "is_active"], name="contact_org_account"),
            models.Index(fields=["organization", "owner", "is_active"], name="contact_org_owner"),
            models.Index(fields=["organization", "-created_at"], name="contact_org_created"),
            models.Index(Upper("email"), "organization", name="contact_org_email"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
