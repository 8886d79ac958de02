"""Reads for the sales app: calculated opportunity amounts, stages, the pipeline board."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from crm.records.scoping import current_org_id

from .models import Opportunity, OpportunityLineItem, OpportunityStage

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
PIPELINE_DEFAULT_LIMIT = 25
PIPELINE_MAX_LIMIT = 100


def line_total_expression() -> ExpressionWrapper:
    return ExpressionWrapper(F("quantity") * F("sale_price"), output_field=MONEY)


def opportunity_amount_subquery() -> Coalesce:
    """The sum of an opportunity's lines, as a correlated subquery (no join, no row duplication)."""
    totals = (
        OpportunityLineItem.objects.filter(opportunity_id=OuterRef("pk"))
        .order_by()
        .values("opportunity_id")
        .annotate(total=Sum(line_total_expression()))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=MONEY), ZERO, output_field=MONEY)


def with_amount(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.annotate(amount=opportunity_amount_subquery())


def opportunity_amount(*, opportunity_id: int) -> Decimal:
    total = OpportunityLineItem.objects.filter(opportunity_id=opportunity_id).aggregate(
        total=Coalesce(Sum(line_total_expression()), ZERO, output_field=MONEY)
    )["total"]
    return Decimal(total).quantize(Decimal("0.01"))


def opportunity_get(*, opportunity_id: int) -> Opportunity:
    """One opportunity of the current organization with its amount (DoesNotExist otherwise)."""
    return with_amount(Opportunity.objects.select_related("account", "owner")).get(pk=opportunity_id)


def stage_list(*, organization_id: int) -> list[OpportunityStage]:
    return list(OpportunityStage.objects.filter(organization_id=organization_id).order_by("position", "id"))


def account_opportunities(*, account_id: int) -> list[Opportunity]:
    """The active opportunities of an account with their amounts, in one query."""
    return list(
        with_amount(Opportunity.objects.filter(account_id=account_id, is_active=True).select_related("owner")).order_by(
            F("close_date").desc(nulls_last=True), "-id"
        )
    )


@dataclass
class PipelineColumn:
    name: str
    probability: int
    is_closed: bool
    is_won: bool
    count: int = 0
    amount: Decimal = Decimal("0.00")
    opportunities: list[Opportunity] | None = None


def _card_ordering() -> list[Any]:
    return [F("close_date").asc(nulls_last=True), F("id").asc()]


def opportunity_pipeline(
    *,
    stages: list[OpportunityStage],
    owner_id: int | None = None,
    limit_per_stage: int = PIPELINE_DEFAULT_LIMIT,
    stage: str | None = None,
    offset: int = 0,
) -> list[PipelineColumn]:
    """Active opportunities grouped by stage: count, summed amount and the first cards of each column.

    Three queries whatever the number of rows: counts per stage, amounts per stage (summed from
    the lines directly) and the cards (a row number per stage, filtered in the database).
    """
    base = Opportunity.objects.filter(is_active=True)
    if owner_id is not None:
        base = base.filter(owner_id=owner_id)
    if stage is not None:
        base = base.filter(stage=stage)

    counts = dict(base.order_by().values("stage").annotate(n=Count("id")).values_list("stage", "n"))
    amounts = dict(
        OpportunityLineItem.objects.filter(
            organization_id=current_org_id(), opportunity__in=base.order_by().values("pk")
        )
        .order_by()
        .values("opportunity__stage")
        .annotate(total=Sum(line_total_expression()))
        .values_list("opportunity__stage", "total")
    )

    cards_query = with_amount(base.select_related("account", "owner"))
    if stage is not None:
        cards = list(cards_query.order_by(*_card_ordering())[offset : offset + limit_per_stage])
    else:
        # Choose the cards first, then compute amounts for them only (not for every open deal).
        if connection.features.supports_slicing_ordering_in_compound and counts:
            # The first cards of each column, each read from the (stage, close date) index.
            firsts = [
                base.filter(stage=name).order_by(*_card_ordering()).values("pk")[:limit_per_stage] for name in counts
            ]
            ranked = firsts[0].union(*firsts[1:], all=True) if len(firsts) > 1 else firsts[0]
        else:
            ranked = (
                base.annotate(row=Window(RowNumber(), partition_by=[F("stage")], order_by=_card_ordering()))
                .filter(row__lte=limit_per_stage)
                .values("pk")
            )
        cards = list(
            with_amount(Opportunity.objects.filter(pk__in=ranked).select_related("account", "owner")).order_by(
                "stage", *_card_ordering()
            )
        )

    columns: dict[str, PipelineColumn] = {}
    for row in stages:
        if row.is_active or counts.get(row.name):
            columns[row.name] = PipelineColumn(row.name, row.probability, row.is_closed, row.is_won)
    for name in counts:
        # A stage renamed or removed outside the settings still shows the deals it holds.
        columns.setdefault(name, PipelineColumn(name, 0, False, False))
    if stage is not None:
        columns = {stage: columns.get(stage) or PipelineColumn(stage, 0, False, False)}
    for column in columns.values():
        column.count = counts.get(column.name, 0)
        column.amount = Decimal(amounts.get(column.name) or 0).quantize(Decimal("0.01"))
        column.opportunities = []
    for card in cards:
        if card.stage in columns:
            columns[card.stage].opportunities.append(card)  # type: ignore[union-attr]
    return list(columns.values())
