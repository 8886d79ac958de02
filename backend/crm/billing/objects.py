"""UI metadata for Orders, Payments and Contracts, their search and the related lists they add."""

from __future__ import annotations

from typing import Any

from crm.records.registry import ObjectMeta, RelatedListMeta, register
from crm.records.related import register_embed
from crm.records.search import SearchProvider, register_search

from . import selectors
from .api.serializers import CONTRACT_FIELDS, ORDER_FIELDS, PAYMENT_FIELDS, ContractRowSerializer, OrderRowSerializer
from .models import Contract, Order

register(
    ObjectMeta(
        name="order",
        label="Order",
        label_plural="Orders",
        api_path="orders",
        icon="orders",
        title_field="order_number",
        fields=ORDER_FIELDS.meta,
        list_columns=("order_number", "account_id", "order_date", "status", "total", "balance_due"),
        highlight_fields=("account_id", "status", "total", "balance_due"),
        form_fields=ORDER_FIELDS.form,
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
        creatable=False,
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
        fields=PAYMENT_FIELDS.meta,
        list_columns=("payment_date", "amount", "payment_method", "status", "order_id", "account_id"),
        highlight_fields=("amount", "payment_date", "status", "account_id"),
        form_fields=PAYMENT_FIELDS.form,
        filters=("status", "payment_method", "account_id"),
        default_ordering="-payment_date",
        searchable=False,
        can_deactivate=False,
        creatable=False,
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
        fields=CONTRACT_FIELDS.meta,
        list_columns=("contract_number", "account_id", "status", "start_date", "end_date", "amount_per_cycle"),
        highlight_fields=("account_id", "status", "billing_cycle", "amount_per_cycle"),
        form_fields=CONTRACT_FIELDS.form,
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
        creatable=False,
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
