"""Benchmark-sized tasks and events over the last two years and the next three months.

Each is assigned to one of the organization's users and linked to an account or an opportunity
(What) and often to one of the account's contacts (Who).
"""

from __future__ import annotations

from datetime import timedelta

from crm.activities.models import Activity
from crm.seeding.scale import ScaleContext, Timer, bulk_load

TASKS = ["Call back", "Send proposal", "Follow up on invoice", "Prepare quote", "Review brief", "Book kick-off"]
EVENTS = ["Kick-off meeting", "Design review", "Demo", "Site visit", "Quarterly review", "Workshop"]
PAST_DAYS = 730
FUTURE_DAYS = 90


def generate(ctx: ScaleContext) -> None:
    rng = ctx.rng
    now = ctx.now
    account_ids = ctx.ids["account"]
    contact_ids = ctx.ids["contact"]
    opp_ids = ctx.ids.get("opportunity", [])
    users = ctx.user_ids
    n_activities = ctx.size(1_000_000)
    cols = (
        *ctx.record_columns(),
        "type",
        "subject",
        "description",
        "status",
        "priority",
        "due_date",
        "start_time",
        "end_time",
        "is_all_day_event",
        "location",
        "assigned_to_id",
        "what_type",
        "what_id",
        "who_type",
        "who_id",
        "completed_at",
    )

    def activities():
        for i in range(n_activities):
            user = users[rng.randrange(len(users))]
            offset = rng.randint(-PAST_DAYS * 24, FUTURE_DAYS * 24)
            moment = (now + timedelta(hours=offset)).replace(minute=0, second=0, microsecond=0)
            created = min(now, moment) - timedelta(days=rng.randint(0, 14))
            roll = rng.random()
            priority = "Normal" if roll < 0.7 else ("High" if roll < 0.9 else "Low")
            contact = rng.randrange(len(contact_ids))
            account = contact % len(account_ids)
            if opp_ids and rng.random() < 0.3:
                what = ("Opportunity", opp_ids[rng.randrange(len(opp_ids))])
                who = ("", None)
            else:
                what = ("Account", account_ids[account])
                who = ("Contact", contact_ids[contact]) if rng.random() < 0.7 else ("", None)
            if i % 5 < 3:  # tasks
                past = offset < 0
                done = past and rng.random() < 0.85
                status = (
                    "Completed"
                    if done
                    else rng.choice(("Not Started", "Not Started", "In Progress", "Waiting on someone else"))
                )
                row = ("Task", f"{rng.choice(TASKS)} #{i}", "", status, priority, moment.date(), None, None, False, "")
                completed = moment if done else None
            else:
                end = moment + timedelta(minutes=rng.choice((30, 60, 60, 90, 120)))
                row = ("Event", f"{rng.choice(EVENTS)} #{i}", "", "", priority, None, moment, end, False, "Office")
                completed = None
            yield (
                *ctx.record_values(owner_id=user, created_at=created),
                *row,
                user,
                *what,
                *who,
                completed,
            )

    with Timer(ctx, f"{n_activities} activities"):
        bulk_load(Activity, cols, activities())
