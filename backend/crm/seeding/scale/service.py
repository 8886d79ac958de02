"""Benchmark-sized support cases, each on an account and one of its contacts."""

from __future__ import annotations

from datetime import timedelta

from crm.records.sequences import sequence_reserve_through
from crm.seeding.scale import ScaleContext, Timer, bulk_load
from crm.service.models import Case
from crm.service.services import CASE_NUMBERS

SUBJECTS = [
    "Website is down",
    "Invoice question",
    "Cannot log in to the shop",
    "Change request for the landing page",
    "Broken image on the home page",
    "Email form not delivering",
    "Slow page loads",
    "Update opening hours",
    "Domain renewal",
    "Analytics numbers look wrong",
]
STATUSES = [("New", 0.15), ("In Progress", 0.15), ("Escalated", 0.05), ("Closed", 0.65)]
PRIORITIES = [p.value for p in Case.Priority]
ORIGINS = [o.value for o in Case.Origin]
FIRST_NUMBER = 1000


def generate(ctx: ScaleContext) -> None:
    rng = ctx.rng
    account_ids = ctx.ids["account"]
    contact_ids = ctx.ids["contact"]
    n_cases = ctx.size(50_000)
    cols = (
        *ctx.record_columns(),
        "case_number",
        "subject",
        "status",
        "priority",
        "origin",
        "description",
        "account_id",
        "contact_id",
        "closed_at",
    )

    def cases():
        for i in range(n_cases):
            created = ctx.now - timedelta(minutes=20 * i + rng.randint(0, 19))
            roll, status = rng.random(), STATUSES[-1][0]
            for name, share in STATUSES:
                roll -= share
                if roll <= 0:
                    status = name
                    break
            contact = rng.randrange(len(contact_ids))
            yield (
                *ctx.record_values(created_at=created),
                CASE_NUMBERS.format(FIRST_NUMBER + i + 1),
                f"{rng.choice(SUBJECTS)} #{i}",
                status,
                rng.choice(PRIORITIES),
                rng.choice(ORIGINS),
                "",
                account_ids[contact % len(account_ids)],
                contact_ids[contact],
                created + timedelta(hours=rng.randint(1, 200)) if status == "Closed" else None,
            )

    with Timer(ctx, f"{n_cases} cases"):
        bulk_load(Case, cols, cases())
    sequence_reserve_through(key=CASE_NUMBERS.key, value=FIRST_NUMBER + n_cases)
