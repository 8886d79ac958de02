"""The home dashboard, computed on the server in a fixed number of queries.

Every figure reads the organization-scoped managers, so record sharing applies: a user's
dashboard counts what that user may see. Dates follow the organization's time zone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum, Window
from django.db.models.functions import TruncMonth

from crm.accounts.models import Account
from crm.activities.models import Activity
from crm.core.scoping import current_viewer
from crm.sales.models import Lead, Opportunity
from crm.sales.selectors import stage_list
from crm.service.models import Case

ZERO = Decimal("0.00")
TOP_ACCOUNTS = 5
OVERDUE_ITEMS = 5
MONTHS = 12


@dataclass(frozen=True)
class Period:
    today: datetime.date
    months: list[datetime.date]  # the first day of each of the last 12 months, oldest first
    week_start: datetime.date  # Monday of this week
    quarter_start: datetime.date

    @classmethod
    def of(cls, today: datetime.date) -> Period:
        months = []
        year, month = today.year, today.month
        for _ in range(MONTHS):
            months.append(datetime.date(year, month, 1))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.reverse()
        quarter_month = (today.month - 1) // 3 * 3 + 1
        return cls(
            today=today,
            months=months,
            week_start=today - datetime.timedelta(days=today.weekday()),
            quarter_start=datetime.date(today.year, quarter_month, 1),
        )


def _money(value: Any) -> str:
    return str((value or ZERO).quantize(Decimal("0.01")))


def _month_key(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):  # SQLite answers text
        return value[:7]
    return f"{value.year:04d}-{value.month:02d}"


def _visible_only(model: type[Any]) -> bool:
    """Whether rows linked to ``model`` must be narrowed to the ones the user may see (Private)."""
    viewer = current_viewer()
    return viewer is not None and viewer.restricts(model)


def _rate(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _start_of(day: datetime.date, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def dashboard_get(*, now: datetime.datetime) -> dict[str, Any]:
    """Every tile of the home page, as of ``now`` (an aware time in the organization's time zone)."""
    tz = now.tzinfo
    assert tz is not None
    today = now.date()
    period = Period.of(today)
    week_bounds = (_start_of(period.week_start, tz), _start_of(period.week_start + datetime.timedelta(days=7), tz))
    stages = stage_list()  # 1 query
    won = [stage.name for stage in stages if stage.is_won]
    closed = {stage.name for stage in stages if stage.is_closed}

    # Pipeline by stage: active opportunities (1 query).
    totals: dict[str, Any] = {
        row["stage"]: row
        for row in Opportunity.objects.filter(is_active=True)
        .order_by()
        .values("stage")
        .annotate(count=Count("*"), amount=Sum("amount"))
    }
    pipeline = [
        {
            "name": stage.name,
            "count": totals.get(stage.name, {}).get("count", 0),
            "amount": _money(totals.get(stage.name, {}).get("amount")),
            "probability": stage.probability,
            "is_closed": stage.is_closed,
            "is_won": stage.is_won,
        }
        for stage in stages
        if stage.is_active or stage.name in totals
    ]
    open_rows = [row for name, row in totals.items() if name not in closed]

    # Won revenue by month of the close date, over the last 12 months (1 query).
    window_start = period.months[0]
    won_deals = Opportunity.objects.filter(
        is_active=True, stage__in=won, close_date__gte=window_start, close_date__lte=today
    )
    by_month: dict[str, Any] = {
        _month_key(row["month"]): row
        for row in won_deals.order_by()
        .annotate(month=TruncMonth("close_date"))
        .values("month")
        .annotate(count=Count("*"), amount=Sum("amount"))
    }
    won_by_month = [
        {
            "month": _month_key(month),
            "count": by_month.get(_month_key(month), {}).get("count", 0),
            "amount": _money(by_month.get(_month_key(month), {}).get("amount")),
        }
        for month in period.months
    ]
    quarter = [row for row in won_by_month if row["month"] >= _month_key(period.quarter_start)]

    # Lead -> opportunity -> won, for the leads created in the 12 months (1 query). The won
    # opportunities are counted only where the user may see them.
    visible = Q()
    if _visible_only(Opportunity):
        visible = Q(converted_opportunity_id__in=Opportunity.objects.values("pk"))
    funnel = Lead.objects.filter(created_at__gte=_start_of(window_start, tz)).aggregate(
        leads=Count("id"),
        converted=Count("id", filter=Q(status=Lead.Status.CONVERTED)),
        opportunities=Count("id", filter=Q(converted_opportunity__isnull=False) & visible),
        won=Count("id", filter=Q(converted_opportunity__stage__in=won) & visible),
    )

    # Activities per assignee this week (1 query).
    # When an activity happens (as the calendar and to-do say): an event's start, else a task's due date.
    this_week = Q(start_time__gte=week_bounds[0], start_time__lt=week_bounds[1]) | Q(
        start_time__isnull=True,
        due_date__gte=period.week_start,
        due_date__lt=period.week_start + datetime.timedelta(days=7),
    )
    week = (
        Activity.objects.filter(this_week, is_active=True)
        .order_by()
        .values("assigned_to_id", "assigned_to__name")
        .annotate(
            tasks=Count("id", filter=Q(type=Activity.Type.TASK)),
            events=Count("id", filter=Q(type=Activity.Type.EVENT)),
            total=Count("id"),
        )
    )
    activities = sorted(
        (
            {
                "user_id": row["assigned_to_id"],
                "user_name": row["assigned_to__name"],
                "tasks": row["tasks"],
                "events": row["events"],
                "total": row["total"],
            }
            for row in week
        ),
        key=lambda row: (-row["total"], row["user_name"]),
    )

    # Top accounts by won revenue in the 12 months, among the accounts the user may see (1 query).
    top_deals = won_deals
    if _visible_only(Account):
        top_deals = won_deals.filter(account_id__in=Account.objects.values("pk"))
    top = (
        top_deals.order_by()
        .values("account_id", "account__name")
        .annotate(amount=Sum("amount"), count=Count("*"))
        .order_by("-amount", "account__name")[:TOP_ACCOUNTS]
    )
    top_accounts = [
        {
            "account_id": row["account_id"],
            "account_name": row["account__name"],
            "amount": _money(row["amount"]),
            "count": row["count"],
        }
        for row in top
    ]

    # Overdue tasks: open tasks due before today, the oldest first, with the count of all (1 query).
    overdue = list(
        Activity.objects.filter(is_active=True, type=Activity.Type.TASK, due_date__lt=today)
        .exclude(status=Activity.Status.COMPLETED)
        .annotate(total=Window(Count("*")))
        .order_by("due_date", "id")
        .values("id", "subject", "due_date", "assigned_to_id", "assigned_to__name", "total")[:OVERDUE_ITEMS]
    )

    # Open cases by priority (1 query).
    cases = dict(
        Case.objects.filter(is_active=True)
        .exclude(status=Case.Status.CLOSED)
        .order_by()
        .values("priority")
        .annotate(count=Count("*"))
        .values_list("priority", "count")
    )

    return {
        "today": today.isoformat(),
        "pipeline": pipeline,
        "open": {
            "count": sum(row["count"] for row in open_rows),
            "amount": _money(sum((row["amount"] or ZERO for row in open_rows), ZERO)),
        },
        "won_by_month": won_by_month,
        "won_quarter": {
            "start": period.quarter_start.isoformat(),
            "count": sum(row["count"] for row in quarter),
            "amount": _money(sum((Decimal(row["amount"]) for row in quarter), ZERO)),
        },
        "conversion": {
            **funnel,
            "lead_to_opportunity": _rate(funnel["opportunities"], funnel["leads"]),
            "opportunity_to_won": _rate(funnel["won"], funnel["opportunities"]),
            "lead_to_won": _rate(funnel["won"], funnel["leads"]),
        },
        "activities_this_week": activities,
        "top_accounts": top_accounts,
        "overdue_tasks": {
            "count": overdue[0]["total"] if overdue else 0,
            "items": [
                {
                    "id": row["id"],
                    "subject": row["subject"],
                    "due_date": row["due_date"].isoformat() if row["due_date"] else None,
                    "assigned_to_id": row["assigned_to_id"],
                    "assigned_to_name": row["assigned_to__name"],
                }
                for row in overdue
            ],
        },
        "open_cases_by_priority": [
            {"priority": priority, "count": cases.get(priority, 0)} for priority in Case.Priority.values
        ],
    }
