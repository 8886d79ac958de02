"""The home dashboard: one request, every tile."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from crm.core.views import ScopedAPIView
from crm.identity.permissions import request_user

from ..selectors import dashboard_get


def _rows(name: str, fields: dict[str, Any]) -> Any:
    return inline_serializer(name, fields, many=True)


DashboardSerializer = inline_serializer(
    "Dashboard",
    {
        "today": serializers.DateField(),
        "pipeline": _rows(
            "DashboardStage",
            {
                "name": serializers.CharField(),
                "count": serializers.IntegerField(),
                "amount": serializers.DecimalField(max_digits=18, decimal_places=2),
                "probability": serializers.IntegerField(),
                "is_closed": serializers.BooleanField(),
                "is_won": serializers.BooleanField(),
            },
        ),
        "open": inline_serializer(
            "DashboardOpen",
            {"count": serializers.IntegerField(), "amount": serializers.DecimalField(max_digits=18, decimal_places=2)},
        ),
        "won_by_month": _rows(
            "DashboardWonMonth",
            {
                "month": serializers.CharField(help_text="YYYY-MM"),
                "count": serializers.IntegerField(),
                "amount": serializers.DecimalField(max_digits=18, decimal_places=2),
            },
        ),
        "won_quarter": inline_serializer(
            "DashboardWonQuarter",
            {
                "start": serializers.DateField(),
                "count": serializers.IntegerField(),
                "amount": serializers.DecimalField(max_digits=18, decimal_places=2),
            },
        ),
        "conversion": inline_serializer(
            "DashboardConversion",
            {
                "leads": serializers.IntegerField(help_text="Leads created in the last 12 months."),
                "converted": serializers.IntegerField(),
                "opportunities": serializers.IntegerField(help_text="Of those, converted into an opportunity."),
                "won": serializers.IntegerField(help_text="Of those, won."),
                "lead_to_opportunity": serializers.FloatField(help_text="Percent."),
                "opportunity_to_won": serializers.FloatField(help_text="Percent."),
                "lead_to_won": serializers.FloatField(help_text="Percent."),
            },
        ),
        "activities_this_week": _rows(
            "DashboardUserActivities",
            {
                "user_id": serializers.IntegerField(),
                "user_name": serializers.CharField(),
                "tasks": serializers.IntegerField(),
                "events": serializers.IntegerField(),
                "total": serializers.IntegerField(),
            },
        ),
        "top_accounts": _rows(
            "DashboardTopAccount",
            {
                "account_id": serializers.IntegerField(),
                "account_name": serializers.CharField(),
                "amount": serializers.DecimalField(max_digits=18, decimal_places=2),
                "count": serializers.IntegerField(),
            },
        ),
        "overdue_tasks": inline_serializer(
            "DashboardOverdue",
            {
                "count": serializers.IntegerField(),
                "items": _rows(
                    "DashboardOverdueTask",
                    {
                        "id": serializers.IntegerField(),
                        "subject": serializers.CharField(),
                        "due_date": serializers.DateField(),
                        "assigned_to_id": serializers.IntegerField(),
                        "assigned_to_name": serializers.CharField(),
                    },
                ),
            },
        ),
        "open_cases_by_priority": _rows(
            "DashboardCasePriority", {"priority": serializers.CharField(), "count": serializers.IntegerField()}
        ),
    },
)


class DashboardView(ScopedAPIView):
    @extend_schema(tags=["dashboard"], responses=DashboardSerializer)
    def get(self, request: Request) -> Response:
        """Pipeline by stage, won revenue by month (12 months), lead conversion, this week's activities per
        user, top accounts, overdue tasks and open cases by priority: what the signed-in user may see."""
        user = request_user(request)
        try:
            tz = zoneinfo.ZoneInfo(user.time_zone or user.organization.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = zoneinfo.ZoneInfo("UTC")
        return Response(dashboard_get(now=timezone.now().astimezone(tz)))
