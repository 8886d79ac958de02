from __future__ import annotations

from typing import Any

from rest_framework import serializers


class SignupSerializer(serializers.Serializer[Any]):
    organization_name = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class VerifySerializer(serializers.Serializer[Any]):
    token = serializers.CharField(max_length=200)


class CheckoutSerializer(serializers.Serializer[Any]):
    plan = serializers.CharField(max_length=32)


class PlanSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    seats = serializers.IntegerField(allow_null=True, help_text="Active users included; null: no limit.")
    record_limit = serializers.IntegerField(allow_null=True, help_text="Records of each object; null: no limit.")
    features = serializers.ListField(child=serializers.CharField())
    monthly_price = serializers.CharField()
    purchasable = serializers.BooleanField()


class UsageRowSerializer(serializers.Serializer[Any]):
    object = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    limit = serializers.IntegerField(allow_null=True)


class SeatsSerializer(serializers.Serializer[Any]):
    used = serializers.IntegerField()
    limit = serializers.IntegerField(allow_null=True)


class SubscriptionSerializer(serializers.Serializer[Any]):
    plan = PlanSerializer()
    status = serializers.CharField()
    current_period_end = serializers.DateTimeField(allow_null=True)
    has_billing_account = serializers.BooleanField()
    seats = SeatsSerializer()
    records = UsageRowSerializer(many=True)
    plans = PlanSerializer(many=True)


class SignupAnswerSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


class VerifyAnswerSerializer(serializers.Serializer[Any]):
    organization = serializers.CharField()
    email = serializers.EmailField()


class RedirectSerializer(serializers.Serializer[Any]):
    url = serializers.URLField()
