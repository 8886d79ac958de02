from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.records.query import BIGINT_MAX

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
    invoice_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    account_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    level_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)


class SendReminderSerializer(serializers.Serializer):
    level_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX, allow_null=True)


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


# --- bank statements ---------------------------------------------------------------------------------
class BankStatementUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=["auto", "camt053", "mt940", "csv"], default="auto", required=False)
    mapping = serializers.JSONField(
        required=False,
        help_text=_(
            "CSV only: the column (name or 0-based index) of booking_date, amount, currency, counterparty_name, "
            "counterparty_iban, remittance and reference; date_format (e.g. %d.%m.%Y), decimal_comma, currency."
        ),
    )

    def validate_mapping(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("The mapping is an object of field to column."))
        allowed = {
            "booking_date",
            "amount",
            "currency",
            "counterparty_name",
            "counterparty_iban",
            "remittance",
            "reference",
            "date_format",
            "decimal_comma",
        }
        unknown = set(value) - allowed
        if unknown:
            raise serializers.ValidationError(
                _("Unknown mapping keys: %(keys)s") % {"keys": ", ".join(sorted(unknown))}
            )
        for key, column in value.items():
            if key == "decimal_comma":
                if not isinstance(column, bool):
                    raise serializers.ValidationError(_("decimal_comma is true or false."))
            elif not isinstance(column, (str, int)) or isinstance(column, bool) or len(str(column)) > 100:
                raise serializers.ValidationError(_("%(key)s names a column.") % {"key": key})
        return value


class BankStatementSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        from ..models import BankStatement

        model = BankStatement
        fields = [
            "id",
            "filename",
            "format",
            "account_iban",
            "status",
            "total",
            "processed",
            "matched",
            "queued",
            "duplicates",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class BankMatchSerializer(serializers.ModelSerializer[Any]):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    invoice_status = serializers.CharField(source="invoice.status", read_only=True)

    class Meta:
        from ..models import BankMatch

        model = BankMatch
        fields = [
            "id",
            "invoice_id",
            "invoice_number",
            "invoice_status",
            "payment_id",
            "amount",
            "automatic",
            "undone_at",
        ]
        read_only_fields = fields


class BankTransactionSerializer(serializers.ModelSerializer[Any]):
    matches = serializers.SerializerMethodField()

    class Meta:
        from ..models import BankTransaction

        model = BankTransaction
        fields = [
            "id",
            "statement_id",
            "booking_date",
            "value_date",
            "amount",
            "currency",
            "counterparty_name",
            "counterparty_iban",
            "remittance",
            "bank_reference",
            "status",
            "confidence",
            "suggestions",
            "matches",
            "matched_at",
            "version",
        ]
        read_only_fields = fields

    def get_matches(self, tx: Any) -> list[dict[str, Any]]:
        rows = [match for match in tx.matches.all() if match.undone_at is None]
        return BankMatchSerializer(rows, many=True).data  # type: ignore[return-value]


class BankTransactionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["unmatched", "matched", "rejected", "ignored"], required=False)
    statement_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)


class AllocationSerializer(serializers.Serializer):
    invoice_id = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))


class BankMatchRequestSerializer(serializers.Serializer):
    allocations = AllocationSerializer(many=True, allow_empty=False, max_length=50)
    version = serializers.IntegerField(min_value=1)
