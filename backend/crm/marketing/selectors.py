"""Reads of the marketing app: the campaign hierarchy, its roll-ups and the campaign ROI."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from crm.sales.models import Opportunity, OpportunityStage

from .models import Campaign, CampaignMember

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def campaign_descendant_ids(*, campaign_id: int) -> list[int]:
    """The campaign and every campaign below it (one query per level; the hierarchy is shallow)."""
    found = [campaign_id]
    level = [campaign_id]
    while level:
        level = [
            pk for pk in Campaign.objects.filter(parent_id__in=level).values_list("pk", flat=True) if pk not in found
        ]
        found.extend(level)
    return found


def member_list(*, campaign_id: int) -> QuerySet[CampaignMember]:
    return (
        CampaignMember.objects.filter(campaign_id=campaign_id)
        .select_related("lead", "contact")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Figures:
    members: int
    members_by_status: dict[str, int]
    budgeted_cost: Decimal
    actual_cost: Decimal
    expected_revenue: Decimal
    influenced_opportunities: int
    influenced_amount: Decimal
    won_opportunities: int
    won_amount: Decimal
    roi: Decimal | None  # (won amount - actual cost) / actual cost; None without costs


@dataclass(frozen=True)
class CampaignRoi:
    campaign: Figures
    hierarchy: Figures  # the campaign and everything below it
    children: list[dict[str, Any]] = field(default_factory=list)


def _influenced(campaign_ids: list[int]) -> QuerySet[Opportunity]:
    """Opportunities the campaigns influenced: their primary campaign source is one of them, or a
    contact in one of them has a role on the deal (Salesforce's contact-role influence)."""
    contacts = CampaignMember.objects.filter(campaign_id__in=campaign_ids, contact__isnull=False).values("contact_id")
    return Opportunity.objects.filter(
        Q(campaign_id__in=campaign_ids) | Q(contact_roles__contact_id__in=contacts), is_active=True
    ).distinct()


def _figures(campaign_ids: list[int]) -> Figures:
    costs = Campaign.objects.filter(pk__in=campaign_ids).aggregate(
        budgeted=Coalesce(Sum("budgeted_cost"), ZERO, output_field=MONEY),
        actual=Coalesce(Sum("actual_cost"), ZERO, output_field=MONEY),
        expected=Coalesce(Sum("expected_revenue"), ZERO, output_field=MONEY),
    )
    by_status = dict(
        CampaignMember.objects.filter(campaign_id__in=campaign_ids)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    won_stages = OpportunityStage.objects.filter(is_won=True).values_list("name", flat=True)
    influenced_ids = _influenced(campaign_ids).values("pk")
    totals = Opportunity.objects.filter(pk__in=influenced_ids).aggregate(
        n=Count("pk"),
        total=Coalesce(Sum("amount"), ZERO, output_field=MONEY),
        won=Count("pk", filter=Q(stage__in=won_stages)),
        won_total=Coalesce(Sum("amount", filter=Q(stage__in=won_stages)), ZERO, output_field=MONEY),
    )
    actual = Decimal(costs["actual"])
    won_amount = Decimal(totals["won_total"])
    roi = ((won_amount - actual) / actual).quantize(Decimal("0.0001")) if actual > 0 else None
    return Figures(
        members=sum(by_status.values()),
        members_by_status=by_status,
        budgeted_cost=Decimal(costs["budgeted"]),
        actual_cost=actual,
        expected_revenue=Decimal(costs["expected"]),
        influenced_opportunities=totals["n"],
        influenced_amount=Decimal(totals["total"]),
        won_opportunities=totals["won"],
        won_amount=won_amount,
        roi=roi,
    )


def campaign_roi(*, campaign_id: int) -> CampaignRoi:
    """The campaign's own figures and the roll-up over its hierarchy (Salesforce's "in hierarchy")."""
    ids = campaign_descendant_ids(campaign_id=campaign_id)
    children: list[dict[str, Any]] = [
        {"id": pk, "name": name, "status": status}
        for pk, name, status in Campaign.objects.filter(parent_id=campaign_id)
        .order_by("name")
        .values_list("id", "name", "status")
    ]
    return CampaignRoi(campaign=_figures([campaign_id]), hierarchy=_figures(ids), children=children)


# --- segments -----------------------------------------------------------------------------------

PREVIEW_ROWS = 20


@dataclass(frozen=True)
class SegmentResult:
    contacts: int
    leads: int
    sample: list[dict[str, Any]]

    @property
    def total(self) -> int:
        return self.contacts + self.leads


def segment_querysets(*, target: str, definition: Any) -> dict[str, QuerySet[Any]]:
    """The contacts and the leads a definition matches (active ones only), by target."""
    from crm.accounts.models import Contact
    from crm.sales.models import Lead

    from .segments import segment_q

    out: dict[str, QuerySet[Any]] = {}
    if target in ("contacts", "both"):
        out["contacts"] = Contact.objects.filter(segment_q(definition, "contacts"), is_active=True)
    if target in ("leads", "both"):
        out["leads"] = Lead.objects.filter(segment_q(definition, "leads"), is_active=True, converted_at__isnull=True)
    return out


def segment_evaluate(*, target: str, definition: Any) -> SegmentResult:
    """The live count and the first rows of a segment."""
    sets = segment_querysets(target=target, definition=definition)
    counts = {name: queryset.count() for name, queryset in sets.items()}
    sample: list[dict[str, Any]] = []
    for name, queryset in sets.items():
        rows = queryset.order_by("-created_at", "-id").values("id", "first_name", "last_name", "email")
        sample.extend(
            {
                "kind": name[:-1],
                "id": row["id"],
                "name": f"{row['first_name']} {row['last_name']}".strip(),
                "email": row["email"],
            }
            for row in rows[:PREVIEW_ROWS]
        )
    return SegmentResult(contacts=counts.get("contacts", 0), leads=counts.get("leads", 0), sample=sample[:PREVIEW_ROWS])


def segment_condition_fields() -> dict[str, Any]:
    """What a segment condition may test: the fields per object, the operators per kind of field."""
    from .segments import FIELDS, MAX_CONDITIONS, MAX_DEPTH, OPS

    return {
        "fields": [
            {"name": name, "kind": kind, "targets": sorted(objects)} for name, (objects, kind) in FIELDS.items()
        ],
        "operators": {kind: sorted(ops) for kind, ops in OPS.items()},
        "activity_operators": ["within_days", "not_within_days"],
        "member_statuses": list(CampaignMember.Status.values),
        "max_conditions": MAX_CONDITIONS,
        "max_depth": MAX_DEPTH,
    }


# --- email sends --------------------------------------------------------------------------------


def email_campaign_stats(*, email_campaign_ids: list[int]) -> dict[str, Any]:
    """Delivered, unique opens (people and machines apart), clicks per link, unsubscribes, bounces."""
    from .models import EmailRecipient, TrackingEvent

    R = EmailRecipient.Status
    recipients = EmailRecipient.objects.filter(email_campaign_id__in=email_campaign_ids)
    by_status = dict(recipients.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    figures = recipients.aggregate(
        delivered=Count("id", filter=Q(sent_at__isnull=False) & ~Q(status=R.BOUNCED)),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        machine_only=Count("id", filter=Q(machine_opened_at__isnull=False, opened_at__isnull=True)),
        clicked=Count("id", filter=Q(clicked_at__isnull=False)),
        unsubscribed=Count("id", filter=Q(unsubscribed_at__isnull=False)),
        bounced=Count("id", filter=Q(status=R.BOUNCED)),
    )
    clicks = (
        TrackingEvent.objects.filter(email_campaign_id__in=email_campaign_ids, kind="click", machine=False)
        .values("url")
        .annotate(clicks=Count("id"), people=Count("recipient_id", distinct=True))
        .order_by("-clicks", "url")
    )
    machine_clicks = TrackingEvent.objects.filter(
        email_campaign_id__in=email_campaign_ids, kind="click", machine=True
    ).count()
    return {
        "recipients": sum(by_status.values()),
        "by_status": by_status,
        "delivered": figures["delivered"],
        "unique_opens": figures["opened"],
        "machine_opens": figures["machine_only"],
        "unique_clicks": figures["clicked"],
        "machine_clicks": machine_clicks,
        "unsubscribes": figures["unsubscribed"],
        "bounces": figures["bounced"],
        "unknown": by_status.get(R.UNKNOWN, 0),
        "links": [{"url": row["url"], "clicks": row["clicks"], "people": row["people"]} for row in clicks[:100]],
    }
