"""Demo tasks and events: follow-ups (some overdue, some this week) and client meetings this month
and next, assigned to the demo users and related to accounts, contacts, deals and cases."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from crm.accounts.models import Contact
from crm.activities.models import Activity
from crm.activities.services import activity_create_nested
from crm.seeding.demo import DemoContext

TASKS = [
    "Send the revised proposal",
    "Follow up on the design feedback",
    "Prepare the monthly SEO report",
    "Chase the signed contract",
    "Collect the hosting credentials",
    "Review the analytics setup",
    "Book the photo shoot",
    "Confirm the launch date",
]
EVENTS = [
    ("Kick-off meeting", "Client office"),
    ("Design review", "Video call"),
    ("Quarterly business review", "Our office"),
    ("Launch rehearsal", "Video call"),
    ("Content workshop", "Client office"),
]


def _link(ctx: DemoContext, name: str, label: str) -> dict[str, Any]:
    rows = ctx.objects.get(name) or []
    if not rows:
        return {}
    return {"what_type": label, "what_id": ctx.rng.choice(rows).pk}


def seed(ctx: DemoContext) -> None:
    accounts = ctx.objects.get("accounts") or []
    if not accounts or Activity.objects.exists():
        return
    contacts = list(Contact.objects.filter(account__in=accounts).order_by("id"))
    today = timezone.localdate()
    created = 0
    for index, subject in enumerate(TASKS * 2):
        account = accounts[index % len(accounts)]
        people = [c for c in contacts if c.account_id == account.pk]
        offset = ctx.rng.choice([-6, -3, -1, 0, 1, 2, 4, 6, 10])
        link = {"what_type": "Account", "what_id": account.pk}
        if index % 4 == 1:
            link = _link(ctx, "opportunities", "Opportunity") or link
        elif index % 4 == 3:
            link = _link(ctx, "cases", "Case") or link
        data: dict[str, Any] = {
            "type": Activity.Type.TASK,
            "subject": subject,
            "due_date": today + datetime.timedelta(days=offset),
            "status": ctx.rng.choice(["Not Started", "Not Started", "In Progress", "Waiting on someone else"]),
            "priority": ctx.rng.choice(["High", "Normal", "Normal", "Low"]),
            "assigned_to": ctx.users[index % len(ctx.users)],
            **link,
        }
        if people:
            data.update(who_type="Contact", who_id=ctx.rng.choice(people).pk)
        if index % 5 == 4:
            data.update(status=Activity.Status.COMPLETED, due_date=today - datetime.timedelta(days=8))
        activity_create_nested(data=data, actor=ctx.actor)
        created += 1
    month_start = today.replace(day=1)
    for index, (subject, location) in enumerate(EVENTS * 3):
        account = accounts[(index * 2) % len(accounts)]
        people = [c for c in contacts if c.account_id == account.pk]
        day = month_start + datetime.timedelta(days=ctx.rng.randint(0, 55))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(ctx.rng.choice([9, 10, 11, 14, 15]))))
        data = {
            "type": Activity.Type.EVENT,
            "subject": f"{subject}: {account.name}",
            "start_time": start,
            "end_time": start + datetime.timedelta(minutes=ctx.rng.choice([30, 60, 90])),
            "location": location,
            "assigned_to": ctx.users[index % len(ctx.users)],
            "what_type": "Account",
            "what_id": account.pk,
        }
        if people:
            data.update(who_type="Contact", who_id=ctx.rng.choice(people).pk)
        activity_create_nested(data=data, actor=ctx.actor)
        created += 1
    ctx.count("activities", created)
