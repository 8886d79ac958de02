"""The home dashboard: the numbers, sharing, and a fixed number of queries."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from conftest import client_for, make_user
from django.utils import timezone

from crm.accounts.tests.factories import AccountFactory
from crm.activities.models import Activity
from crm.activities.tests.factories import EventFactory, TaskFactory
from crm.identity.models import Role
from crm.records.testing import count_queries
from crm.sales.models import Lead
from crm.sales.tests.factories import LeadFactory, OpportunityFactory
from crm.service.models import Case
from crm.service.tests.factories import CaseFactory
from crm.sharing.models import Access
from crm.sharing.tests.factories import set_default, share_record

URL = "/api/v1/dashboard"


def local_today(org) -> datetime.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(org.time_zone)).date()


def months_ago(day: datetime.date, months: int) -> datetime.date:
    year, month = day.year, day.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


@pytest.fixture
def data(org, user):
    today = local_today(org)
    acme = AccountFactory(owner=user, name="Acme Ltd")
    beta = AccountFactory(owner=user, name="Beta Ltd")
    deal = {"owner": user, "account": acme}
    OpportunityFactory(**deal, stage="Qualifying", amount=Decimal("100.00"))
    OpportunityFactory(**deal, stage="Proposal", amount=Decimal("200.00"))
    won_now = OpportunityFactory(**deal, stage="Closed Won", amount=Decimal("1000.00"), close_date=today)
    OpportunityFactory(
        owner=user, account=beta, stage="Closed Won", amount=Decimal("500.00"), close_date=months_ago(today, 3)
    )
    # Won 13 months ago: outside the 12 months.
    OpportunityFactory(**deal, stage="Closed Won", amount=Decimal("9999.00"), close_date=months_ago(today, 13))
    OpportunityFactory(**deal, stage="Closed Lost", amount=Decimal("50.00"), close_date=today)
    # Leads: one won through its opportunity, one converted into an open deal, two open.
    open_deal = OpportunityFactory(**deal, stage="Qualifying", amount=Decimal("0.00"), is_active=False)
    LeadFactory(owner=user, status=Lead.Status.CONVERTED, converted_opportunity=won_now)
    LeadFactory(owner=user, status=Lead.Status.CONVERTED, converted_opportunity=open_deal)
    LeadFactory(owner=user)
    LeadFactory(owner=user)
    # Activities: this week, and overdue ones.
    TaskFactory(owner=user, due_date=today)
    EventFactory(owner=user, start_time=timezone.now())
    TaskFactory(owner=user, due_date=today - datetime.timedelta(days=8), subject="Send the proposal")
    TaskFactory(owner=user, due_date=today - datetime.timedelta(days=9), status=Activity.Status.COMPLETED)
    CaseFactory(owner=user, priority=Case.Priority.HIGH)
    CaseFactory(owner=user, priority=Case.Priority.HIGH, status=Case.Status.ESCALATED)
    CaseFactory(owner=user, priority=Case.Priority.MEDIUM)
    CaseFactory(owner=user, priority=Case.Priority.LOW, status=Case.Status.CLOSED)
    return today


def test_the_numbers(api, data, user):
    response = api.get(URL)
    assert response.status_code == 200, response.data
    body = response.data
    stages = {row["name"]: (row["count"], row["amount"]) for row in body["pipeline"]}
    assert stages["Qualifying"] == (1, "100.00")  # the deactivated deal is not in the pipeline
    assert stages["Proposal"] == (1, "200.00")
    assert stages["Closed Won"] == (3, "11499.00")
    assert stages["Closed Lost"] == (1, "50.00")
    assert body["open"] == {"count": 2, "amount": "300.00"}

    months = body["won_by_month"]
    assert len(months) == 12
    assert months[-1] == {"month": data.strftime("%Y-%m"), "count": 1, "amount": "1000.00"}
    assert months[-4]["amount"] == "500.00"
    assert sum(Decimal(row["amount"]) for row in months) == Decimal("1500.00")
    # Three months back is always before this quarter's first month.
    assert body["won_quarter"]["count"] == 1
    assert body["won_quarter"]["amount"] == "1000.00"

    assert body["conversion"] == {
        "leads": 4,
        "converted": 2,
        "opportunities": 2,
        "won": 1,
        "lead_to_opportunity": 50.0,
        "opportunity_to_won": 50.0,
        "lead_to_won": 25.0,
    }
    assert body["activities_this_week"] == [
        {"user_id": user.pk, "user_name": user.name, "tasks": 1, "events": 1, "total": 2}
    ]
    assert body["top_accounts"] == [
        {
            "account_id": body["top_accounts"][0]["account_id"],
            "account_name": "Acme Ltd",
            "amount": "1000.00",
            "count": 1,
        },
        {
            "account_id": body["top_accounts"][1]["account_id"],
            "account_name": "Beta Ltd",
            "amount": "500.00",
            "count": 1,
        },
    ]
    assert body["overdue_tasks"]["count"] == 1
    assert [row["subject"] for row in body["overdue_tasks"]["items"]] == ["Send the proposal"]
    assert body["open_cases_by_priority"] == [
        {"priority": "High", "count": 2},
        {"priority": "Medium", "count": 1},
        {"priority": "Low", "count": 0},
    ]


def test_it_counts_only_what_the_user_may_see(org, data, user, admin):
    # given the seller's records Private, and a colleague who is not their manager
    for name in ("opportunity", "lead", "activity", "case", "account"):
        set_default(org.pk, name, Access.PRIVATE)
    peer = client_for(make_user(org, Role.USER))
    # when the colleague opens the dashboard, then none of it is theirs to see
    body = peer.get(URL).data
    assert all(row["count"] == 0 for row in body["pipeline"])
    assert body["open"] == {"count": 0, "amount": "0.00"}
    assert body["conversion"]["leads"] == 0
    assert body["activities_this_week"] == []
    assert body["top_accounts"] == []
    assert body["overdue_tasks"] == {"count": 0, "items": []}
    assert all(row["count"] == 0 for row in body["open_cases_by_priority"])
    # and an administrator's dashboard still counts everything
    assert client_for(admin).get(URL).data["open"] == {"count": 2, "amount": "300.00"}
    # and the seller's own too
    assert client_for(user).get(URL).data["open"] == {"count": 2, "amount": "300.00"}


def test_a_manager_counts_their_team_and_what_is_shared_with_them_once(org, data, user):
    # given Private defaults, a manager of the seller, and deals of a stranger, one of them shared
    for name in ("opportunity", "account", "activity"):
        set_default(org.pk, name, Access.PRIVATE)
    manager = make_user(org, Role.USER)
    user.manager = manager
    user.save(update_fields=["manager"])
    stranger = make_user(org, Role.USER)
    gamma = AccountFactory(owner=stranger, name="Gamma Ltd")
    won = {"owner": stranger, "account": gamma, "stage": "Closed Won", "close_date": data}
    shared = OpportunityFactory(**won, amount=Decimal("700.00"))
    OpportunityFactory(**won, amount=Decimal("9000.00"))
    share_record(shared, manager)
    share_record(gamma, manager)
    # and a deal of the seller that is shared with the manager as well (it counts once)
    own = OpportunityFactory(owner=user, account=AccountFactory(owner=user), stage="Proposal", amount=Decimal("5.00"))
    share_record(own, manager)
    TaskFactory(owner=stranger, assigned_to=user, due_date=data - datetime.timedelta(days=3))
    TaskFactory(owner=stranger, due_date=data - datetime.timedelta(days=4))  # the stranger's own

    body = client_for(manager).get(URL).data

    stages = {row["name"]: (row["count"], row["amount"]) for row in body["pipeline"]}
    assert stages["Proposal"] == (2, "205.00")
    assert stages["Closed Won"] == (4, "12199.00")  # the seller's three and the shared one
    assert body["won_quarter"] == {"start": body["won_quarter"]["start"], "count": 2, "amount": "1700.00"}
    assert [(row["account_name"], row["amount"], row["count"]) for row in body["top_accounts"]] == [
        ("Acme Ltd", "1000.00", 1),
        ("Gamma Ltd", "700.00", 1),
        ("Beta Ltd", "500.00", 1),
    ]
    # the task the stranger assigned to the seller is the team's; the stranger's own is not
    assert body["overdue_tasks"]["count"] == 2


QUERIES = 12  # token, sharing facts, stages, pipeline, months, leads, their opportunities, week, top accounts, overdue, how many, cases


def test_query_count_is_fixed(org, api, user, data):
    api.get(URL)  # the first request of a token records its use
    with count_queries() as few:
        assert api.get(URL).status_code == 200
    for _ in range(10):
        OpportunityFactory(owner=user, stage="Closed Won", amount=Decimal("1.00"), close_date=data)
        TaskFactory(owner=user, due_date=data - datetime.timedelta(days=2))
        CaseFactory(owner=user, priority=Case.Priority.LOW)
    set_default(org.pk, "opportunity", Access.PRIVATE)
    with count_queries() as many:
        assert api.get(URL).status_code == 200
    assert few.count == many.count, [q["sql"] for q in many.captured_queries]
    assert many.count == QUERIES, [q["sql"] for q in many.captured_queries]


def test_anonymous_is_refused(anon):
    assert anon.get(URL).status_code == 401
