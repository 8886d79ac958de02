"""Subscriptions: Stripe Checkout to subscribe to a plan, the customer portal to manage billing, and
Stripe's subscription events, which set the organization's plan and status.

Events are applied in the order Stripe created them: one older than the last applied is ignored,
so a late ``customer.subscription.updated`` never undoes a newer cancellation."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.core.scoping import org_scope
from crm.identity.models import Organization, User
from crm.stripe_gateway.services import client

from .. import locks
from ..limits import saas_mode
from ..models import Subscription
from ..plans import free_plan, plan_by_code, plan_by_price

STATUSES = {choice.value for choice in Subscription.Status}


def subscription_of(*, organization_id: int) -> Subscription:
    """The organization's subscription (an organization from before SaaS mode starts on the free plan)."""
    subscription, _created = Subscription.all_orgs.get_or_create(
        organization_id=organization_id, defaults={"plan": free_plan().code}
    )
    return subscription


def _return_url() -> str:
    return f"{settings.CRM_BASE_URL.rstrip('/')}/setup/billing"


def _customer(subscription: Subscription, organization: Organization, actor: User) -> str:
    if subscription.stripe_customer_id:
        return subscription.stripe_customer_id
    customer = client.call(
        lambda stripe: stripe.v1.customers.create(
            {"name": organization.name, "email": actor.email, "metadata": {"organization_id": str(organization.pk)}},
            {"idempotency_key": f"crm-{organization.pk}-customer"},
        )
    )
    Subscription.all_orgs.filter(pk=subscription.pk, stripe_customer_id="").update(stripe_customer_id=customer.id)
    return subscription_of(organization_id=organization.pk).stripe_customer_id


def checkout_create(*, organization_id: int, plan_code: str, actor: User) -> str:
    """A Stripe Checkout page (its URL) for subscribing the organization to ``plan_code``."""
    plan = plan_by_code(plan_code)
    if plan is None or not plan.price_id:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"plan": _("Choose a plan you can subscribe to.")},
        )
    subscription = subscription_of(organization_id=organization_id)
    if subscription.plan == plan.code and subscription.status in (
        Subscription.Status.ACTIVE,
        Subscription.Status.TRIALING,
    ):
        raise InvalidStateTransition("plan_current", _("The organization is on this plan already."))
    organization = Organization.objects.get(pk=organization_id)
    customer = _customer(subscription, organization, actor)
    metadata = {"organization_id": str(organization_id), "plan": plan.code}
    session = client.call(
        lambda stripe: stripe.v1.checkout.sessions.create(
            {
                "mode": "subscription",
                "customer": customer,
                "client_reference_id": str(organization_id),
                "metadata": metadata,
                "subscription_data": {"metadata": metadata},
                "line_items": [{"price": plan.price_id, "quantity": 1}],
                "success_url": f"{_return_url()}?checkout=done",
                "cancel_url": _return_url(),
            },
            {"idempotency_key": f"crm-{organization_id}-subscribe-{plan.code}-v{subscription.version}"},
        )
    )
    if not session.url:
        raise ApplicationError("stripe_error", _("Stripe answered without a payment page."), status_code=502)
    return str(session.url)


def portal_create(*, organization_id: int) -> str:
    """A Stripe customer portal session (its URL) where the organization manages its billing."""
    subscription = subscription_of(organization_id=organization_id)
    if not subscription.stripe_customer_id:
        raise InvalidStateTransition(
            "no_billing_account", _("Billing is managed in Stripe once the organization has subscribed to a plan.")
        )
    session = client.call(
        lambda stripe: stripe.v1.billing_portal.sessions.create(
            {"customer": subscription.stripe_customer_id, "return_url": _return_url()}
        )
    )
    return str(session.url)


# --- webhook events ------------------------------------------------------------------------------
def _organization_for(obj: dict[str, Any]) -> int | None:
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    raw = (metadata or {}).get("organization_id")
    if isinstance(raw, str) and raw.isdigit() and Organization.objects.filter(pk=int(raw)).exists():
        return int(raw)
    customer = obj.get("customer")
    if isinstance(customer, str) and customer:
        found = Subscription.all_orgs.filter(stripe_customer_id=customer).values_list("organization_id", flat=True)
        return next(iter(found), None)
    return None


def on_checkout_completed(obj: dict[str, Any], created: datetime.datetime) -> str:
    """A subscription checkout: remember Stripe's customer and subscription (the plan follows from
    the subscription events)."""
    if obj.get("mode") != "subscription" or not saas_mode():
        return ""
    organization_id = _organization_for(obj)
    if organization_id is None:
        return "subscription of no organization here"
    subscription = subscription_of(organization_id=organization_id)
    changes: dict[str, Any] = {}
    if isinstance(obj.get("customer"), str) and not subscription.stripe_customer_id:
        changes["stripe_customer_id"] = obj["customer"]
    if isinstance(obj.get("subscription"), str) and obj["subscription"]:
        changes["stripe_subscription_id"] = obj["subscription"]
    if changes:
        Subscription.all_orgs.filter(pk=subscription.pk).update(**changes)
    return "subscription checkout noted"


def _price_of(obj: dict[str, Any]) -> str:
    items = obj.get("items")
    data = items.get("data") if isinstance(items, dict) else None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        price = data[0].get("price")
        if isinstance(price, dict) and isinstance(price.get("id"), str):
            return str(price["id"])
    return ""


def on_subscription_event(obj: dict[str, Any], created: datetime.datetime) -> str:
    """customer.subscription.created / updated / deleted: set plan and status, unless a newer event won."""
    if not saas_mode():
        return ""
    organization_id = _organization_for(obj)
    if organization_id is None:
        return "subscription of no organization here"
    status = str(obj.get("status") or "")
    if status not in STATUSES:
        # incomplete, incomplete_expired, unpaid, paused: no plan until Stripe says active or trialing
        status = Subscription.Status.CANCELED if status in ("incomplete_expired", "unpaid") else ""
    plan = plan_by_price(_price_of(obj))
    with transaction.atomic(), org_scope(organization_id):
        subscription_of(organization_id=organization_id)
        subscription = locks.subscription_for_update(organization_id=organization_id)
        if subscription.last_event_at is not None and created < subscription.last_event_at:
            return "older than the state applied"
        stripe_id = str(obj.get("id") or "")
        replaced = bool(subscription.stripe_subscription_id) and stripe_id != subscription.stripe_subscription_id
        if replaced and stripe_id and status == Subscription.Status.CANCELED:
            return "another subscription canceled"  # the one replaced by an upgrade
        changes: dict[str, Any] = {"last_event_at": created, "stripe_subscription_id": stripe_id}
        if status:
            changes["status"] = status
        if plan is not None and status != Subscription.Status.CANCELED:
            changes["plan"] = plan.code
        if isinstance(obj.get("customer"), str) and not subscription.stripe_customer_id:
            changes["stripe_customer_id"] = obj["customer"]
        period_end = obj.get("current_period_end")
        if isinstance(period_end, int):
            changes["current_period_end"] = datetime.datetime.fromtimestamp(period_end, tz=datetime.UTC)
        for name, value in changes.items():
            setattr(subscription, name, value)
        subscription.version += 1
        subscription.save(update_fields=[*changes, "version", "updated_at"])
    return f"subscription {subscription.status} on {subscription.plan}"
