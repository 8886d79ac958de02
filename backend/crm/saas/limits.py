"""The plan's limits, checked where users and records are added (no-ops when SAAS_MODE is off).

Limits only refuse what is new: when a plan shrinks, every user and record already there stays
readable and editable; only adding beyond the limit is refused, with a message that says so.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status

from crm.core.errors import ApplicationError
from crm.identity.models import Organization, User

from .models import Subscription
from .plans import FEATURES, Plan, free_plan, plan_by_code

# Money received is always recorded (a Stripe payment arriving by webhook is never refused).
UNCOUNTED_OBJECTS = frozenset({"payment"})

FEATURE_NAMES = {"ai": "AI", "marketing": "Marketing"}


class PlanLimitReached(ApplicationError):
    status_code = status.HTTP_402_PAYMENT_REQUIRED


def _organization_id(organization: Organization | int) -> int:
    return organization if isinstance(organization, int) else organization.pk


def saas_mode() -> bool:
    return bool(settings.SAAS_MODE)


def effective_plan(organization: Organization | int) -> Plan:
    """The plan in force: the subscription's while active, trialing or past due (Stripe retries the
    payment meanwhile); the free plan once canceled or without a subscription."""
    subscription = Subscription.all_orgs.filter(organization_id=_organization_id(organization)).first()
    if subscription is None or subscription.status == Subscription.Status.CANCELED:
        return free_plan()
    return plan_by_code(subscription.plan) or free_plan()


def seats_used(organization: Organization | int) -> int:
    return User.objects.filter(organization_id=_organization_id(organization), is_active=True).count()


def records_of(organization: Organization | int, model: type[Any]) -> int:
    return int(model.all_orgs.filter(organization_id=_organization_id(organization)).count())


def ensure_can_add_user(organization: Organization | int) -> None:
    """Refuse a new (or reactivated) user beyond the plan's seats."""
    if not saas_mode():
        return
    plan = effective_plan(organization)
    if plan.seats is not None and seats_used(organization) >= plan.seats:
        raise PlanLimitReached(
            "plan_seat_limit",
            _(
                "The %(plan)s plan includes %(seats)s users and all of them are taken. "
                "Deactivate a user or upgrade the plan to add another."
            )
            % {"plan": plan.name, "seats": plan.seats},
        )


def ensure_can_create(organization: Organization | int, model: type[Any]) -> None:
    """Refuse a new record of ``model`` beyond the plan's record limit (per object)."""
    if not saas_mode():
        return
    object_name = getattr(model, "object_name", model._meta.model_name)
    if object_name in UNCOUNTED_OBJECTS:
        return
    plan = effective_plan(organization)
    if plan.record_limit is not None and records_of(organization, model) >= plan.record_limit:
        raise PlanLimitReached(
            "plan_record_limit",
            _(
                "The %(plan)s plan holds up to %(limit)s records of each kind, and this organization has "
                "reached that for %(object)s. Upgrade the plan to create more; existing records stay available."
            )
            % {"plan": plan.name, "limit": plan.record_limit, "object": str(model._meta.verbose_name_plural)},
        )


def ensure_feature(organization: Organization | int, feature: str) -> None:
    """Refuse a feature (``ai``, ``marketing``) the plan does not include."""
    if feature not in FEATURES:
        raise ValueError(f"Unknown plan feature {feature!r}")
    if not saas_mode():
        return
    plan = effective_plan(organization)
    if feature not in plan.features:
        raise PlanLimitReached(
            "plan_feature_missing",
            _("%(feature)s is not included in the %(plan)s plan. Upgrade the plan to use it.")
            % {"feature": FEATURE_NAMES.get(feature, feature), "plan": plan.name},
        )


class PlanLimits:
    """The policy crm.core.limits asks (installed by the app's ready())."""

    def ensure_can_add_user(self, organization_id: int) -> None:
        ensure_can_add_user(organization_id)

    def ensure_can_create(self, organization_id: int, model: type[Any]) -> None:
        ensure_can_create(organization_id, model)

    def ensure_feature(self, organization_id: int, feature: str) -> None:
        ensure_feature(organization_id, feature)
