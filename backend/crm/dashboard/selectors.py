"""The home dashboard, computed on the server in a fixed number of queries.

Every figure reads the organization-scoped managers, so record sharing applies: a user's
dashboard counts what that user may see. Dates follow the organization's time zone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth

from crm.accounts.models import Account
from crm.activities.models import Activity
from crm.core.scoping import current_viewer
from crm.records.listing.sql import union_all, visible_parts
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


def _summed(parts: list[QuerySet[Any]], key: str) -> dict[Any, dict[str, Any]]:
    """The grouped rows of disjoint parts (see ``visible_parts``), read in one query and added up by
    ``key``: counts and amounts are summed, other values are the group's."""
    totals: dict[Any, dict[str, Any]] = {}
    for row in union_all(parts):
        found = totals.get(row[key])
        if found is None:
            totals[row[key]] = dict(row)
            continue
        for name, value in row.items():
            if isinstance(value, int | Decimal) and not isinstance(value, bool) and name != key:
                found[name] = (found[name] or 0) + value
            elif found[name] is None:
                found[name] = value
    return totals


def _top_accounts(won_deals: Callable[[QuerySet[Any]], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The accounts the user may see with the most won revenue among the deals the user may see.

    Under a Private default the deals are summed per account branch by branch (each from the
    owner's index alone), and the sums added up per account, joined to the visible accounts, in one
    query; PostgreSQL composes it from the compiled parts (as global search does). Elsewhere, and
    when nothing is narrowed, one grouped query.
    """
    parts = visible_parts(
        Opportunity, lambda rows: won_deals(rows).values("account_id").annotate(amount=Sum("amount"), count=Count("*"))
    )
    if len(parts) == 1 or connection.vendor != "postgresql":
        deals = won_deals(Opportunity.objects.all())
        if _visible_only(Account):
            deals = deals.filter(account_id__in=Account.objects.values("pk"))
        return list(
            deals.order_by()
            .values("account_id", "account__name")
            .annotate(amount=Sum("amount"), count=Count("*"))
            .order_by("-amount", "account__name")[:TOP_ACCOUNTS]
        )
    deals_sql, deals_params = union_all(parts).query.sql_with_params()
    accounts_sql, accounts_params = Account.objects.values("id", "name").query.sql_with_params()
    # Both parts are compiled by Django with their parameters kept apart.
    sql = (
        'SELECT deals.account_id, accounts.name, SUM(deals.amount), SUM(deals."count") '  # noqa: S608
        f"FROM ({deals_sql}) deals JOIN ({accounts_sql}) accounts ON accounts.id = deals.account_id "
        "GROUP BY deals.account_id, accounts.name ORDER BY 3 DESC, 2 LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*deals_params, *accounts_params, TOP_ACCOUNTS))
        return [
            {"account_id": pk, "account__name": name, "amount": amount, "count": count}
            for pk, name, amount, count in cursor.fetchall()
        ]


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
    totals = _summed(
        visible_parts(
            Opportunity,
            lambda rows: rows.filter(is_active=True).values("stage").annotate(count=Count("*"), amount=Sum("amount")),
        ),
        "stage",
    )
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

    def won_deals(rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.filter(is_active=True, stage__in=won, close_date__gte=window_start, close_date__lte=today)

    by_month = {
        _month_key(key): row
        for key, row in _summed(
            visible_parts(
                Opportunity,
                lambda rows: (
                    won_deals(rows)
                    .annotate(month=TruncMonth("close_date"))
                    .values("month")
                    .annotate(count=Count("*"), amount=Sum("amount"))
                ),
            ),
            "month",
        ).items()
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

    # Lead -> opportunity -> won, for the leads created in the 12 months (2 queries): the leads
    # (from the leads' creation index alone), then their opportunities, counted only where the user
    # may see them. A conversion creates its own opportunity, so opportunities count their leads.
    leads = Lead.objects.filter(created_at__gte=_start_of(window_start, tz))
    funnel = leads.aggregate(leads=Count("id"), converted=Count("id", filter=Q(status=Lead.Status.CONVERTED)))
    converted = leads.filter(converted_opportunity__isnull=False).values("converted_opportunity_id")
    reached = _summed(
        visible_parts(
            Opportunity,
            lambda rows: (
                rows.filter(id__in=converted)
                .annotate(funnel=Value(1))
                .values("funnel")
                .annotate(opportunities=Count("*"), won=Count("id", filter=Q(stage__in=won)))
            ),
        ),
        "funnel",
    ).get(1, {})
    funnel["opportunities"] = reached.get("opportunities", 0)
    funnel["won"] = reached.get("won", 0)

    # Activities per assignee this week (1 query). When an activity happens (as the calendar and
    # to-do say): an event's start, else a task's due date; each branch reads its own index.
    week_end = period.week_start + datetime.timedelta(days=7)

    def per_assignee(rows: QuerySet[Any]) -> QuerySet[Any]:
        grouped: QuerySet[Any] = (
            rows.filter(is_active=True)
            .values("assigned_to_id", "assigned_to__name")
            .annotate(  # counted from the indexed columns, so the index alone answers
                tasks=Count("type", filter=Q(type=Activity.Type.TASK)),
                events=Count("type", filter=Q(type=Activity.Type.EVENT)),
                total=Count("*"),
            )
        )
        return grouped

    week = _summed(
        [
            *visible_parts(
                Activity,
                lambda rows: per_assignee(rows.filter(start_time__gte=week_bounds[0], start_time__lt=week_bounds[1])),
            ),
            *visible_parts(
                Activity,
                lambda rows: per_assignee(
                    rows.filter(start_time__isnull=True, due_date__gte=period.week_start, due_date__lt=week_end)
                ),
            ),
        ],
        "assigned_to_id",
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
            for row in week.values()
        ),
        key=lambda row: (-row["total"], row["user_name"]),
    )

    # Top accounts by won revenue in the 12 months, among the accounts the user may see (1 query).
    top = _top_accounts(won_deals)
    top_accounts = [
        {
            "account_id": row["account_id"],
            "account_name": row["account__name"],
            "amount": _money(row["amount"]),
            "count": row["count"],
        }
        for row in top
    ]

    # Overdue tasks: open tasks due before today, the oldest first (1 query), and how many there
    # are (1 query). Both read the open-tasks-by-due-date index; a window count over the rows
    # would read every overdue task to return five.
    overdue_tasks = Activity.objects.filter(is_active=True, type=Activity.Type.TASK, due_date__lt=today).exclude(
        status=Activity.Status.COMPLETED
    )
    overdue = list(
        overdue_tasks.order_by("due_date", "id").values(
            "id", "subject", "due_date", "assigned_to_id", "assigned_to__name"
        )[:OVERDUE_ITEMS]
    )
    overdue_count = overdue_tasks.count()

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
            "count": overdue_count,
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
