from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from crm.records.api import RecordSerializer
from crm.records.fields import BoundedDateField
from crm.records.registry import Declared, ObjectFields, declare

from ..models import Contract, ContractLineItem, Order, OrderLineItem, Payment
from ..selectors import RETAINER_PAGE_SIZE
from ..services.contracts import CONTRACT_EDITABLE
from ..services.orders import ORDER_EDITABLE

MONEY = {"max_digits": 20, "decimal_places": 2, "read_only": True}


# Each object's fields, declared once: the serializers' fields, the /meta/objects field definitions
# and the web form (objects.py) are derived from these.


def _calculated(name: str, label: str) -> Declared:
    return declare(name, label=label, type="currency", readonly=True)


# An overpayment is asked for by Log Payment only (not in the form).
PAYMENT_FIELDS = ObjectFields(
    Payment,
    declare("amount", form=True),
    declare("payment_date", form=True, label="Payment Date"),
    declare("payment_method", form=True, label="Payment Method"),
    declare("status", form=True),
    declare("transaction_id", form=True, label="Transaction ID", type="text", max_length=255),
    declare("service_period_start", form=True, label="Service Period Start"),
    declare("service_period_end", form=True, label="Service Period End"),
    declare("notes", form=True),
    declare("is_overpayment", meta=False),
    # The invoice VAT a payment of an order paid: the order counts the amount less it.
    declare("vat_amount", label="VAT Paid", type="currency", readonly=True),
    declare("order_id", label="Order", display="order_number", readonly=True),
    declare("contract_id", label="Contract", display="contract_number", readonly=True),
    declare("account_id", label="Account Name", type="lookup", lookup="account", display="account_name", readonly=True),
    declare("owner_id", label="Logged By", lookup="user", readonly=True),
)
PAYMENT_ROW_FIELDS = [*PAYMENT_FIELDS.form, "is_overpayment", "vat_amount"]
# Orders and contracts are generated: afterwards only the fields their services allow change.
ORDER_FIELDS = ObjectFields(
    Order,
    declare("order_number", label="Order Number", readonly=True),
    declare("account_id", label="Account Name", readonly=True),
    declare("opportunity_id", label="Opportunity", readonly=True),
    declare("order_date", label="Order Date", readonly=True),
    declare("status"),
    declare("description", readonly=True),
    declare("owner_id", label="Order Owner", lookup="user", readonly=True),
    _calculated("total", "Total Amount"),
    _calculated("amount_paid", "Amount Paid"),
    _calculated("balance_due", "Balance Due"),
    declare("calculated_total", meta=False),  # seed 003 §1.7's name for `total`
    form_order=ORDER_EDITABLE,
)
CONTRACT_FIELDS = ObjectFields(
    Contract,
    declare("contract_number", label="Contract Number", readonly=True),
    declare("account_id", label="Account Name", readonly=True),
    declare("status"),
    declare("start_date", label="Start Date", readonly=True),
    declare("end_date", label="End Date", readonly=True),
    declare("billing_cycle", label="Billing Cycle", readonly=True),
    declare("description"),
    declare("owner_id", label="Contract Owner", lookup="user", readonly=True),
    _calculated("amount_per_cycle", "Amount per Cycle"),
    _calculated("amount_paid", "Amount Paid"),
    declare("opportunity_id", meta=False),
    declare("renewed_from_id", meta=False),
    form_order=CONTRACT_EDITABLE,
)


# Hands the service every key the client sent: the fields this serializer writes parsed, any other
# key as sent, so that the service (not the serializer) refuses what may not change. (A comment, not
# a docstring: the serializers that use it would show it as their description in the API schema.)
class SentKeysSerializerMixin(serializers.Serializer):
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
        fields = PAYMENT_FIELDS.serializer_fields(RecordSerializer.record_fields)


class PaymentCreateSerializer(PaymentSerializer):
    """`POST /payments`: the payment plus exactly one of `order_id` or `contract_id`."""

    order_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    contract_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    class Meta(PaymentSerializer.Meta):
        fields = PaymentSerializer.Meta.fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if bool(attrs.get("order_id")) == bool(attrs.get("contract_id")):
            message = _("Send exactly one of order_id or contract_id.")
            raise serializers.ValidationError({"order_id": [message], "contract_id": [message]})
        return attrs


class PaymentRowSerializer(serializers.ModelSerializer):
    """A payment inside an order's or contract's detail."""

    class Meta:
        model = Payment
        fields = ["id", *PAYMENT_ROW_FIELDS, "version"]


# --- orders ---------------------------------------------------------------------------------------
class OrderSerializer(SentKeysSerializerMixin, RecordSerializer):
    account_id = serializers.IntegerField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    opportunity_id = serializers.IntegerField(read_only=True, allow_null=True)
    opportunity_name = serializers.CharField(source="opportunity.name", read_only=True, default=None, allow_null=True)
    total = serializers.DecimalField(**MONEY)
    calculated_total = serializers.DecimalField(**MONEY, source="total", help_text="The same as `total` (seed 003).")
    amount_paid = serializers.DecimalField(**MONEY)
    balance_due = serializers.DecimalField(**MONEY)

    class Meta:
        model = Order
        fields = ORDER_FIELDS.serializer_fields(RecordSerializer.record_fields)
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
        fields = CONTRACT_FIELDS.serializer_fields(RecordSerializer.record_fields)
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
            raise serializers.ValidationError({"end_date": [_("Must be on or after the start date.")]})
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
