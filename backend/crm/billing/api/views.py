from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.errors import ApplicationError
from crm.core.views import ScopedAPIView
from crm.records.api import RecordFilterSet, RecordViewSet, check_record_writable, record_viewset_schema
from crm.records.models import Record
from crm.sales.models import Opportunity

from .. import selectors, services
from ..models import Contract, ContractLineItem, Order, OrderLineItem, Payment
from . import serializers as s


def _line_prefetch(model: type, order_by: tuple[str, ...] = ("id",)) -> Prefetch:
    # Declared at import, like the payments: the rows follow the (scoped) parent record.
    return Prefetch("line_items", queryset=model.all_orgs.select_related("product").order_by(*order_by))


def _payments_prefetch() -> Prefetch:
    return Prefetch("payments", queryset=Payment.all_orgs.order_by("-payment_date", "-id"))


# --- orders ---------------------------------------------------------------------------------------
class OrderFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Order.Status.choices)
    account_id = django_filters.NumberFilter()
    opportunity_id = django_filters.NumberFilter()
    order_date_from = django_filters.DateFilter(field_name="order_date", lookup_expr="gte")
    order_date_to = django_filters.DateFilter(field_name="order_date", lookup_expr="lte")
    has_balance = django_filters.BooleanFilter(method="filter_has_balance")

    class Meta:
        model = Order
        fields: list[str] = []

    def filter_has_balance(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(balance_due__gt=0) if value else queryset.filter(balance_due__lte=0)


class OrderViewSet(RecordViewSet):
    """Orders come only from "Generate Order" on a won opportunity; afterwards only the status changes."""

    model = Order
    serializer_class = s.OrderSerializer
    detail_serializer_class = s.OrderRecordSerializer
    filterset_class = OrderFilter
    list_select_related = ("owner", "account", "opportunity")
    search_fields = ["order_number", "account__name"]
    ordering_fields = [
        "order_number",
        "order_date",
        "status",
        "account_name",
        "owner",
        "total",
        "amount_paid",
        "balance_due",
        "created_at",
    ]
    ordering_aliases = {"owner": "owner__name", "account_name": "account__name"}
    ordering = ["-order_date", "-id"]
    detail_prefetch = (_line_prefetch(OrderLineItem), _payments_prefetch())

    def annotate_queryset(self, queryset: QuerySet) -> QuerySet:
        return selectors.order_with_totals(queryset)

    def filter_list_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset  # orders are never deactivated

    creatable = False
    create_hint = gettext_lazy("Orders are generated from a won opportunity (generate-order).")

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        return services.order_update(order_id=record.pk, data=data, expected_version=version, actor=self.request.user)

    @extend_schema(tags=["orders"], request=s.VersionOnlySerializer, responses=s.OrderRecordSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Cancel an order that is not fulfilled (send the version you read)."""
        order = self.get_object()
        body = s.VersionOnlySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.order_cancel(order_id=order.pk, expected_version=body.validated_data["version"], actor=request.user)
        self.action = "retrieve"
        return Response(self.read_back(order))

    @extend_schema(tags=["payments"], request=s.PaymentSerializer, responses={201: s.PaymentSerializer})
    @action(detail=True, methods=["post"], url_path="payments", filter_backends=[], pagination_class=None)
    def log_payment(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Log a payment against the order; the order's status follows the amount paid."""
        order = self.get_object()
        return _log_payment(request, order_id=order.pk)


# --- payments -------------------------------------------------------------------------------------
class PaymentFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Payment.Status.choices)
    payment_method = django_filters.MultipleChoiceFilter(choices=Payment.Method.choices)
    order_id = django_filters.NumberFilter()
    contract_id = django_filters.NumberFilter()
    account_id = django_filters.NumberFilter(method="filter_account")
    payment_date_from = django_filters.DateFilter(field_name="payment_date", lookup_expr="gte")
    payment_date_to = django_filters.DateFilter(field_name="payment_date", lookup_expr="lte")

    class Meta:
        model = Payment
        fields: list[str] = []

    def filter_account(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(Q(order__account_id=value) | Q(contract__account_id=value))


def payment_queryset_annotations(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        payer_account_id=Coalesce(F("order__account_id"), F("contract__account_id")),
        payer_account_name=Coalesce(F("order__account__name"), F("contract__account__name")),
    )


def _payment_detail(payment_id: int) -> dict[str, Any]:
    payment = payment_queryset_annotations(
        Payment.objects.select_related("owner", "order", "contract").filter(pk=payment_id)
    ).get()
    return s.PaymentSerializer(payment).data


def _log_payment(request: Request, **parent: int) -> Response:
    body = s.PaymentSerializer(data=request.data, context={"request": request})
    body.is_valid(raise_exception=True)
    payment = services.payment_log(data=dict(body.validated_data), actor=request.user, **parent)
    return Response(_payment_detail(payment.pk), status=status.HTTP_201_CREATED)


class PaymentViewSet(RecordViewSet):
    """Money received for an order or a contract. Never deleted; voided with status "Void"."""

    model = Payment
    serializer_class = s.PaymentSerializer
    filterset_class = PaymentFilter
    list_select_related = ("owner", "order", "contract")
    search_fields = ["transaction_id", "order__order_number", "contract__contract_number"]
    ordering_fields = ["payment_date", "amount", "payment_method", "status", "owner", "account_name", "created_at"]
    ordering_aliases = {"owner": "owner__name", "account_name": "payer_account_name"}
    ordering = ["-payment_date", "-id"]

    def annotate_queryset(self, queryset: QuerySet) -> QuerySet:
        return payment_queryset_annotations(queryset)

    def filter_list_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset  # payments are voided, never deactivated

    creatable = False  # not through the generic create: `create` below logs it on its order or contract
    create_hint = gettext_lazy(
        "Log a payment on its order or contract: /orders/{id}/payments or /contracts/{id}/payments."
    )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Log a payment with `order_id` or `contract_id` in the body (seed 003 §1.7 clients); the same
        service as `POST /orders/{id}/payments` and `/contracts/{id}/payments`, under the same rules."""
        target = s.PaymentCreateSerializer(data=request.data)
        target.is_valid(raise_exception=True)
        name, model = ("order_id", Order) if target.validated_data.get("order_id") else ("contract_id", Contract)
        record_id = target.validated_data[name]
        # The parent as the caller may reach it: another organization's, or one they may not read, is a field error.
        parent = model.objects.filter(pk=record_id).first()
        if parent is None:
            raise ApplicationError(
                "validation_error",
                _("No such record."),
                {
                    name: _("No %(object_name)s with id %(record_id)s.")
                    % {"object_name": model.object_name, "record_id": record_id}
                },
            )
        check_record_writable(parent)
        return _log_payment(request, **{name: parent.pk})

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        return services.payment_update(
            payment_id=record.pk, data=data, expected_version=version, actor=self.request.user
        )


# --- contracts ------------------------------------------------------------------------------------
class ContractFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Contract.Status.choices)
    billing_cycle = django_filters.ChoiceFilter(choices=Contract.BillingCycle.choices)
    account_id = django_filters.NumberFilter()
    opportunity_id = django_filters.NumberFilter()
    renewed_from_id = django_filters.NumberFilter()
    start_date_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    end_date_to = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Contract
        fields: list[str] = []


class ContractViewSet(RecordViewSet):
    """Retainer agreements. Terms never change: a renewal is a new contract."""

    model = Contract
    serializer_class = s.ContractSerializer
    detail_serializer_class = s.ContractRecordSerializer
    filterset_class = ContractFilter
    list_select_related = ("owner", "account")
    search_fields = ["contract_number", "account__name"]
    ordering_fields = [
        "contract_number",
        "status",
        "start_date",
        "end_date",
        "billing_cycle",
        "account_name",
        "owner",
        "amount_per_cycle",
        "created_at",
    ]
    ordering_aliases = {"owner": "owner__name", "account_name": "account__name"}
    ordering = ["-start_date", "-id"]
    detail_prefetch = (_line_prefetch(ContractLineItem), _payments_prefetch())

    def annotate_queryset(self, queryset: QuerySet) -> QuerySet:
        return selectors.contract_with_totals(queryset)

    def filter_list_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset  # contracts end by status, never by deactivation

    creatable = False
    create_hint = gettext_lazy("Contracts are generated from a won opportunity (generate-contract).")

    def update_record(self, record: Record, data: dict[str, Any], version: int) -> Record:
        return services.contract_update(
            contract_id=record.pk, data=data, expected_version=version, actor=self.request.user
        )

    @extend_schema(tags=["contracts"], request=s.ContractRenewSerializer, responses={201: s.ContractRecordSerializer})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def renew(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create the next term as a new contract with the same services; the old terms stay unchanged."""
        contract = self.get_object()
        body = s.ContractRenewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        renewal = services.contract_renew(
            contract_id=contract.pk,
            start_date=body.validated_data["start_date"],
            end_date=body.validated_data["end_date"],
            billing_cycle=body.validated_data.get("billing_cycle"),
            actor=request.user,
        )
        self.action = "retrieve"
        return Response(self.read_back(renewal), status=status.HTTP_201_CREATED)

    @extend_schema(tags=["payments"], request=s.PaymentSerializer, responses={201: s.PaymentSerializer})
    @action(detail=True, methods=["post"], url_path="payments", filter_backends=[], pagination_class=None)
    def log_payment(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Log a retainer payment against the contract (give the service period it covers)."""
        contract = self.get_object()
        return _log_payment(request, contract_id=contract.pk)


# --- actions on opportunities ---------------------------------------------------------------------
def _order_detail(order_id: int) -> dict[str, Any]:
    order = (
        selectors.order_with_totals(Order.objects.select_related("owner", "account", "opportunity"))
        .prefetch_related(_line_prefetch(OrderLineItem), _payments_prefetch())
        .get(pk=order_id)
    )
    return s.OrderRecordSerializer(order).data


def _contract_detail(contract_id: int) -> dict[str, Any]:
    contract = (
        selectors.contract_with_totals(Contract.objects.select_related("owner", "account"))
        .prefetch_related(_line_prefetch(ContractLineItem), _payments_prefetch())
        .get(pk=contract_id)
    )
    return s.ContractRecordSerializer(contract).data


class OpportunityGenerateOrderView(ScopedAPIView):
    @extend_schema(tags=["orders"], request=None, responses={201: s.OrderRecordSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Freeze a won opportunity's line items into a new order (status Awaiting Payment)."""
        opportunity = get_object_or_404(Opportunity.objects.all(), pk=pk)
        check_record_writable(opportunity)
        order = services.order_generate(opportunity_id=opportunity.pk, actor=request.user)
        return Response(_order_detail(order.pk), status=status.HTTP_201_CREATED)


class OpportunityGenerateContractView(ScopedAPIView):
    @extend_schema(tags=["contracts"], request=s.ContractTermSerializer, responses={201: s.ContractRecordSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Create an Active retainer contract from a won opportunity whose products are all retainers."""
        opportunity = get_object_or_404(Opportunity.objects.all(), pk=pk)
        check_record_writable(opportunity)
        body = s.ContractTermSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contract = services.contract_generate(opportunity_id=opportunity.pk, actor=request.user, **body.validated_data)
        return Response(_contract_detail(contract.pk), status=status.HTTP_201_CREATED)


# --- reports --------------------------------------------------------------------------------------
class RetainerPaymentsReportView(ScopedAPIView):
    @extend_schema(tags=["reports"], parameters=[s.RetainerReportQuerySerializer], responses=s.RetainerReportSerializer)
    def get(self, request: Request) -> Response:
        """Completed payments per account for each month of the year, by service period start.

        One page of accounts (by name) with the totals of all of them; 404 past the last page.
        """
        query = s.RetainerReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(selectors.payment_retainer_report(**query.validated_data))


record_viewset_schema(OrderViewSet, "orders")
record_viewset_schema(PaymentViewSet, "payments")
# Seed 003 §1.7 forms, documented next to the richer ones: POST /payments with its parent's id, and
# an order cancelled by a status change.
extend_schema_view(
    create=extend_schema(
        tags=["payments"],
        request=s.PaymentCreateSerializer,
        responses={201: s.PaymentSerializer},
        exclude=False,
        description="Log a payment with exactly one of `order_id` or `contract_id`: the same service and rules as "
        "`POST /orders/{id}/payments` and `POST /contracts/{id}/payments`.",
    )
)(PaymentViewSet)
extend_schema_view(
    update=extend_schema(
        tags=["orders"],
        request=s.OrderSerializer,
        responses=s.OrderRecordSerializer,
        description='Send the changed fields and the `version` you read (409 when stale). `{"status": '
        '"Cancelled"}` cancels the order under the rules of `POST /orders/{id}/cancel`; `Fulfilled` needs the '
        "order paid in full unless the organization allows otherwise.",
    ),
    partial_update=extend_schema(tags=["orders"], request=s.OrderSerializer, responses=s.OrderRecordSerializer),
)(OrderViewSet)
record_viewset_schema(ContractViewSet, "contracts")
