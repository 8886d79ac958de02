"""UI metadata for Orders, Payments and Contracts, their search and the related lists they add."""

from __future__ import annotations

from typing import Any

from crm.records.registry import FieldMeta, ObjectMeta, RelatedListMeta, field_from_model, register
from crm.records.related import register_embed
from crm.records.search import SearchProvider, register_search

from . import selectors
from .api.serializers import CONTRACT_FORM, ORDER_FORM, PAYMENT_FORM, ContractRowSerializer, OrderRowSerializer
from .models import Contract, Order, Payment


def _calculated(name: str, label: str) -> FieldMeta:
    return FieldMeta(name=name, label=label, type="currency", readonly=True)


register(
    ObjectMeta(
        name="order",
        label="Order",
        label_plural="Orders",
        api_path="orders",
        icon="orders",
        title_field="order_number",
        fields=(
            field_from_model(Order, "order_number", label="Order Number", readonly=True),
            field_from_model(Order, "account_id", label="Account Name", display="account_name", readonly=True),
            field_from_model(Order, "opportunity_id", label="Opportunity", display="opportunity_name", readonly=True),
            field_from_model(Order, "order_date", label="Order Date", readonly=True),
            field_from_model(Order, "status"),
            field_from_model(Order, "description", readonly=True),
            field_from_model(
                Order, "owner_id", label="Order Owner", display="owner_name", lookup="user", readonly=True
            ),
            _calculated("total", "Total Amount"),
            _calculated("amount_paid", "Amount Paid"),
            _calculated("balance_due", "Balance Due"),
        ),
        list_columns=("order_number", "account_id", "order_date", "status", "total", "balance_due"),
        highlight_fields=("account_id", "status", "total", "balance_due"),
        form_fields=ORDER_FORM,
        filters=("owner", "status", "account_id", "has_balance"),
        related=(
            RelatedListMeta(
                object="payment",
                field="order_id",
                label="Payments",
                columns=("payment_date", "amount", "payment_method", "status"),
                key="payments",
            ),
        ),
        path_field="status",
        default_ordering="-order_date",
        can_deactivate=False,
        extra={"create_from": "opportunity", "actions": ["cancel", "log_payment"]},
    )
)

register(
    ObjectMeta(
        name="payment",
        label="Payment",
        label_plural="Payments",
        api_path="payments",
        icon="partner_fund_allocation",
        title_field="payment_date",
        fields=(
            field_from_model(Payment, "amount"),
            field_from_model(Payment, "payment_date", label="Payment Date"),
            field_from_model(Payment, "payment_method", label="Payment Method"),
            field_from_model(Payment, "status"),
            FieldMeta(name="transaction_id", label="Transaction ID", type="text", max_length=255),
            field_from_model(Payment, "service_period_start", label="Service Period Start"),
            field_from_model(Payment, "service_period_end", label="Service Period End"),
            field_from_model(Payment, "notes"),
            field_from_model(Payment, "order_id", label="Order", display="order_number", readonly=True),
            field_from_model(Payment, "contract_id", label="Contract", display="contract_number", readonly=True),
            FieldMeta(
                name="account_id",
                label="Account Name",
                type="lookup",
                lookup="account",
                display="account_name",
                readonly=True,
            ),
            field_from_model(
                Payment, "owner_id", label="Logged By", display="owner_name", lookup="user", readonly=True
            ),
        ),
        list_columns=("payment_date", "amount", "payment_method", "status", "order_id", "account_id"),
        highlight_fields=("amount", "payment_date", "status", "account_id"),
        form_fields=PAYMENT_FORM,
        filters=("status", "payment_method", "account_id"),
        default_ordering="-payment_date",
        searchable=False,
        can_deactivate=False,
        extra={"create_from": ["order", "contract"]},
    )
)

register(
    ObjectMeta(
        name="contract",
        label="Contract",
        label_plural="Contracts",
        api_path="contracts",
        icon="contract",
        title_field="contract_number",
        fields=(
            field_from_model(Contract, "contract_number", label="Contract Number", readonly=True),
            field_from_model(Contract, "account_id", label="Account Name", display="account_name", readonly=True),
            field_from_model(Contract, "status"),
            field_from_model(Contract, "start_date", label="Start Date", readonly=True),
            field_from_model(Contract, "end_date", label="End Date", readonly=True),
            field_from_model(Contract, "billing_cycle", label="Billing Cycle", readonly=True),
            field_from_model(Contract, "description"),
            field_from_model(
                Contract, "owner_id", label="Contract Owner", display="owner_name", lookup="user", readonly=True
            ),
            _calculated("amount_per_cycle", "Amount per Cycle"),
            _calculated("amount_paid", "Amount Paid"),
        ),
        list_columns=("contract_number", "account_id", "status", "start_date", "end_date", "amount_per_cycle"),
        highlight_fields=("account_id", "status", "billing_cycle", "amount_per_cycle"),
        form_fields=CONTRACT_FORM,
        filters=("owner", "status", "account_id", "billing_cycle"),
        related=(
            RelatedListMeta(
                object="payment",
                field="contract_id",
                label="Payments",
                columns=("payment_date", "amount", "service_period_start", "status"),
                key="payments",
            ),
        ),
        path_field="status",
        default_ordering="-start_date",
        can_deactivate=False,
        extra={"create_from": "opportunity", "actions": ["renew", "log_payment"]},
    )
)


def _account_orders(record: Any, request: Any) -> list[dict[str, Any]]:
    return OrderRowSerializer(selectors.order_list_for_account(account_id=record.pk), many=True).data


def _account_contracts(record: Any, request: Any) -> list[dict[str, Any]]:
    return ContractRowSerializer(selectors.contract_list_for_account(account_id=record.pk), many=True).data


def _opportunity_orders(record: Any, request: Any) -> list[dict[str, Any]]:
    return OrderRowSerializer(selectors.order_list_for_opportunity(opportunity_id=record.pk), many=True).data


register_embed("account", "orders", _account_orders, OrderRowSerializer)
register_embed("account", "contracts", _account_contracts, ContractRowSerializer)
register_embed("opportunity", "orders", _opportunity_orders, OrderRowSerializer)

register_search(
    SearchProvider(
        object="order",
        model=Order,
        fields=("order_number",),
        title=lambda row: row.order_number,
        subtitle=lambda row: row.account.name,
        select_related=("account",),
        active_only=False,
    )
)
register_search(
    SearchProvider(
        object="contract",
        model=Contract,
        fields=("contract_number",),
        title=lambda row: row.contract_number,
        subtitle=lambda row: row.account.name,
        select_related=("account",),
        active_only=False,
    )
)
