from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

import django_filters
from django.db import connection
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import Contact
from crm.billing.models import Contract, Order
from crm.core.errors import ApplicationError
from crm.core.scoping import unrestricted
from crm.core.views import OrgScopedViewMixin, ScopedAPIView
from crm.identity.permissions import IsOrgAdmin, request_user
from crm.records.api import RecordFilterSet, RecordViewSet, check_record_writable, record_viewset_schema
from crm.records.models import Record

from .. import selectors
from ..documents import render as documents
from ..models import (
    DocumentTemplate,
    Invoice,
    InvoiceLineItem,
    PaymentAllocation,
    Quote,
    QuoteLineItem,
    StoredDocument,
)
from ..services import delivery, templates
from ..services import invoices as invoice_services
from ..services import payments as payment_services
from ..services import quotes as quote_services
from . import serializers as s


def _lines(model: type) -> Prefetch:
    return Prefetch("line_items", queryset=model.all_orgs.select_related("product").order_by("id"))


def _pdf_response(pdf: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _idempotency_key(request: Request, body: dict[str, Any]) -> str | None:
    return body.get("idempotency_key") or request.headers.get("Idempotency-Key") or None


# --- quotes -----------------------------------------------------------------------------------------
class QuoteFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Quote.Status.choices, distinct=False)
    opportunity_id = django_filters.NumberFilter()
    account_id = django_filters.NumberFilter()

    class Meta:
        model = Quote
        fields: list[str] = []


class QuoteViewSet(RecordViewSet):
    """Quotes of an opportunity; one of them is synced with the opportunity's products."""

    model = Quote
    serializer_class = s.QuoteSerializer
    detail_serializer_class = s.QuoteRecordSerializer
    filterset_class = QuoteFilter
    list_select_related = ("owner", "account", "opportunity", "contact", "order")
    search_fields = ["quote_number", "name", "account__name"]
    ordering_fields = ["quote_number", "name", "status", "expiration_date", "gross_total", "account_name", "created_at"]
    ordering_aliases = {"owner": "owner__name", "account_name": "account__name"}
    ordering = ["-created_at", "-id"]
    detail_prefetch = (_lines(QuoteLineItem),)
    # DELETE only on a line (a quote itself is never deleted: no destroy route exists).
    http_method_names = [*RecordViewSet.http_method_names, "delete"]

    def write_serializer(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["context"] = self.get_serializer_context()
        if args:  # an update: the opportunity is fixed
            return s.QuoteUpdateSerializer(*args, **kwargs)
        return s.QuoteSerializer(*args, **kwargs)

    def create_record(self, data: dict[str, Any]) -> Record:
        opportunity = data.pop("opportunity")
        check_record_writable(opportunity)
        return quote_services.quote_create(opportunity_id=opportunity.pk, data=data, actor=request_user(self.request))

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        return quote_services.quote_update(
            quote_id=record.pk, data=data, expected_version=version, actor=request_user(self.request)
        )

    @extend_schema(
        tags=["quotes"],
        request=s.QuoteLineCreateSerializer,
        responses={200: s.QuoteLineSerializer(many=True), 201: s.QuoteLineSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="line_items", filter_backends=[], pagination_class=None)
    def line_items(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The quote's lines; POST adds one (on the synced quote, the opportunity gets it too)."""
        quote = self.get_object()
        if request.method == "GET":
            rows = QuoteLineItem.objects.filter(quote=quote).select_related("product").order_by("id")
            return Response(s.QuoteLineSerializer(rows, many=True).data)
        body = s.QuoteLineCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        line = quote_services.quote_line_add(
            quote_id=quote.pk, data=dict(body.validated_data), actor=request_user(request)
        )
        return Response(s.QuoteLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["quotes"], request=s.QuoteLineSerializer, responses={200: s.QuoteLineSerializer, 204: None})
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"line_items/(?P<line_id>[0-9]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def line_item(self, request: Request, line_id: str, *args: Any, **kwargs: Any) -> Response:
        """Change (send the line's version) or remove a line."""
        quote = self.get_object()
        return document_line_change(
            request,
            lines=QuoteLineItem.objects.filter(quote=quote),
            line_id=line_id,
            serializer=s.QuoteLineSerializer,
            update=partial(quote_services.quote_line_update, quote_id=quote.pk),
            delete=partial(quote_services.quote_line_delete, quote_id=quote.pk),
        )

    @extend_schema(tags=["quotes"], request=None, responses={200: s.QuoteRecordSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def sync(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start Sync: this quote becomes the synced one; the opportunity's lines become its lines."""
        quote = self.get_object()
        check_record_writable(quote.opportunity)
        quote = quote_services.quote_start_sync(quote_id=quote.pk, actor=request_user(request))
        self.action = "retrieve"
        return Response(self.read_back(quote))

    @extend_schema(tags=["quotes"], request=None, responses={200: s.QuoteRecordSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def unsync(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Stop Sync: the quote stops mirroring its opportunity; both keep their lines."""
        quote = self.get_object()
        quote = quote_services.quote_stop_sync(quote_id=quote.pk, actor=request_user(request))
        self.action = "retrieve"
        return Response(self.read_back(quote))

    @extend_schema(tags=["quotes"], request=None, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def accept(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Accept the quote: the opportunity becomes Closed Won with its lines and the order is generated."""
        quote = self.get_object()
        order = quote_services.quote_accept(quote_id=quote.pk, actor=request_user(request))
        self.action = "retrieve"
        return Response(
            {"quote": self.read_back(quote), "order": {"id": order.pk, "order_number": order.order_number}},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(tags=["quotes"], responses={(200, "application/pdf"): OpenApiTypes.BINARY}, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def pdf(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        """The quote as PDF, rendered now with the organization's quote template."""
        quote = self.get_object()
        rendered = documents.render_record(kind="quote", record_id=quote.pk)
        return _pdf_response(rendered.pdf, f"{quote.quote_number}.pdf", download="download" in request.query_params)

    @extend_schema(tags=["quotes"], methods=["GET"], request=None, responses={200: s.SendDefaultsSerializer})
    @extend_schema(tags=["quotes"], methods=["POST"], request=s.SendSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def send(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """GET: what the send dialog starts from. POST: mail the quote's PDF to its contact (or ``to``),
        copied to ``cc``; a repeated idempotency key sends nothing again."""
        quote = self.get_object()
        return _send(request, kind="quote", record_id=quote.pk)


def _send(request: Request, *, kind: str, record_id: int) -> Response:
    if request.method == "GET":
        defaults = delivery.send_defaults(
            kind=kind, record_id=record_id, organization_id=request_user(request).organization_id
        )
        return Response({"to": defaults.to, "cc": [], "subject": defaults.subject, "message": defaults.message})
    body = s.SendSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    result = delivery.document_send(
        kind=kind,
        record_id=record_id,
        actor_id=request_user(request).pk,
        to=data.get("to"),
        cc=data.get("cc"),
        subject=data.get("subject"),
        message=data.get("message", ""),
        idempotency_key=_idempotency_key(request, data),
    )
    return Response(
        {
            "delivery_id": result.delivery.pk,
            "to": result.delivery.recipient,
            "cc": [address for address in result.delivery.cc.split(", ") if address],
            "subject": result.delivery.subject,
            "sent": result.sent,
            "sent_at": result.delivery.sent_at,
        },
        status=status.HTTP_200_OK,
    )


# --- invoices ---------------------------------------------------------------------------------------
def _linked_value(model: Any, key: str, *columns: str) -> RawSQL:
    """A scalar subquery reading ``columns`` (joined by a space and trimmed, when several) of the
    ``model`` row that the invoice's foreign key ``key`` points at.

    Written as SQL over the models' own table and column names: the ORM's Subquery costs more to
    build and compile (a queryset, its scoped manager, the outer reference) than the database
    takes to run it, on every list request. The invoice is the query's base table, which Django
    names by its table name; an invoice list is never nested as a subquery (it is paged)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    value = " || ' ' || ".join(f"u.{quote(model._meta.get_field(name).column)}" for name in columns)
    if len(columns) > 1:
        value = f"TRIM({value})"
    outer = f"{quote(Invoice._meta.db_table)}.{quote(Invoice._meta.get_field(key).column)}"
    return RawSQL(f"SELECT {value} FROM {table} u WHERE u.id = {outer}", (), output_field=CharField())  # noqa: S608, S611


def invoice_annotations(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """The balance, and the names of the contact, order, contract and credited invoice as scalar
    subqueries (``linked_*``), so that lists and record pages join only the owner and the account:
    with seven joined tables, planning alone took tens of milliseconds per request (a scalar
    subquery per name plans in well under one)."""
    return queryset.annotate(
        balance_due=F("gross_total") - F("amount_paid") - F("amount_credited"),
        linked_contact_name=_linked_value(Contact, "contact", "first_name", "last_name"),
        linked_order_number=_linked_value(Order, "order", "order_number"),
        linked_contract_number=_linked_value(Contract, "contract", "contract_number"),
        linked_credited_invoice_number=_linked_value(Invoice, "credited_invoice", "number"),
    )


def invoice_detail_annotations(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """The list's annotations plus what only the record page shows (whether a PDF is stored)."""
    return invoice_annotations(queryset).annotate(
        linked_has_document=Exists(StoredDocument.all_orgs.filter(invoice_id=OuterRef("pk")))
    )


class InvoiceFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Invoice.Status.choices, distinct=False)
    kind = django_filters.ChoiceFilter(choices=Invoice.Kind.choices)
    account_id = django_filters.NumberFilter()
    order_id = django_filters.NumberFilter()
    contract_id = django_filters.NumberFilter()
    credited_invoice_id = django_filters.NumberFilter()
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt")

    class Meta:
        model = Invoice
        fields: list[str] = []


class InvoiceViewSet(RecordViewSet):
    """Invoices and credit notes. A draft changes freely; an issued one only through a credit note."""

    model = Invoice
    serializer_class = s.InvoiceSerializer
    detail_serializer_class = s.InvoiceRecordSerializer
    filterset_class = InvoiceFilter
    list_select_related = ("owner", "account")  # the other names: invoice_annotations
    search_fields = ["number", "account__name"]
    ordering_fields = [
        "number",
        "status",
        "issue_date",
        "due_date",
        "gross_total",
        "balance_due",
        "account_name",
        "created_at",
    ]
    ordering_aliases = {"owner": "owner__name", "account_name": "account__name"}
    ordering = ["-created_at", "-id"]
    http_method_names = [*RecordViewSet.http_method_names, "delete"]
    detail_prefetch = (
        _lines(InvoiceLineItem),
        Prefetch("allocations", queryset=PaymentAllocation.all_orgs.select_related("payment").order_by("id")),
    )

    def annotate_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action == "list":
            return invoice_annotations(queryset)
        return invoice_detail_annotations(queryset)

    def filter_list_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset  # invoices are never deactivated

    def write_serializer(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["context"] = self.get_serializer_context()
        if args:
            return s.InvoiceUpdateSerializer(*args, **kwargs)
        return s.InvoiceCreateSerializer(*args, **kwargs)

    def create_record(self, data: dict[str, Any]) -> Record:
        lines = data.pop("line_items", [])
        return invoice_services.invoice_create(
            data=data, lines=[dict(line) for line in lines], actor=request_user(self.request)
        )

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        return invoice_services.invoice_update(
            invoice_id=record.pk, data=data, expected_version=version, actor=request_user(self.request)
        )

    def _detail(self, invoice: Invoice, code: int = status.HTTP_200_OK) -> Response:
        self.action = "retrieve"
        return Response(self.read_back(invoice), status=code)

    @extend_schema(
        tags=["invoices"],
        request=s.InvoiceLineSerializer,
        responses={200: s.InvoiceLineSerializer(many=True), 201: s.InvoiceLineSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="line_items", filter_backends=[], pagination_class=None)
    def line_items(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The invoice's lines; POST adds one to a draft (409 once issued)."""
        invoice = self.get_object()
        if request.method == "GET":
            rows = InvoiceLineItem.objects.filter(invoice=invoice).select_related("product").order_by("id")
            return Response(s.InvoiceLineSerializer(rows, many=True).data)
        body = s.InvoiceLineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        line = invoice_services.invoice_line_add(
            invoice_id=invoice.pk, data=dict(body.validated_data), actor=request_user(request)
        )
        return Response(s.InvoiceLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["invoices"], request=s.InvoiceLineSerializer, responses={200: s.InvoiceLineSerializer, 204: None}
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"line_items/(?P<line_id>[0-9]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def line_item(self, request: Request, line_id: str, *args: Any, **kwargs: Any) -> Response:
        """Change (send the line's version) or remove a line of a draft."""
        invoice = self.get_object()
        return document_line_change(
            request,
            lines=InvoiceLineItem.objects.filter(invoice=invoice),
            line_id=line_id,
            serializer=s.InvoiceLineSerializer,
            update=partial(invoice_services.invoice_line_update, invoice_id=invoice.pk),
            delete=partial(invoice_services.invoice_line_delete, invoice_id=invoice.pk),
        )

    @extend_schema(tags=["invoices"], request=s.IssueSerializer, responses=s.InvoiceRecordSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def issue(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Issue a draft: it gets its number (gapless per series and year), issue date and due date."""
        invoice = self.get_object()
        body = s.IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        issued = invoice_services.invoice_issue(
            invoice_id=invoice.pk, actor=request_user(request), expected_version=body.validated_data.get("version")
        )
        return self._detail(issued)

    @extend_schema(tags=["invoices"], request=s.CreditNoteSerializer, responses={201: s.InvoiceRecordSerializer})
    @action(detail=True, methods=["post"], url_path="credit-note", filter_backends=[], pagination_class=None)
    def credit_note(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Issue a credit note for the whole invoice (which cancels it) or for selected lines."""
        invoice = self.get_object()
        body = s.CreditNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lines = body.validated_data.get("lines")
        note = invoice_services.invoice_credit(
            invoice_id=invoice.pk,
            actor=request_user(request),
            selection=[dict(line) for line in lines] if lines is not None else None,
            reason=body.validated_data.get("reason", ""),
        )
        return self._detail(note, status.HTTP_201_CREATED)

    @extend_schema(tags=["invoices"], request=s.AllocateSerializer, responses={201: s.InvoiceRecordSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def allocations(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Allocate (part of) a completed payment of the invoice's order, contract or account to it."""
        invoice = self.get_object()
        body = s.AllocateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not invoice.__class__.objects.filter(pk=invoice.pk).exists():  # pragma: no cover - scoped above
            raise ApplicationError("not_found", _("Not found."), status_code=404)
        from crm.billing.models import Payment

        get_object_or_404(Payment.objects.all(), pk=body.validated_data["payment_id"])
        payment_services.invoice_allocate(
            invoice_id=invoice.pk,
            payment_id=body.validated_data["payment_id"],
            amount=body.validated_data.get("amount"),
            actor=request_user(request),
        )
        return self._detail(invoice, status.HTTP_201_CREATED)

    @extend_schema(tags=["invoices"], request=s.PaymentLogSerializer, responses={201: s.InvoiceRecordSerializer})
    @action(detail=True, methods=["post"], url_path="payments", filter_backends=[], pagination_class=None)
    def log_payment(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Log a payment for the invoice on its order or contract and allocate it (amount defaults to the balance)."""
        invoice = self.get_object()
        body = s.PaymentLogSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment_services.invoice_log_payment(
            invoice_id=invoice.pk, data=dict(body.validated_data), actor=request_user(request)
        )
        return self._detail(invoice, status.HTTP_201_CREATED)

    @extend_schema(tags=["invoices"], responses={(200, "application/pdf"): OpenApiTypes.BINARY}, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def pdf(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        """The invoice as PDF. An issued invoice's PDF is stored when first rendered and returned byte for byte after."""
        invoice = self.get_object()
        pdf = documents.invoice_pdf(invoice_id=invoice.pk)
        name = invoice.number or f"draft-{invoice.pk}"
        return _pdf_response(pdf, f"{name}.pdf", download="download" in request.query_params)

    @extend_schema(tags=["invoices"], methods=["GET"], request=None, responses={200: s.SendDefaultsSerializer})
    @extend_schema(tags=["invoices"], methods=["POST"], request=s.SendSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def send(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """GET: what the send dialog starts from. POST: mail the issued invoice's PDF, copied to ``cc``;
        a repeated idempotency key sends nothing again."""
        invoice = self.get_object()
        return _send(request, kind="invoice", record_id=invoice.pk)


# --- invoices from orders and contracts --------------------------------------------------------------
class OrderInvoicesView(ScopedAPIView):
    @extend_schema(tags=["invoices"], request=s.OrderInvoiceSerializer, responses={201: s.InvoiceRecordSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Draft an invoice of the whole order (``{}``) or of selected lines and quantities."""
        order = get_object_or_404(Order.objects.all(), pk=pk)
        check_record_writable(order)
        body = s.OrderInvoiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        lines = data.get("lines")
        extra = {"payment_terms_days": data["payment_terms_days"]} if "payment_terms_days" in data else {}
        invoice = invoice_services.invoice_create_from_order(
            order_id=order.pk,
            actor=request_user(request),
            selection=[dict(line) for line in lines] if lines is not None else None,
            vat_rate=data.get("vat_rate"),
            tax_category=data.get("tax_category"),
            data=extra,
        )
        return Response(invoice_detail(invoice.pk), status=status.HTTP_201_CREATED)


class ContractInvoicesView(ScopedAPIView):
    @extend_schema(tags=["invoices"], request=s.ContractInvoiceSerializer, responses={201: s.InvoiceRecordSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Draft the invoice of one billing cycle of the contract (the first one not invoiced by default)."""
        contract = get_object_or_404(Contract.objects.all(), pk=pk)
        check_record_writable(contract)
        body = s.ContractInvoiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invoice = invoice_services.invoice_create_from_contract(
            contract_id=contract.pk, period_start=body.validated_data.get("period_start"), actor=request_user(request)
        )
        return Response(invoice_detail(invoice.pk), status=status.HTTP_201_CREATED)


def invoice_detail(invoice_id: int) -> dict[str, Any]:
    """The invoice the caller just drafted from an order or contract they may edit (it belongs to the
    order's or contract's owner, so read it back past sharing, as every create does)."""
    with unrestricted():
        invoice = (
            invoice_detail_annotations(Invoice.objects.select_related(*InvoiceViewSet.list_select_related))
            .prefetch_related(*InvoiceViewSet.detail_prefetch)
            .get(pk=invoice_id)
        )
        return s.InvoiceRecordSerializer(invoice).data


# --- reports ----------------------------------------------------------------------------------------
class MrrReportView(ScopedAPIView):
    @extend_schema(tags=["reports"], parameters=[s.MrrQuerySerializer], responses=s.MrrReportSerializer)
    def get(self, request: Request) -> Response:
        """Monthly recurring revenue from contracts: MRR, new, expansion, contraction and churn by month."""
        query = s.MrrQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        months = query.validated_data.get("months", 12)
        if "start" in query.validated_data:
            year, month = (int(part) for part in query.validated_data["start"].split("-"))
            start = datetime.date(year, month, 1)
        else:
            today = timezone.localdate().replace(day=1)
            index = today.year * 12 + today.month - 1 - (months - 1)
            start = datetime.date(index // 12, index % 12 + 1, 1)
        return Response(selectors.mrr_report(start=start, months=months))


class RetainerInvoicedReportView(ScopedAPIView):
    @extend_schema(tags=["reports"], parameters=[s.YearQuerySerializer], responses=s.RetainerInvoicedSerializer)
    def get(self, request: Request) -> Response:
        """Per month of the service period: what contracts' invoices billed next to what of it is paid."""
        query = s.YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(selectors.retainer_invoiced_report(year=query.validated_data["year"]))


# --- document templates -----------------------------------------------------------------------------
class DocumentTemplateViewSet(
    OrgScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[DocumentTemplate]
):
    """The organization's document templates (admins): one per document type, versioned on every save."""

    serializer_class = s.DocumentTemplateSerializer
    permission_classes = [IsOrgAdmin]
    pagination_class = None
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[DocumentTemplate]:
        if getattr(self, "swagger_fake_view", False):
            return DocumentTemplate.all_orgs.none()
        templates.templates_ensure_defaults()
        return DocumentTemplate.objects.order_by("id")

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        template = self.get_object()
        body = s.DocumentTemplateSerializer(template, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if "version" not in body.validated_data:
            raise ApplicationError(
                "validation_error", _("Please correct the errors below."), {"version": _("This field is required.")}
            )
        saved = templates.template_save(
            template_id=template.pk,
            data={key: value for key, value in body.validated_data.items() if key in ("name", "html", "css")},
            expected_version=body.validated_data["version"],
            actor=request_user(request),
        )
        return Response(s.DocumentTemplateSerializer(saved).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    @extend_schema(responses=s.DocumentTemplateVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Every saved version, newest first."""
        template = self.get_object()
        return Response(
            s.DocumentTemplateVersionSerializer(template.versions.order_by("-number")[:200], many=True).data
        )

    @extend_schema(request=s.RevertSerializer, responses=s.DocumentTemplateSerializer)
    @action(detail=True, methods=["post"])
    def revert(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Make an older version current again (saved as a new version)."""
        template = self.get_object()
        body = s.RevertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = templates.template_revert(
            template_id=template.pk,
            number=body.validated_data["number"],
            expected_version=body.validated_data["version"],
            actor=request_user(request),
        )
        return Response(s.DocumentTemplateSerializer(saved).data)

    @extend_schema(
        request=s.PreviewSerializer,
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "text/html"): OpenApiTypes.STR,
            400: OpenApiResponse(description="The template does not compile or render: line and message."),
        },
    )
    @action(detail=True, methods=["post"])
    def preview(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        """Render unsaved HTML/CSS (or the saved template) with a real quote or invoice, as PDF or HTML."""
        template = self.get_object()
        body = s.PreviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = data["record"]
        model = Quote if record["type"] == "quote" else Invoice
        get_object_or_404(model.objects.all(), pk=record["id"])
        rendered = documents.render_record(
            kind=record["type"],
            record_id=record["id"],
            doc_type=template.doc_type,
            html=data.get("html", template.html),
            css=data.get("css", template.css),
            output=data.get("format", "pdf"),
        )
        if data.get("format") == "html":
            response = HttpResponse(rendered.html, content_type="text/html; charset=utf-8")
            response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
            return response
        return _pdf_response(rendered.pdf, "preview.pdf", download=False)


record_viewset_schema(QuoteViewSet, "quotes")
record_viewset_schema(InvoiceViewSet, "invoices")


def document_line_change(
    request: Request,
    *,
    lines: Any,
    line_id: str,
    serializer: type[Any],
    update: Callable[..., Any],
    delete: Callable[..., None],
) -> Response:
    """PATCH (with the line's version) or DELETE (``?version=``) one line of a quote or an invoice."""
    get_object_or_404(lines, pk=line_id)
    version = s.LineUpdateSerializer(data=request.data if request.method == "PATCH" else request.query_params)
    version.is_valid(raise_exception=True)
    expected = version.validated_data["version"]
    if request.method == "DELETE":
        delete(line_id=int(line_id), expected_version=expected, actor=request_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
    body = serializer(data=request.data, partial=True)
    body.is_valid(raise_exception=True)
    line = update(
        line_id=int(line_id), data=dict(body.validated_data), expected_version=expected, actor=request_user(request)
    )
    return Response(serializer(line).data)
