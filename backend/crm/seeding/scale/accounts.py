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
        rows = (
            {
                **ctx.record(created_at=ctx.now - timedelta(minutes=i)),
                "name": f"{rng.choice(WORDS)} {rng.choice(KINDS)} {i}",
                "phone": f"+359 2 {i:07d}",
                "website": f"https://account{i}.example",
                "type": rng.choice(TYPES),
                "billing_address": f"{i % 200 + 1} Main Street",
            }
            for i in range(n_accounts)
        )
        bulk_load(Account, rows)
    account_ids = ids_of(Account, ctx.organization_id)
    ctx.ids["account"] = account_ids
    with Timer(ctx, f"{n_contacts} contacts"):
        rows = (
            {
                **ctx.record(created_at=ctx.now - timedelta(seconds=i)),
                "first_name": rng.choice(FIRST),
                "last_name": f"{rng.choice(LAST)}{i % 997}",
                "email": f"person{i}@contacts.example",
                "phone": f"+359 88 {i:07d}",
                "account_id": account_ids[i % len(account_ids)],
            }
            for i in range(n_contacts)
        )
        bulk_load(Contact, rows)
    ctx.ids["contact"] = ids_of(Contact, ctx.organization_id)
