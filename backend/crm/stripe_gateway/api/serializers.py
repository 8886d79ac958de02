from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import PaymentLink
from ..services.client import from_minor_units


class PaymentLinkSerializer(serializers.ModelSerializer[PaymentLink]):
    invoice_id = serializers.IntegerField(read_only=True)
    amount = serializers.SerializerMethodField(help_text="The amount in the invoice's currency (major units).")

    class Meta:
        model = PaymentLink
        fields = ["id", "invoice_id", "url", "amount", "amount_minor", "currency", "status", "created_at"]
        read_only_fields = fields

    def get_amount(self, link: PaymentLink) -> str:
        return str(from_minor_units(link.amount_minor, link.currency))


class CurrentPaymentLinkSerializer(serializers.Serializer[Any]):
    configured = serializers.BooleanField(help_text="Whether Stripe is set up (a secret key is configured).")
    link = PaymentLinkSerializer(allow_null=True)


class WebhookAnswerSerializer(serializers.Serializer[Any]):
    received = serializers.BooleanField()
    duplicate = serializers.BooleanField()
    outcome = serializers.CharField()
