from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.api.serializers import AccountSerializer, ContactSerializer
from crm.core.views import ScopedAPIView
from crm.identity.permissions import AdminWriteOrReadOnly
from crm.records.api import RecordFilterSet, RecordViewSet, check_record_writable, record_viewset_schema

from .. import selectors
from ..models import Lead, Opportunity, OpportunityContactRole, OpportunityLineItem, Product
from ..services import leads as lead_services
from ..services import opportunities as opportunity_services
from ..services.stages import StageInput, stages_replace
from . import serializers as s

TRUE_VALUES = {"1", "true", "yes", "on"}


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in TRUE_VALUES


# --- leads -----------------------------------------------------------------------------------


class LeadFilter(RecordFilterSet):
    status = django_filters.ChoiceFilter(choices=Lead.Status.choices)
    lead_source = django_filters.ChoiceFilter(choices=Lead.Source.choices)
    industry = django_filters.ChoiceFilter(choices=Lead.Industry.choices)
    include_converted = django_filters.BooleanFilter(method="keep", help_text="Also list converted leads.")

    class Meta:
        model = Lead
        fields: list[str] = []

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # read by the view, which hides converted leads by default


class LeadViewSet(RecordViewSet):
    """Prospects. The list shows open leads; converted ones on ?status=Converted or ?include_converted=true."""

    model = Lead
    serializer_class = s.LeadSerializer
    detail_serializer_class = s.LeadDetailSerializer
    filterset_class = LeadFilter
    list_select_related = ("owner", "converted_account", "converted_contact", "converted_opportunity", "campaign")
    search_fields = ["first_name", "last_name", "company", "email"]
    ordering_fields = ["name", "company", "status", "created_at", "owner", "lead_source", "email"]
    ordering_aliases = {"owner": "owner__name", "name": "last_name"}
    ordering = ["-created_at"]

    def filter_list_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_list_queryset(queryset)
        params = self.request.query_params
        if params.get("status") != Lead.Status.CONVERTED and not _flag(self.request, "include_converted"):
            queryset = queryset.exclude(status=Lead.Status.CONVERTED)
        return queryset

    def create_record(self, data: dict[str, Any]) -> Lead:
        return lead_services.lead_create(data=data, actor=self.request.user)

    def update_record(self, record: Lead, data: dict[str, Any], version: int) -> Lead:
        return lead_services.lead_update(lead=record, data=data, expected_version=version, actor=self.request.user)

    @extend_schema(
        tags=["leads"],
        request=s.LeadConvertSerializer,
        responses=s.LeadConversionSerializer,
        filters=False,
        description="Create an account (or use account_id), a contact and an opportunity from the lead, "
        "and mark it Converted, in one transaction. A converted lead answers 409.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def convert(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        lead = self.get_object()
        body = s.LeadConvertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = lead_services.lead_convert(
            lead_id=lead.pk,
            actor=request.user,
            opportunity_name=data.get("opportunity_name", ""),
            account=data.get("account"),
            create_opportunity=data.get("create_opportunity", True),
            opportunity_stage=data.get("opportunity_stage") or None,
            close_date=data.get("close_date"),
        )
        records = selectors.lead_conversion_records(
            account_id=result.account.pk,
            contact_id=result.contact.pk,
            opportunity_id=result.opportunity.pk if result.opportunity is not None else None,
        )
        context = self.get_serializer_context()
        return Response(
            {
                "message": _("Lead converted successfully."),
                "lead_id": lead.pk,
                "created_records": {
                    "account": AccountSerializer(records.account, context=context).data,
                    "contact": ContactSerializer(records.contact, context=context).data,
                    "opportunity": s.OpportunityDetailSerializer(records.opportunity, context=context).data
                    if records.opportunity is not None
                    else None,
                },
            }
        )


# --- products --------------------------------------------------------------------------------


class ProductFilter(RecordFilterSet):
    is_retainer_product = django_filters.BooleanFilter()
    include_inactive = django_filters.BooleanFilter(method="keep", help_text="Administrators: list inactive too.")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Product
        fields: list[str] = []

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # read by the view


class ProductViewSet(RecordViewSet):
    """The catalog. Everybody reads active products; only administrators write or see inactive ones."""

    model = Product
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilter
    permission_classes = [AdminWriteOrReadOnly]
    search_fields = ["name", "product_code", "description"]
    ordering_fields = ["name", "product_code", "standard_list_price", "is_active", "created_at"]
    ordering_aliases = {"owner": "owner__name", "status": "is_active"}
    ordering = ["name"]

    def filter_list_queryset(self, queryset: QuerySet) -> QuerySet:
        user = self.request.user
        if not user.is_admin:
            return queryset.filter(is_active=True)
        if _flag(self.request, "include_inactive"):
            return queryset
        return super().filter_list_queryset(queryset)


# --- opportunities ---------------------------------------------------------------------------


class OpportunityFilter(RecordFilterSet):
    stage = django_filters.CharFilter()
    account_id = django_filters.NumberFilter()
    account = django_filters.NumberFilter(field_name="account_id")
    lead_source = django_filters.ChoiceFilter(choices=Lead.Source.choices)
    close_date_after = django_filters.DateFilter(field_name="close_date", lookup_expr="gte")
    close_date_before = django_filters.DateFilter(field_name="close_date", lookup_expr="lte")
    is_closed = django_filters.BooleanFilter(method="filter_is_closed", help_text="By the stage's closed flag.")

    class Meta:
        model = Opportunity
        fields: list[str] = []

    def filter_is_closed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        closed = [stage.name for stage in selectors.stage_list() if stage.is_closed]
        return queryset.filter(stage__in=closed) if value else queryset.exclude(stage__in=closed)


class OpportunityViewSet(RecordViewSet):
    """Deals. The amount is the sum of the line items and changes only with them (read-only)."""

    model = Opportunity
    serializer_class = s.OpportunitySerializer
    detail_serializer_class = s.OpportunityDetailSerializer
    filterset_class = OpportunityFilter
    list_select_related = ("owner", "account", "campaign")
    search_fields = ["name", "account__name"]
    ordering_fields = ["name", "close_date", "amount", "stage", "account_name", "owner", "probability", "created_at"]
    ordering_aliases = {"owner": "owner__name", "account_name": "account__name"}
    ordering = ["close_date"]
    # Declared at import, with no organization in scope: the rows follow the (scoped) opportunity.
    detail_prefetch = (
        Prefetch("line_items", queryset=OpportunityLineItem.all_orgs.select_related("product").order_by("id")),
        Prefetch("contact_roles", queryset=OpportunityContactRole.all_orgs.select_related("contact").order_by("id")),
    )

    def create_record(self, data: dict[str, Any]) -> Opportunity:
        return opportunity_services.opportunity_create(data=data, actor=self.request.user)

    def update_record(self, record: Opportunity, data: dict[str, Any], version: int) -> Opportunity:
        return opportunity_services.opportunity_update(
            opportunity=record, data=data, expected_version=version, actor=self.request.user
        )

    @extend_schema(
        tags=["opportunities"],
        filters=False,
        parameters=[s.PipelineQuerySerializer],
        responses=s.PipelineSerializer,
        description="Active opportunities by stage: count, amount and the first cards of each column. "
        "With ?stage= and ?offset=, the next cards of one column.",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def pipeline(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = s.PipelineQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        columns = selectors.opportunity_pipeline(
            stages=selectors.stage_list(),
            owner_id=params.get("owner"),
            limit_per_stage=params["limit_per_stage"],
            stage=params.get("stage"),
            offset=params["offset"],
        )
        return Response(s.PipelineSerializer({"stages": columns}).data)


record_viewset_schema(LeadViewSet, "leads")
record_viewset_schema(ProductViewSet, "products")
record_viewset_schema(OpportunityViewSet, "opportunities")


# --- line items and contact roles --------------------------------------------------------------


def _opportunity_or_404(opportunity_id: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.all(), pk=opportunity_id)


def _opportunity_for_write(opportunity_id: int) -> Opportunity:
    """The deal whose lines or roles change: readable (404) and editable by the user (403)."""
    opportunity = _opportunity_or_404(opportunity_id)
    check_record_writable(opportunity)
    return opportunity


def _line_version(request: Request) -> int:
    """The line's version an edit or removal read: the JSON body's ``version`` (or ``?version=``), required."""
    raw = request.data.get("version") if isinstance(request.data, dict) else None
    if raw is None:
        raw = request.query_params.get("version")
    body = s.LineItemVersionSerializer(data={} if raw is None else {"version": raw})
    body.is_valid(raise_exception=True)
    return body.validated_data["version"]


def _change_body(change: opportunity_services.LineItemChange) -> dict[str, Any]:
    assert change.line_item is not None
    line = OpportunityLineItem.objects.select_related("product").get(pk=change.line_item.pk)
    line.opportunity_amount = change.amount  # type: ignore[attr-defined]
    line.opportunity_version = change.opportunity.version  # type: ignore[attr-defined]
    return s.LineItemChangeSerializer(line).data


class OpportunityLineItemListView(ScopedAPIView):
    """The products on a deal."""

    model = Opportunity  # the record the URL's pk names

    @extend_schema(tags=["opportunities"], responses=s.OpportunityLineItemSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        opportunity = _opportunity_or_404(pk)
        lines = OpportunityLineItem.objects.filter(opportunity=opportunity).select_related("product")
        return Response(s.OpportunityLineItemSerializer(lines, many=True).data)

    @extend_schema(
        tags=["opportunities"],
        request=s.LineItemWriteSerializer,
        responses={201: s.LineItemChangeSerializer},
        description="Add an active product. sale_price defaults to its list price. Bumps the opportunity version.",
    )
    def post(self, request: Request, pk: int) -> Response:
        opportunity = _opportunity_for_write(pk)
        body = s.LineItemWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        change = opportunity_services.line_item_add(opportunity_id=opportunity.pk, data=data, actor=request.user)
        return Response(_change_body(change), status=status.HTTP_201_CREATED)


class OpportunityLineItemDetailView(ScopedAPIView):
    """One line of a deal: edit or remove it. Each change bumps the opportunity version."""

    def _line(self, opportunity: Opportunity, item_id: int) -> OpportunityLineItem:
        return get_object_or_404(
            OpportunityLineItem.objects.select_related("product").filter(opportunity=opportunity),
            pk=item_id,
        )

    @extend_schema(tags=["opportunities"], request=s.LineItemUpdateSerializer, responses=s.LineItemChangeSerializer)
    def put(self, request: Request, pk: int, item_id: int) -> Response:
        opportunity = _opportunity_for_write(pk)
        line = self._line(opportunity, item_id)
        body = s.LineItemUpdateSerializer(line, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("version", None)
        change = opportunity_services.line_item_update(
            opportunity_id=opportunity.pk,
            line_item_id=line.pk,
            data=data,
            expected_version=_line_version(request),
            actor=request.user,
        )
        return Response(_change_body(change))

    @extend_schema(tags=["opportunities"], request=s.LineItemUpdateSerializer, responses=s.LineItemChangeSerializer)
    def patch(self, request: Request, pk: int, item_id: int) -> Response:
        return self.put(request, pk, item_id)

    @extend_schema(
        tags=["opportunities"],
        parameters=[
            OpenApiParameter("version", int, required=True, description="The line's version you read; 409 when stale.")
        ],
        responses=s.OpportunityTotalsSerializer,
    )
    def delete(self, request: Request, pk: int, item_id: int) -> Response:
        opportunity = _opportunity_for_write(pk)
        line = self._line(opportunity, item_id)
        change = opportunity_services.line_item_delete(
            opportunity_id=opportunity.pk,
            line_item_id=line.pk,
            expected_version=_line_version(request),
            actor=request.user,
        )
        return Response(
            {
                "opportunity_id": opportunity.pk,
                "opportunity_amount": str(change.amount),
                "opportunity_version": change.opportunity.version,
            }
        )


class OpportunityContactRoleListView(ScopedAPIView):
    """The people on a deal and their roles."""

    model = Opportunity  # the record the URL's pk names

    @extend_schema(tags=["opportunities"], responses=s.ContactRoleSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        opportunity = _opportunity_or_404(pk)
        roles = OpportunityContactRole.objects.filter(opportunity=opportunity).select_related("contact")
        return Response(s.ContactRoleSerializer(roles, many=True).data)

    @extend_schema(tags=["opportunities"], request=s.ContactRoleSerializer, responses={201: s.ContactRoleSerializer})
    def post(self, request: Request, pk: int) -> Response:
        opportunity = _opportunity_for_write(pk)
        body = s.ContactRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        role = opportunity_services.contact_role_add(
            opportunity_id=opportunity.pk, data=dict(body.validated_data), actor=request.user
        )
        role = OpportunityContactRole.objects.select_related("contact").get(pk=role.pk)
        return Response(s.ContactRoleSerializer(role).data, status=status.HTTP_201_CREATED)


class OpportunityContactRoleDetailView(ScopedAPIView):
    @extend_schema(tags=["opportunities"], responses={204: None})
    def delete(self, request: Request, pk: int, role_id: int) -> Response:
        opportunity = _opportunity_for_write(pk)
        role = get_object_or_404(
            OpportunityContactRole.objects.filter(opportunity=opportunity),
            pk=role_id,
        )
        opportunity_services.contact_role_delete(
            opportunity_id=opportunity.pk, contact_role_id=role.pk, actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- stage settings --------------------------------------------------------------------------


class OpportunityStageView(ScopedAPIView):
    """The organization's sales stages. Everybody reads; administrators replace the list."""

    permission_classes = [AdminWriteOrReadOnly]

    @extend_schema(tags=["opportunities"], responses=s.StageSerializer(many=True))
    def get(self, request: Request) -> Response:
        stages = selectors.stage_list()
        return Response(s.StageSerializer(stages, many=True).data)

    @extend_schema(
        tags=["opportunities"],
        request=s.StageSerializer(many=True),
        responses=s.StageSerializer(many=True),
        description="Replace the list, in order. A stage still used by opportunities cannot be left out "
        "(400); keep it with is_active false instead.",
    )
    def put(self, request: Request) -> Response:
        body = s.StageSerializer(data=request.data, many=True, allow_empty=False)
        body.is_valid(raise_exception=True)
        stages = stages_replace(actor=request.user, stages=[StageInput(**row) for row in body.validated_data])
        return Response(s.StageSerializer(stages, many=True).data)
