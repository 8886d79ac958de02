from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.core.views import ScopedAPIView
from crm.identity.permissions import request_user
from crm.invoicing.models import Invoice
from crm.records.api import check_record_writable
from crm.records.schema import ErrorSerializer

from ..services import client, links, webhooks
from . import serializers as s


class InvoicePaymentLinkView(ScopedAPIView):
    @extend_schema(tags=["invoices"], responses={200: s.CurrentPaymentLinkSerializer})
    def get(self, request: Request, pk: str) -> Response:
        """The invoice's open payment link for its current balance (``link`` is null when there is none)."""
        invoice = get_object_or_404(Invoice.objects.all(), pk=pk)
        link = links.current_link(invoice=invoice)
        return Response(
            {
                "configured": client.is_configured(),
                "link": s.PaymentLinkSerializer(link).data if link is not None else None,
            }
        )

    @extend_schema(
        tags=["invoices"], request=None, responses={200: s.PaymentLinkSerializer, 201: s.PaymentLinkSerializer}
    )
    def post(self, request: Request, pk: str) -> Response:
        """A Stripe Checkout link for the invoice's open balance (201), or the open one already made (200)."""
        invoice = get_object_or_404(Invoice.objects.all(), pk=pk)
        check_record_writable(invoice)
        link, created = links.payment_link_create(invoice_id=invoice.pk, actor=request_user(request))
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.PaymentLinkSerializer(link).data, status=code)


class StripeWebhookView(APIView):
    """Stripe's events, signed with the webhook secret (``Stripe-Signature``); no user signs in here."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        tags=["stripe"],
        request=OpenApiTypes.OBJECT,
        responses={
            200: s.WebhookAnswerSerializer,
            409: OpenApiResponse(
                ErrorSerializer, description="Not configured, or another event for the same payment is being applied."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        row, outcome = webhooks.event_receive(payload=request.body, signature=request.headers.get("Stripe-Signature"))
        return Response({"received": True, "duplicate": row is None, "outcome": outcome})
