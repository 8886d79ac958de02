"""Benchmark-sized accounts and contacts."""

from __future__ import annotations

from datetime import timedelta

from crm.accounts.models import Account, Contact
from crm.seeding.scale import ScaleContext, Timer, bulk_load, ids_of

WORDS = [
    "Global",
    "Blue",
    "Nova",
    "Summit",
    "River",
    "Cedar",
    "Orbit",
    "Lumen",
    "Pine",
    "Iron",
    "Silver",
    "Apex",
    "Harbor",
    "Quantum",
    "Maple",
    "Delta",
    "Vertex",
    "Bright",
    "North",
    "Golden",
]
KINDS = ["Logistics", "Hotels", "Foods", "Clinic", "Studios", "Labs", "Energy", "Partners", "Traders", "Media"]
FIRST = [
    "Ivan",
    "Maria",
    "Georgi",
    "Elena",
    "Nikolay",
    "Petya",
    "Stoyan",
    "Anna",
    "Martin",
    "Viktoria",
    "Boris",
    "Yana",
    "Peter",
    "Sofia",
    "Daniel",
    "Laura",
    "Alex",
    "Nina",
    "Simon",
    "Emma",
]
LAST = [
    "Ivanov",
    "Petrova",
    "Georgiev",
    "Dimitrova",
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Hughes",
    "Green",
    "Hall",
    "Wood",
    "Clarke",
    "Lewis",
]
TYPES = [t.value for t in Account.Type]


def generate(ctx: ScaleContext) -> None:
    n_accounts = ctx.size(100_000)
    n_contacts = ctx.size(1_000_000)
    rng = ctx.rng
    with Timer(ctx, f"{n_accounts} accounts"):
        cols = (
            *ctx.record_columns(),
            "name",
            "phone",
            "website",
            "type",
            "description",
            "billing_address",
            "shipping_address",
        )
        rows = (
            (
                *ctx.record_values(created_at=ctx.now - timedelta(minutes=i)),
                f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i}",
                f"+359 2 {i:07d}",
                f"https://account{i}.example",
                rng.choice(TYPES),
                "",
                f"{i % 200 + 1} Main Street",
                "",
            )
            for i in range(n_accounts)
        )
        bulk_load(Account, cols, rows)
    account_ids = ids_of(Account, ctx.organization_id)
    ctx.ids["account"] = account_ids
    with Timer(ctx, f"{n_contacts} contacts"):
        cols = (
            *ctx.record_columns(),
            "first_name",
            "last_name",
            "title",
            "email",
            "phone",
            "description",
            "account_id",
        )
        rows = (
            (
                *ctx.record_values(created_at=ctx.now - timedelta(seconds=i)),
                rng.choice(FIRST),
                f"{rng.choice(LAST)}{i % 997}",
                "",
                f"person{i}@contacts.example",
                f"+359 88 {i:07d}",
                "",
                account_ids[i % len(account_ids)],
            )
            for i in range(n_contacts)
        )
        bulk_load(Contact, cols, rows)
    ctx.ids["contact"] = ids_of(Contact, ctx.organization_id)
