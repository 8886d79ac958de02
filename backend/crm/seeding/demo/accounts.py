"""Demo accounts and contacts: web-agency clients with their people."""

from __future__ import annotations

from crm.accounts.models import Account, Contact
from crm.records.services import record_create
from crm.seeding.demo import DemoContext

COMPANIES = [
    ("Acme Logistics", "Customer", "Sofia"),
    ("Blue Harbor Hotels", "Customer", "Varna"),
    ("Cedar & Stone Architects", "Prospect", "Plovdiv"),
    ("Danube Fresh Foods", "Customer", "Ruse"),
    ("Everpeak Outdoor", "Prospect", "Bansko"),
    ("Fintech Nova", "Customer", "Sofia"),
    ("Greenline Energy", "Partner", "Burgas"),
    ("Helix Medical Clinic", "Customer", "Sofia"),
    ("Iris Boutique", "Prospect", "Veliko Tarnovo"),
    ("Juniper Law Office", "Customer", "Plovdiv"),
    ("Kestrel Airways", "Prospect", "Sofia"),
    ("Lumen Photography", "Customer", "Varna"),
    ("Mosaic Publishing", "Partner", "Sofia"),
    ("Northwind Traders", "Customer", "Stara Zagora"),
    ("Orbit Coworking", "Prospect", "Sofia"),
    ("Pine Valley Dental", "Customer", "Pleven"),
    ("Quarry Craft Beer", "Customer", "Shumen"),
    ("Riverside Real Estate", "Prospect", "Plovdiv"),
    ("Summit Fitness Studios", "Customer", "Sofia"),
    ("Tundra Software Labs", "Partner", "Sofia"),
]
FIRST = [
    "Ivan",
    "Petya",
    "Nikolay",
    "Desislava",
    "Stoyan",
    "Anna",
    "Martin",
    "Viktoria",
    "Kaloyan",
    "Yana",
    "Boris",
    "Ralitsa",
]
LAST = ["Georgiev", "Koleva", "Stoyanov", "Marinova", "Angelov", "Hristova", "Todorov", "Nikolova", "Vasilev", "Ilieva"]
TITLES = ["CEO", "Marketing Manager", "Head of E-commerce", "Office Manager", "CTO", "Brand Lead", "Finance Director"]


def seed(ctx: DemoContext) -> None:
    if Account.objects.exists():
        return
    accounts = []
    for index, (name, kind, city) in enumerate(COMPANIES):
        slug = name.lower().replace(" & ", "-").replace(" ", "")
        account = record_create(
            model=Account,
            actor=ctx.actor,
            data={
                "name": name,
                "type": kind,
                "phone": f"+359 2 {ctx.rng.randint(100, 999)} {ctx.rng.randint(1000, 9999)}",
                "website": f"https://www.{slug}.example",
                "billing_address": f"{ctx.rng.randint(1, 120)} Vitosha Blvd\n{city}\nBulgaria",
                "description": f"{kind} since {2018 + index % 7}.",
                "owner": ctx.owner(),
            },
        )
        accounts.append(account)
        for _ in range(ctx.rng.randint(2, 4)):
            first, last = ctx.rng.choice(FIRST), ctx.rng.choice(LAST)
            record_create(
                model=Contact,
                actor=ctx.actor,
                data={
                    "first_name": first,
                    "last_name": last,
                    "title": ctx.rng.choice(TITLES),
                    "email": f"{first.lower()}.{last.lower()}@{slug}.example",
                    "phone": f"+359 88 {ctx.rng.randint(100, 999)} {ctx.rng.randint(1000, 9999)}",
                    "account": account,
                    "owner": account.owner,
                },
            )
            ctx.count("contacts")
    ctx.count("accounts", len(accounts))
    ctx.objects["accounts"] = accounts
