"""UI metadata for Quotes and Invoices, their search and the related lists they add."""

from __future__ import annotations

from typing import Any

from crm.records.registry import ObjectMeta, RelatedListMeta, register
from crm.records.related import register_embed
from crm.records.search import SearchProvider, register_search

from .api.serializers import INVOICE_FIELDS, QUOTE_FIELDS, InvoiceRowSerializer, QuoteRowSerializer
from .models import Invoice, Quote

register(
    ObjectMeta(
        name="quote",
        label="Quote",
        label_plural="Quotes",
        api_path="quotes",
        icon="quotes",
        title_field="name",
        fields=QUOTE_FIELDS.meta,
        list_columns=("quote_number", "name", "account_id", "status", "expiration_date", "gross_total"),
        highlight_fields=("opportunity_id", "account_id", "status", "gross_total"),
        form_fields=QUOTE_FIELDS.form,
        filters=("owner", "status", "opportunity_id", "account_id"),
        path_field="status",
        default_ordering="-created_at",
        can_deactivate=False,
        creatable=False,
        extra={
            "create_from": "opportunity",
            "actions": ["accept", "send", "pdf", "sync", "unsync"],
            "line_items": "quote",
            # The server refuses changes of a closed quote (409): the record page offers none.
            "locked_when": {"field": "status", "values": ["Accepted", "Denied"]},
        },
    )
)

register(
    ObjectMeta(
        name="invoice",
        label="Invoice",
        label_plural="Invoices",
        api_path="invoices",
        icon="file",
        title_field="number",
        fields=INVOICE_FIELDS.meta,
        list_columns=("number", "account_id", "kind", "status", "due_date", "gross_total", "balance_due"),
        highlight_fields=("account_id", "status", "gross_total", "balance_due"),
        form_fields=INVOICE_FIELDS.form,
        filters=("owner", "status", "kind", "account_id", "order_id", "contract_id"),
        related=(
            RelatedListMeta(
                object="invoice",
                field="credited_invoice_id",
                label="Credit Notes",
                columns=("number", "status", "issue_date", "gross_total"),
            ),
        ),
        path_field="status",
        default_ordering="-created_at",
        can_deactivate=False,
        extra={
            "actions": ["issue", "credit_note", "log_payment", "send", "pdf"],
            "line_items": "invoice",
            # Issued invoices never change (409): only a draft shows edit controls.
            "locked_when": {
                "field": "status",
                "values": [value for value in Invoice.Status.values if value != Invoice.Status.DRAFT],
            },
        },
    )
)


def _opportunity_quotes(record: Any, request: Any) -> list[dict[str, Any]]:
    rows = Quote.objects.filter(opportunity_id=record.pk).order_by("-created_at", "-id")[:100]
    return QuoteRowSerializer(rows, many=True).data


register_embed("opportunity", "quotes", _opportunity_quotes, QuoteRowSerializer)


def _invoices_of(field: str) -> Any:
    def load(record: Any, request: Any) -> list[dict[str, Any]]:
        from django.db.models import F

        rows = (
            Invoice.objects.filter(**{field: record.pk})
            .annotate(balance_due=F("gross_total") - F("amount_paid") - F("amount_credited"))
            .order_by("-created_at", "-id")[:100]
        )
        return InvoiceRowSerializer(rows, many=True).data

    return load


register_embed("order", "invoices", _invoices_of("order_id"), InvoiceRowSerializer)
register_embed("contract", "invoices", _invoices_of("contract_id"), InvoiceRowSerializer)

register_search(
    SearchProvider(
        object="quote",
        model=Quote,
        fields=("quote_number", "name"),
        title=lambda row: f"{row.quote_number} {row.name}",
        subtitle=lambda row: row.account.name,
        select_related=("account",),
        active_only=False,
    )
)
register_search(
    SearchProvider(
        object="invoice",
        model=Invoice,
        fields=("number",),
        title=lambda row: row.number or f"Draft #{row.pk}",
        subtitle=lambda row: row.account.name,
        select_related=("account",),
        active_only=False,
    )
)
