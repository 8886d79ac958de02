"""SaaS mode's routes; with SAAS_MODE off every one answers 404."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.core.views import ScopedAPIView
from crm.identity.api.views import ClientAddressThrottle
from crm.identity.permissions import IsOrgAdmin, request_user
from crm.records.models import Record
from crm.records.schema import ErrorSerializer

from ..limits import UNCOUNTED_OBJECTS, effective_plan, records_of, saas_mode, seats_used
from ..plans import plans
from ..services import signup, subscriptions
from . import serializers as s

OFF = {404: OpenApiResponse(ErrorSerializer, description="SaaS mode is off (SAAS_MODE).")}
OFF_OR_STRIPE = {
    **OFF,
    402: OpenApiResponse(ErrorSerializer, description="A plan limit was reached."),
    409: OpenApiResponse(ErrorSerializer, description="Stripe is not set up, or the state does not allow it."),
    502: OpenApiResponse(ErrorSerializer, description="Stripe answered with an error."),
}


class SignupThrottle(ClientAddressThrottle):
    """Counts per client address as ``client_ip`` sees it, like the sign-in throttles."""

    scope = "saas_signup"


class SaasOnly:
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Sign-in and permissions first (401 stays 401), then 404 for the whole of SaaS mode when off.
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not saas_mode():
            raise Http404


class PlansView(SaasOnly, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(tags=["saas"], responses={200: s.PlanSerializer(many=True), **OFF})
    def get(self, request: Request) -> Response:
        """The plans: seats, record limit per object, features, price."""
        return Response([plan.as_dict() for plan in plans()])


class SignupView(SaasOnly, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [SignupThrottle]

    @extend_schema(tags=["saas"], request=s.SignupSerializer, responses={202: s.SignupAnswerSerializer, **OFF})
    def post(self, request: Request) -> Response:
        """Sign up: a verification link is mailed; the organization is created once it is opened."""
        body = s.SignupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        signup.signup_request(**body.validated_data)
        return Response(
            {"detail": _("Check your inbox: we sent you a link to confirm your email address.")},
            status=status.HTTP_202_ACCEPTED,
        )


class VerifyView(SaasOnly, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [SignupThrottle]

    @extend_schema(tags=["saas"], request=s.VerifySerializer, responses={201: s.VerifyAnswerSerializer, **OFF})
    def post(self, request: Request) -> Response:
        """Verify the email of a sign-up: creates the organization and its Owner, who can sign in then."""
        body = s.VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        owner = signup.signup_verify(token=body.validated_data["token"])
        return Response({"organization": owner.organization.name, "email": owner.email}, status=status.HTTP_201_CREATED)


def _usage(organization_id: int) -> list[dict[str, Any]]:
    plan = effective_plan(organization_id)
    rows = []
    for model in apps.get_models():
        if not issubclass(model, Record) or model.object_name in UNCOUNTED_OBJECTS:
            continue
        rows.append(
            {
                "object": model.object_name,
                "label": str(model._meta.verbose_name_plural).capitalize(),
                "count": records_of(organization_id, model),
                "limit": plan.record_limit,
            }
        )
    return sorted(rows, key=lambda row: (-row["count"], row["label"]))


class SubscriptionView(SaasOnly, ScopedAPIView):
    @extend_schema(tags=["saas"], responses={200: s.SubscriptionSerializer, **OFF})
    def get(self, request: Request) -> Response:
        """The organization's plan and status, its usage against the plan's limits, and the plans."""
        organization_id = request_user(request).organization_id
        subscription = subscriptions.subscription_of(organization_id=organization_id)
        plan = effective_plan(organization_id)
        return Response(
            {
                "plan": plan.as_dict(),
                "status": subscription.status,
                "current_period_end": subscription.current_period_end,
                "has_billing_account": bool(subscription.stripe_customer_id),
                "seats": {"used": seats_used(organization_id), "limit": plan.seats},
                "records": _usage(organization_id),
                "plans": [entry.as_dict() for entry in plans()],
            }
        )


class CheckoutView(SaasOnly, ScopedAPIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["saas"], request=s.CheckoutSerializer, responses={200: s.RedirectSerializer, **OFF_OR_STRIPE})
    def post(self, request: Request) -> Response:
        """A Stripe Checkout page to subscribe to a plan (administrators)."""
        body = s.CheckoutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = request_user(request)
        url = subscriptions.checkout_create(
            organization_id=user.organization_id, plan_code=body.validated_data["plan"], actor=user
        )
        return Response({"url": url})


class PortalView(SaasOnly, ScopedAPIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["saas"], request=None, responses={200: s.RedirectSerializer, **OFF_OR_STRIPE})
    def post(self, request: Request) -> Response:
        """A Stripe customer portal session: invoices, payment method, cancel (administrators)."""
        return Response({"url": subscriptions.portal_create(organization_id=request_user(request).organization_id)})
