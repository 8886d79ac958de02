"""An organization's subscription (its plan and Stripe's state of it) and pending sign-ups."""

from __future__ import annotations

from django.db import models

from crm.core.owned import OrgOwned


class Subscription(OrgOwned):
    """One per organization. Stripe's subscription events set plan and status; each event's time is
    kept so that an older event delivered late never undoes a newer one."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        TRIALING = "trialing"
        PAST_DUE = "past_due"
        CANCELED = "canceled"

    plan = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    stripe_customer_id = models.CharField(max_length=255, blank=True, default="")
    stripe_subscription_id = models.CharField(max_length=255, blank=True, default="")
    current_period_end = models.DateTimeField(null=True, blank=True)
    last_event_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["organization"], name="saas_subscription_one_per_org")]
        indexes = [models.Index(fields=["stripe_customer_id"], name="saas_subscription_customer")]

    def __str__(self) -> str:
        return f"{self.plan} ({self.status})"


class SignupRequest(models.Model):
    """A sign-up waiting for its email to be verified; no organization exists until then. Only the
    token's hash and the password's hash are kept."""

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=150)
    organization_name = models.CharField(max_length=200)
    password_hash = models.CharField(max_length=255)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    created_organization = models.ForeignKey(
        "identity.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["email", "-created_at"], name="saas_signup_email")]

    def __str__(self) -> str:
        return f"{self.email} ({self.organization_name})"
