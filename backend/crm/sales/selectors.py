"""Reads for the sales app: opportunity amounts, stages, the pipeline board."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value, Window
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, RowNumber

from crm.accounts.models import Account, Contact
from crm.records.listing.sql import union_all, visible_parts

from .models import Opportunity, OpportunityLineItem, OpportunityStage

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
PIPELINE_DEFAULT_LIMIT = 25
PIPELINE_MAX_LIMIT = 100


def line_total_expression() -> ExpressionWrapper[CombinedExpression]:
    return ExpressionWrapper(F("quantity") * F("sale_price"), output_field=MONEY)


def opportunity_line_total(*, opportunity_id: int) -> Decimal:
    """The sum of an opportunity's lines, counted from the lines (one aggregate on their index).

    The line item services store it in ``Opportunity.amount``, which every read uses.
    """
    total = OpportunityLineItem.objects.filter(opportunity_id=opportunity_id).aggregate(
        total=Coalesce(Sum(line_total_expression()), ZERO, output_field=MONEY)
    )["total"]
    return Decimal(total).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class LeadConversionRecords:
    """What a conversion created, loaded as their detail pages show them."""

    account: Account
    contact: Contact
    opportunity: Opportunity | None


def lead_conversion_records(*, account_id: int, contact_id: int, opportunity_id: int | None) -> LeadConversionRecords:
    return LeadConversionRecords(
        account=Account.objects.select_related("owner", "parent_account").get(pk=account_id),
        contact=Contact.objects.select_related("owner", "account", "reports_to").get(pk=contact_id),
        opportunity=opportunity_get(opportunity_id=opportunity_id) if opportunity_id is not None else None,
    )


def opportunity_get(*, opportunity_id: int) -> Opportunity:
    """One opportunity of the current organization (DoesNotExist otherwise)."""
    return Opportunity.objects.select_related("account", "owner").get(pk=opportunity_id)


def stage_list() -> list[OpportunityStage]:
    """The organization's stages in order (created with the organization; reading writes nothing)."""
    return list(OpportunityStage.objects.order_by("position", "id"))


def account_opportunity_rows(*, account_id: int) -> QuerySet[Opportunity]:
    """The active opportunities of an account with their amounts, newest close date first (not yet read)."""
    return (
        Opportunity.objects.filter(account_id=account_id, is_active=True)
        .select_related("owner")
        .order_by(F("close_date").desc(nulls_last=True), "-id")
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

    Two queries whatever the number of rows: the count and sum of every stage in one grouped
    query over the stored amounts (an index-only scan of the pipeline index, no line is read),
    and the cards (the first of each column by close date, from the same index).
    """
    base = Opportunity.objects.filter(is_active=True)
    if owner_id is not None:
        base = base.filter(owner_id=owner_id)
    if stage is not None:
        base = base.filter(stage=stage)

    def narrow(rows: QuerySet[Any]) -> QuerySet[Any]:
        rows = rows.filter(is_active=True)
        if owner_id is not None:
            rows = rows.filter(owner_id=owner_id)
        if stage is not None:
            rows = rows.filter(stage=stage)
        grouped: QuerySet[Any] = rows.values("stage").annotate(n=Count("*"), total=Sum("amount"))
        return grouped.values_list("stage", "n", "total")

    # Under a Private default, the owned and the shared deals are summed apart (each from an
    # index alone) and added up here.
    totals: dict[str, tuple[int, Any]] = {}
    for name, count, amount in union_all(visible_parts(Opportunity, narrow)):
        before = totals.get(name, (0, None))
        totals[name] = (before[0] + count, amount if before[1] is None else before[1] + (amount or 0))

    cards_query = base.select_related("account", "owner")
    if stage is not None:
        cards = list(cards_query.order_by(*_card_ordering())[offset : offset + limit_per_stage])
    else:
        if connection.features.supports_slicing_ordering_in_compound and totals:
            # The first cards of each column, each read from the (stage, close date) index.
            firsts = [
                base.filter(stage=name).order_by(*_card_ordering()).values("pk")[:limit_per_stage] for name in totals
            ]
            ranked = firsts[0].union(*firsts[1:], all=True) if len(firsts) > 1 else firsts[0]
        else:
            ranked = (
                base.annotate(row=Window(RowNumber(), partition_by=[F("stage")], order_by=_card_ordering()))
                .filter(row__lte=limit_per_stage)
                .values("pk")
            )
        cards = list(
            Opportunity.objects.filter(pk__in=ranked)
            .select_related("account", "owner")
            .order_by("stage", *_card_ordering())
        )

    columns: dict[str, PipelineColumn] = {}
    for row in stages:
        if row.is_active or row.name in totals:
            columns[row.name] = PipelineColumn(row.name, row.probability, row.is_closed, row.is_won)
    for name in totals:
        # A stage renamed or removed outside the settings still shows the deals it holds.
        columns.setdefault(name, PipelineColumn(name, 0, False, False))
    if stage is not None:
        columns = {stage: columns.get(stage) or PipelineColumn(stage, 0, False, False)}
    for column in columns.values():
        count, amount = totals.get(column.name, (0, None))
        column.count = count
        column.amount = Decimal(amount or 0).quantize(Decimal("0.01"))
        column.opportunities = []
    for card in cards:
        if card.stage in columns:
            columns[card.stage].opportunities.append(card)  # type: ignore[union-attr]
    return list(columns.values())
