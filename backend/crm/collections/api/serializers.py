from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import CollectionSettings, Reminder, ReminderCharge, ReminderLevel


class ReminderLevelSerializer(serializers.ModelSerializer[ReminderLevel]):
    version = serializers.IntegerField(required=False, min_value=1)
    fixed_fee = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"), required=False)

    class Meta:
        model = ReminderLevel
        fields = [
            "id",
            "name",
            "days_after_due",
            "subject",
            "body",
            "charge_interest",
            "fixed_fee",
            "is_active",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness of the days is checked by the service (a clear message, and the constraint for races).
        validators: list[Any] = []

    def to_representation(self, instance: ReminderLevel) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["version"] = instance.version
        return data


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class ReminderChargeSerializer(serializers.ModelSerializer[ReminderCharge]):
    class Meta:
        model = ReminderCharge
        fields = ["id", "kind", "amount", "days", "rate"]


class ReminderSerializer(serializers.ModelSerializer[Reminder]):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    level_name = serializers.CharField(source="level.name", read_only=True)
    level_days = serializers.IntegerField(source="level.days_after_due", read_only=True)
    total_due = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    charges = ReminderChargeSerializer(many=True, read_only=True)
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = [
            "id",
            "invoice_id",
            "invoice_number",
            "account_id",
            "account_name",
            "level_id",
            "level_name",
            "level_days",
            "status",
            "trigger",
            "recipient",
            "subject",
            "days_overdue",
            "overdue_amount",
            "interest_rate",
            "interest_amount",
            "fee_amount",
            "total_due",
            "currency",
            "charges",
            "sent_at",
            "created_at",
            "created_by_name",
        ]

    def get_created_by_name(self, reminder: Reminder) -> str:
        return reminder.created_by.name if reminder.created_by is not None else ""


class ReminderFilterSerializer(serializers.Serializer):
    invoice_id = serializers.IntegerField(required=False, min_value=1)
    account_id = serializers.IntegerField(required=False, min_value=1)
    level_id = serializers.IntegerField(required=False, min_value=1)


class SendReminderSerializer(serializers.Serializer):
    level_id = serializers.IntegerField(required=False, min_value=1, allow_null=True)


class PauseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class ReminderStatusSerializer(serializers.Serializer):
    paused = serializers.BooleanField()
    account_no_reminders = serializers.BooleanField()
    reminders_sent = serializers.IntegerField()
    next_level = serializers.DictField(allow_null=True)


class NoRemindersSerializer(serializers.Serializer):
    no_reminders = serializers.BooleanField()


class CollectionSettingsSerializer(serializers.ModelSerializer[CollectionSettings]):
    version = serializers.IntegerField(required=False, min_value=1)
    reference_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("-5"),
        max_value=Decimal("50"),
        required=False,
        help_text=_("The reference rate (percent a year); statutory late interest is this plus 8 points."),
    )

    class Meta:
        model = CollectionSettings
        fields = ["reference_rate", "match_threshold", "version", "updated_at"]
        read_only_fields = ["updated_at"]

    def to_representation(self, instance: CollectionSettings) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["version"] = instance.version
        data["statutory_rate"] = str(instance.reference_rate + Decimal("8.00"))
        return data
