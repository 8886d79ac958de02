from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from crm.records.api import RecordSerializer
from crm.records.fields import BoundedDateField

from ..models import Contract, ContractLineItem, Order, OrderLineItem, Payment
from ..selectors import RETAINER_PAGE_SIZE
from ..services.contracts import CONTRACT_EDITABLE
from ..services.orders import ORDER_EDITABLE

MONEY = {"max_digits": 20, "decimal_places": 2, "read_only": True}


# --- payments -------------------------------------------------------------------------------------
# The fields a user edits, declared once: the API's writable fields and the form of the web UI
# (objects.py), in the order the form shows them. An overpayment is asked for by Log Payment only.
PAYMENT_FORM = (
    "amount",
    "payment_date",
    "payment_method",
    "status",
    "transaction_id",
    "service_period_start",
    "service_period_end",
    "notes",
)
PAYMENT_FIELDS = [*PAYMENT_FORM, "is_overpayment"]
# Orders and contracts are generated: afterwards only these fields change (the services decide).
ORDER_FORM = ORDER_EDITABLE
CONTRACT_FORM = CONTRACT_EDITABLE


class SentKeysSerializerMixin(serializers.Serializer):
    """Hands the service every key the client sent: the fields this serializer writes parsed, any
    other key as sent, so that the service (not the serializer) refuses what may not change."""

    def to_internal_value(self, data: Any) -> Any:
        parsed = super().to_internal_value(data)
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            parsed.update({key: data[key] for key in data if key not in writable})
        return parsed


class PaymentSerializer(RecordSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    order_id = serializers.IntegerField(read_only=True, allow_null=True)
    order_number = serializers.CharField(source="order.order_number", read_only=True, default=None, allow_null=True)
    contract_id = serializers.IntegerField(read_only=True, allow_null=True)
    contract_number = serializers.CharField(
        source="contract.contract_number", read_only=True, default=None, allow_null=True
    )
    account_id = serializers.IntegerField(source="payer_account_id", read_only=True, allow_null=True)
    account_name = serializers.CharField(source="payer_account_name", read_only=True, allow_null=True)

    class Meta:
        model = Payment
        fields = [
            *RecordSerializer.record_fields,
            *PAYMENT_FIELDS,
            "order_id",
            "order_number",
            "contract_id",
            "contract_number",
            "account_id",
            "account_name",
        ]


class PaymentRowSerializer(serializers.ModelSerializer):
    """A payment inside an order's or contract's detail."""

    class Meta:
        model = Payment
        fields = ["id", *PAYMENT_FIELDS, "version"]


# --- orders ---------------------------------------------------------------------------------------
class OrderSerializer(SentKeysSerializerMixin, RecordSerializer):
    account_id = serializers.IntegerField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    opportunity_id = serializers.IntegerField(read_only=True, allow_null=True)
    opportunity_name = serializers.CharField(source="opportunity.name", read_only=True, default=None, allow_null=True)
    total = serializers.DecimalField(**MONEY)
    amount_paid = serializers.DecimalField(**MONEY)
    balance_due = serializers.DecimalField(**MONEY)

    class Meta:
        model = Order
        fields = [
            *RecordSerializer.record_fields,
            "order_number",
            "order_date",
            "status",
            "account_id",
            "account_name",
            "opportunity_id",
            "opportunity_name",
            "description",
            "total",
            "amount_paid",
            "balance_due",
        ]
        read_only_fields = ["order_number", "order_date", "description"]


class OrderLineSerializer(serializers.ModelSerializer):
    product_id = serializers.IntegerField(read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    line_total = serializers.SerializerMethodField()

    class Meta:
        model = OrderLineItem
        fields = ["id", "product_id", "product_name", "quantity", "price_at_purchase", "line_total"]

    def get_line_total(self, obj: OrderLineItem) -> str:
        return str((obj.quantity * obj.price_at_purchase).quantize(Decimal("0.01")))


class OrderRecordSerializer(OrderSerializer):
    line_items = OrderLineSerializer(many=True, read_only=True)
    payments = PaymentRowSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "line_items", "payments"]


class OrderRowSerializer(serializers.ModelSerializer):
    """An order in an account's or opportunity's related list."""

    total = serializers.DecimalField(**MONEY)
    amount_paid = serializers.DecimalField(**MONEY)
    balance_due = serializers.DecimalField(**MONEY)

    class Meta:
        model = Order
        fields = ["id", "order_number", "order_date", "status", "total", "amount_paid", "balance_due", "version"]


class VersionOnlySerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")


# --- contracts ------------------------------------------------------------------------------------
class ContractSerializer(SentKeysSerializerMixin, RecordSerializer):
    account_id = serializers.IntegerField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    opportunity_id = serializers.IntegerField(read_only=True, allow_null=True)
    renewed_from_id = serializers.IntegerField(read_only=True, allow_null=True)
    amount_per_cycle = serializers.DecimalField(**MONEY)
    amount_paid = serializers.DecimalField(**MONEY)

    class Meta:
        model = Contract
        fields = [
            *RecordSerializer.record_fields,
            "contract_number",
            "status",
            "start_date",
            "end_date",
            "billing_cycle",
            "account_id",
            "account_name",
            "opportunity_id",
            "renewed_from_id",
            "description",
            "amount_per_cycle",
            "amount_paid",
        ]
        read_only_fields = ["contract_number", "start_date", "end_date", "billing_cycle"]


class ContractLineSerializer(serializers.ModelSerializer):
    product_id = serializers.IntegerField(read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = ContractLineItem
        fields = ["id", "product_id", "product_name", "quantity", "price_per_cycle"]


class ContractRecordSerializer(ContractSerializer):
    line_items = ContractLineSerializer(many=True, read_only=True)
    payments = PaymentRowSerializer(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "line_items", "payments"]


class ContractRowSerializer(serializers.ModelSerializer):
    amount_per_cycle = serializers.DecimalField(**MONEY)

    class Meta:
        model = Contract
        fields = [
            "id",
            "contract_number",
            "status",
            "start_date",
            "end_date",
            "billing_cycle",
            "amount_per_cycle",
            "version",
        ]


class ContractTermSerializer(serializers.Serializer):
    start_date = BoundedDateField()
    end_date = BoundedDateField()
    billing_cycle = serializers.ChoiceField(choices=Contract.BillingCycle.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": ["Must be on or after the start date."]})
        return attrs


class ContractRenewSerializer(ContractTermSerializer):
    billing_cycle = serializers.ChoiceField(choices=Contract.BillingCycle.choices, required=False)


# --- reports --------------------------------------------------------------------------------------
class RetainerReportQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="2000 to 2100.")
    page = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000, default=1, help_text="From 1.")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=200, default=RETAINER_PAGE_SIZE, help_text="Accounts per page, 1 to 200."
    )


class RetainerRowSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    account_name = serializers.CharField()
    months = serializers.ListField(child=serializers.DecimalField(max_digits=20, decimal_places=2))
    total = serializers.DecimalField(max_digits=20, decimal_places=2)


class RetainerTotalsSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.DecimalField(max_digits=20, decimal_places=2))
    total = serializers.DecimalField(max_digits=20, decimal_places=2)


class RetainerReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    months = serializers.ListField(child=serializers.IntegerField())
    rows = RetainerRowSerializer(many=True, help_text="This page of accounts, by account name.")
    totals = RetainerTotalsSerializer(help_text="Month totals and grand total over every account of the year.")
    count = serializers.IntegerField(help_text="Accounts with completed payments in the year.")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
