"""Building blocks shared by the billing services: numbering, won stages, locks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from crm.records.errors import InvalidStateTransition, VersionConflict
from crm.sales.models import Opportunity, OpportunityLineItem, OpportunityStage

from ..models import NumberCounter

if TYPE_CHECKING:
    from crm.records.models import Record

DEFAULT_WON_STAGE = "Closed Won"
PREFIXES = {"order": "ORD", "contract": "CON"}


@transaction.atomic
def next_number(*, organization_id: int, kind: str) -> str:
    """The next per-organization number, e.g. ``ORD-00001``; the counter row is locked until commit."""
    counter, _ = NumberCounter.objects.select_for_update().get_or_create(organization_id=organization_id, kind=kind)
    NumberCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    counter.refresh_from_db(fields=["last_value"])
    return f"{PREFIXES[kind]}-{counter.last_value:05d}"


def won_stage_names(*, organization_id: int) -> set[str]:
    """The organization's won stages; an organization without stage rows uses the default one."""
    stages = list(OpportunityStage.objects.filter(organization_id=organization_id).values_list("name", "is_won"))
    if not stages:
        return {DEFAULT_WON_STAGE}
    return {name for name, is_won in stages if is_won}


def opportunity_lock_won(*, opportunity_id: int) -> Opportunity:
    """Lock the opportunity row and check that it is won and active (409 otherwise)."""
    opportunity = Opportunity.objects.select_for_update(of=("self",)).select_related("account").get(pk=opportunity_id)
    if not opportunity.is_active:
        raise InvalidStateTransition("opportunity_inactive", "A deactivated opportunity cannot be billed.")
    if opportunity.stage not in won_stage_names(organization_id=opportunity.organization_id):
        raise InvalidStateTransition(
            "opportunity_not_won",
            f"Only a won opportunity can be billed; this one is at stage '{opportunity.stage}'.",
        )
    return opportunity


def opportunity_lines(*, opportunity: Opportunity) -> list[OpportunityLineItem]:
    lines = list(
        OpportunityLineItem.objects.filter(organization_id=opportunity.organization_id, opportunity=opportunity)
        .select_related("product")
        .order_by("id")
    )
    if not lines:
        raise InvalidStateTransition(
            "opportunity_has_no_line_items", "Add at least one product to the opportunity before billing it."
        )
    return lines


def check_version(*, record: Record, expected_version: int) -> None:
    if record.version != expected_version:
        raise VersionConflict(current_version=record.version)
