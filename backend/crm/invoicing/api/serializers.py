from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.billing.models import Payment
from crm.records.api import RecordSerializer, ScopedRelatedField
from crm.records.fields import BoundedDateField
from crm.records.registry import ObjectFields, declare

from ..models import (
    DocumentTemplate,
    DocumentTemplateVersion,
    Invoice,
    InvoiceLineItem,
    Language,
    PaymentAllocation,
    Quote,
    QuoteLineItem,
    TaxCategory,
)
from ..taxes import document_totals, legal_notes, line_discount, line_net

MONEY = {"max_digits": 20, "decimal_places": 2, "read_only": True}

QUOTE_FIELDS = ObjectFields(
    Quote,
    declare("quote_number", label="Quote Number", readonly=True),
    declare("name", form=True, label="Quote Name"),
    declare("status", form=True),
    declare("expiration_date", form=True, label="Expiration Date"),
    declare("opportunity_id", label="Opportunity", readonly=True),
    declare("account_id", label="Account Name", lookup="account", type="lookup", display="account_name", readonly=True),
    declare("contact_id", form=True, label="Contact"),
    declare("billing_address", form=True, label="Bill To"),
    declare("shipping_address", form=True, label="Ship To"),
    declare("terms", form=True),
    declare("language", form=True, label="Document Language"),
    declare("is_synced", label="Syncing", readonly=True),
    declare("net_total", label="Subtotal", type="currency", readonly=True),
    declare("tax_total", label="Tax", type="currency", readonly=True),
    declare("gross_total", label="Grand Total", type="currency", readonly=True),
    declare(
        "order_id",
        label="Order",
        lookup="order",
        type="lookup",
        display="order_number",
        readonly=True,
        related_list=False,
    ),
    declare("owner_id", label="Quote Owner", lookup="user", readonly=True),
)
INVOICE_FIELDS = ObjectFields(
    Invoice,
    declare("number", label="Invoice Number", readonly=True),
    declare("kind", label="Type", readonly=True),
    declare("status", readonly=True),
    declare("account_id", form=True, label="Account Name"),
    declare("contact_id", form=True, label="Contact"),
    declare("order_id", label="Order", lookup="order", type="lookup", display="order_number", readonly=True),
    declare(
        "contract_id", label="Contract", lookup="contract", type="lookup", display="contract_number", readonly=True
    ),
    declare(
        "credited_invoice_id",
        label="Credits Invoice",
        lookup="invoice",
        type="lookup",
        display="credited_invoice_number",
        readonly=True,
        related_list=False,
    ),
    declare("series", form=True),
    declare("issue_date", label="Issue Date", readonly=True),
    declare("payment_terms_days", form=True, label="Payment Terms (days)"),
    declare("due_date", label="Due Date", readonly=True),
    declare("service_period_start", form=True, label="Service Period Start"),
    declare("service_period_end", form=True, label="Service Period End"),
    declare("currency", form=True),
    declare("language", form=True, label="Document Language"),
    declare("billing_address", form=True, label="Bill To"),
    declare("notes", form=True),
    declare("net_total", label="Net Total", type="currency", readonly=True),
    declare("tax_total", label="VAT", type="currency", readonly=True),
    declare("gross_total", label="Total", type="currency", readonly=True),
    declare("amount_paid", label="Amount Paid", type="currency", readonly=True),
    declare("amount_credited", label="Amount Credited", type="currency", readonly=True),
    declare("balance_due", label="Balance Due", type="currency", readonly=True),
    declare("owner_id", label="Invoice Owner", lookup="user", readonly=True),
)


class LineSerializer(serializers.ModelSerializer[Any]):
    product_id = ScopedRelatedField("sales.Product", source="product", required=False, allow_null=True)
    product_name = serializers.CharField(source="product.name", read_only=True, default=None, allow_null=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    unit_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )
    discount_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"), required=False
    )
    vat_rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        allow_null=True,
    )
    tax_category = serializers.ChoiceField(choices=TaxCategory.choices, required=False)
    version = serializers.IntegerField(read_only=True)
    discount = serializers.SerializerMethodField()
    net_amount = serializers.SerializerMethodField()

    line_fields = [
        "id",
        "product_id",
        "product_name",
        "description",
        "quantity",
        "unit_price",
        "discount_percent",
        "vat_rate",
        "tax_category",
        "discount",
        "net_amount",
        "version",
    ]

    def get_discount(self, obj: Any) -> str:
        return str(line_discount(obj))

    def get_net_amount(self, obj: Any) -> str:
        return str(line_net(obj))


class QuoteLineSerializer(LineSerializer):
    class Meta:
        model = QuoteLineItem
        fields = [*LineSerializer.line_fields, "opportunity_line_id"]
        read_only_fields = ["opportunity_line_id"]


class QuoteLineCreateSerializer(QuoteLineSerializer):
    product_id = ScopedRelatedField("sales.Product", source="product")


class InvoiceLineSerializer(LineSerializer):
    class Meta:
        model = InvoiceLineItem
        fields = [*LineSerializer.line_fields, "order_line_id", "credited_line_id"]
        read_only_fields = ["order_line_id", "credited_line_id"]


class LineUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="The line's version you read.")


class SummarySerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    base = serializers.DecimalField(max_digits=20, decimal_places=2)
    tax = serializers.DecimalField(max_digits=20, decimal_places=2)


class DocumentSerializerMixin(serializers.Serializer[Any]):
    vat_summary = serializers.SerializerMethodField()
    legal_notes = serializers.SerializerMethodField()

    def _lines(self, obj: Any) -> list[Any]:
        return list(obj.line_items.all())

    def get_vat_summary(self, obj: Any) -> list[dict[str, Any]]:
        totals = document_totals(self._lines(obj))
        return SummarySerializer(
            [{"category": row.category, "rate": row.rate, "base": row.base, "tax": row.tax} for row in totals.summary],
            many=True,
        ).data

    def get_legal_notes(self, obj: Any) -> list[str]:
        return legal_notes((line.tax_category for line in self._lines(obj)), obj.language or "en")


class DocumentDateField(BoundedDateField):
    """A bounded date whose output is the plain date's, so the lists read it from the column."""

    plain_output = True


class SeriesField(serializers.RegexField):
    """The invoice series: checked on input, written as the plain text it is."""

    plain_output = True


@extend_schema_field(OpenApiTypes.STR)
class ContactNameField(serializers.Field[Any, Any, Any, Any]):
    """The document's contact as its name, or None without one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="contact", read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return instance.contact if instance.contact_id is not None else None

    def to_representation(self, value: Any) -> str:
        return str(value)


def _contact_name(first: str | None, last: str | None) -> str | None:
    """``str(contact)`` from its columns; None without a contact."""
    if first is None and last is None:
        return None
    return f"{first or ''} {last or ''}".strip()


class QuoteSerializer(RecordSerializer):
    opportunity_id = ScopedRelatedField(
        "sales.Opportunity", source="opportunity", help_text="The deal the quote is for."
    )
    opportunity_name = serializers.CharField(source="opportunity.name", read_only=True)
    account_id = serializers.IntegerField(read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    contact_id = ScopedRelatedField("accounts.Contact", source="contact", required=False, allow_null=True)
    contact_name = ContactNameField()
    # The same values from columns, for the list's fast read path (crm/records/rows.py).
    row_fields: ClassVar[dict[str, tuple[tuple[str, ...], Any]]] = {
        "contact_name": (("contact__first_name", "contact__last_name"), _contact_name),
    }
    order_id = serializers.IntegerField(read_only=True, allow_null=True)
    order_number = serializers.CharField(source="order.order_number", read_only=True, default=None, allow_null=True)
    expiration_date = DocumentDateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=[("", "Default"), *Language.choices], required=False)
    net_total = serializers.DecimalField(**MONEY)
    tax_total = serializers.DecimalField(**MONEY)
    gross_total = serializers.DecimalField(**MONEY)

    class Meta:
        model = Quote
        fields = QUOTE_FIELDS.serializer_fields(RecordSerializer.record_fields)
        read_only_fields = ["quote_number", "is_synced"]


class QuoteUpdateSerializer(QuoteSerializer):
    opportunity_id = serializers.IntegerField(read_only=True)


class QuoteRecordSerializer(DocumentSerializerMixin, QuoteSerializer):
    line_items = QuoteLineSerializer(many=True, read_only=True)

    class Meta(QuoteSerializer.Meta):
        fields = [*QuoteSerializer.Meta.fields, "line_items", "vat_summary", "legal_notes", "accepted_at"]


class QuoteRowSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = Quote
        fields = ["id", "quote_number", "name", "status", "expiration_date", "is_synced", "gross_total", "version"]


class InvoiceSerializer(RecordSerializer):
    account_id = ScopedRelatedField("accounts.Account", source="account")
    account_name = serializers.CharField(source="account.name", read_only=True)
    contact_id = ScopedRelatedField("accounts.Contact", source="contact", required=False, allow_null=True)
    contact_name = serializers.CharField(source="linked_contact_name", read_only=True, allow_null=True)
    # The same values from columns, for the list's fast read path (crm/records/rows.py).
    # The names of linked records come from ``views.invoice_annotations`` (scalar subqueries).
    order_id = serializers.IntegerField(read_only=True, allow_null=True)
    order_number = serializers.CharField(source="linked_order_number", read_only=True, allow_null=True)
    contract_id = serializers.IntegerField(read_only=True, allow_null=True)
    contract_number = serializers.CharField(source="linked_contract_number", read_only=True, allow_null=True)
    credited_invoice_id = serializers.IntegerField(read_only=True, allow_null=True)
    credited_invoice_number = serializers.CharField(
        source="linked_credited_invoice_number", read_only=True, allow_null=True
    )
    service_period_start = DocumentDateField(required=False, allow_null=True)
    service_period_end = DocumentDateField(required=False, allow_null=True)
    issue_date = DocumentDateField(read_only=True, allow_null=True)
    due_date = DocumentDateField(read_only=True, allow_null=True)
    language = serializers.ChoiceField(choices=[("", "Default"), *Language.choices], required=False)
    series = SeriesField(r"^[A-Z0-9]{1,10}$", required=False, help_text="1 to 10 capital letters or digits.")
    net_total = serializers.DecimalField(**MONEY)
    tax_total = serializers.DecimalField(**MONEY)
    gross_total = serializers.DecimalField(**MONEY)
    amount_paid = serializers.DecimalField(**MONEY)
    amount_credited = serializers.DecimalField(**MONEY)
    balance_due = serializers.DecimalField(**MONEY)

    class Meta:
        model = Invoice
        fields = INVOICE_FIELDS.serializer_fields(RecordSerializer.record_fields)
        read_only_fields = ["number", "kind", "status", "issue_date", "due_date"]


class InvoiceCreateSerializer(InvoiceSerializer):
    line_items = InvoiceLineSerializer(many=True, required=False)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "line_items"]


class InvoiceUpdateSerializer(InvoiceSerializer):
    account_id = serializers.IntegerField(read_only=True)


class AllocationSerializer(serializers.ModelSerializer[Any]):
    payment_date = serializers.DateField(source="payment.payment_date", read_only=True)
    payment_method = serializers.CharField(source="payment.payment_method", read_only=True)
    payment_status = serializers.CharField(source="payment.status", read_only=True)

    class Meta:
        model = PaymentAllocation
        fields = ["id", "payment_id", "invoice_id", "amount", "payment_date", "payment_method", "payment_status"]


class InvoiceRecordSerializer(DocumentSerializerMixin, InvoiceSerializer):
    line_items = InvoiceLineSerializer(many=True, read_only=True)
    allocations = AllocationSerializer(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta(InvoiceSerializer.Meta):
        fields = [
            *InvoiceSerializer.Meta.fields,
            "line_items",
            "vat_summary",
            "legal_notes",
            "allocations",
            "has_document",
        ]

    def get_has_document(self, obj: Invoice) -> bool:
        stored = getattr(obj, "linked_has_document", None)
        if stored is not None:  # annotated by views.invoice_annotations: no PDF bytes read
            return bool(stored)
        return hasattr(obj, "document")


class InvoiceRowSerializer(serializers.ModelSerializer[Any]):
    balance_due = serializers.DecimalField(**MONEY)

    class Meta:
        model = Invoice
        fields = ["id", "number", "kind", "status", "issue_date", "due_date", "gross_total", "balance_due", "version"]


class SelectedOrderLineSerializer(serializers.Serializer[Any]):
    order_line_id = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False)


class OrderInvoiceSerializer(serializers.Serializer[Any]):
    lines = SelectedOrderLineSerializer(many=True, required=False, help_text="Omit to invoice the whole order.")
    vat_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"), required=False
    )
    tax_category = serializers.ChoiceField(choices=TaxCategory.choices, required=False)
    payment_terms_days = serializers.IntegerField(min_value=0, max_value=365, required=False)


class ContractInvoiceSerializer(serializers.Serializer[Any]):
    period_start = BoundedDateField(
        required=False, help_text="A cycle's first day; the first one not invoiced by default."
    )


class SelectedInvoiceLineSerializer(serializers.Serializer[Any]):
    line_id = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False)


class CreditNoteSerializer(serializers.Serializer[Any]):
    lines = SelectedInvoiceLineSerializer(many=True, required=False, help_text="Omit to credit the whole invoice.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class AllocateSerializer(serializers.Serializer[Any]):
    payment_id = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), required=False)


class IssueSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, required=False, help_text="The version you read (optional).")


class MrrQuerySerializer(serializers.Serializer[Any]):
    start = serializers.RegexField(r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="First month, YYYY-MM.")
    months = serializers.IntegerField(min_value=1, max_value=36, default=12, required=False)


class MrrMonthSerializer(serializers.Serializer[Any]):
    month = serializers.CharField()
    mrr = serializers.DecimalField(max_digits=20, decimal_places=2)
    new = serializers.DecimalField(max_digits=20, decimal_places=2)
    expansion = serializers.DecimalField(max_digits=20, decimal_places=2)
    contraction = serializers.DecimalField(max_digits=20, decimal_places=2)
    churn = serializers.DecimalField(max_digits=20, decimal_places=2)
    accounts = serializers.IntegerField()


class MrrReportSerializer(serializers.Serializer[Any]):
    start = serializers.CharField()
    months = MrrMonthSerializer(many=True)


class YearQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class RetainerInvoicedSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    months = serializers.ListField(child=serializers.IntegerField())
    invoiced = serializers.ListField(child=serializers.DecimalField(max_digits=20, decimal_places=2))
    paid = serializers.ListField(child=serializers.DecimalField(max_digits=20, decimal_places=2))
    total_invoiced = serializers.DecimalField(max_digits=20, decimal_places=2)
    total_paid = serializers.DecimalField(max_digits=20, decimal_places=2)


# --- document templates ------------------------------------------------------------------------------
class DocumentTemplateSerializer(serializers.ModelSerializer[Any]):
    html = serializers.CharField(max_length=200_000, trim_whitespace=False)
    css = serializers.CharField(max_length=100_000, allow_blank=True, required=False, trim_whitespace=False)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Required on update: the version you read."
    )

    class Meta:
        model = DocumentTemplate
        fields = ["id", "doc_type", "name", "html", "css", "version", "updated_at"]
        read_only_fields = ["doc_type", "updated_at"]


class DocumentTemplateVersionSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = DocumentTemplateVersion
        fields = ["id", "number", "html", "css", "created_at", "created_by_id"]


class PreviewRecordSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["quote", "invoice"])
    id = serializers.IntegerField(min_value=1)


class PreviewSerializer(serializers.Serializer[Any]):
    html = serializers.CharField(max_length=200_000, required=False, trim_whitespace=False)
    css = serializers.CharField(max_length=100_000, required=False, allow_blank=True, trim_whitespace=False)
    record = PreviewRecordSerializer()
    format = serializers.ChoiceField(choices=["pdf", "html"], default="pdf", required=False)


class RevertSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(min_value=1, help_text="The version to go back to.")
    version = serializers.IntegerField(min_value=1, help_text="The template's version you read.")


class SendSerializer(serializers.Serializer[Any]):
    to = serializers.EmailField(required=False, help_text="Defaults to the document's contact.")
    cc = serializers.ListField(
        child=serializers.EmailField(), required=False, max_length=10, help_text="Addresses copied on the mail."
    )
    subject = serializers.CharField(max_length=255, required=False, help_text="Defaults to the document and number.")
    message = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    idempotency_key = serializers.CharField(
        max_length=100, required=False, help_text="Or the Idempotency-Key header; a repeated key sends nothing again."
    )


class SendDefaultsSerializer(serializers.Serializer[Any]):
    to = serializers.CharField(help_text="The contact's address, empty when it has none.")
    cc = serializers.ListField(child=serializers.CharField())
    subject = serializers.CharField()
    message = serializers.CharField()


class PaymentLogSerializer(serializers.Serializer[Any]):
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), required=False, help_text="Defaults to the balance."
    )
    payment_date = BoundedDateField()
    payment_method = serializers.ChoiceField(choices=Payment.Method.choices)
    transaction_id = serializers.CharField(max_length=255, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
