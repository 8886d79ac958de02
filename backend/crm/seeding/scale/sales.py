"""Benchmark-sized products, leads, opportunities with line items, and contact roles.

Opportunities are spread over the default stages; the won ones are handed to the billing
generator (``ctx.data["won"]``) so that orders and contracts copy real deals.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from crm.sales.models import Lead, Opportunity, OpportunityContactRole, OpportunityLineItem, Product
from crm.seeding.scale import ScaleContext, Timer, bulk_load, ids_of
from crm.seeding.scale.accounts import FIRST, KINDS, LAST, WORDS

PRODUCTS = [
    # name, code, list price, retainer
    ("Website Starter", "WEB-S", "1200.00", False),
    ("Website Business", "WEB-B", "3500.00", False),
    ("E-commerce Build", "ECOM", "8900.00", False),
    ("Brand Identity", "BRAND", "2400.00", False),
    ("Logo Design", "LOGO", "450.00", False),
    ("Photo Shoot", "PHOTO", "800.00", False),
    ("Video Production", "VIDEO", "3200.00", False),
    ("Copywriting Pack", "COPY", "600.00", False),
    ("SEO Audit", "SEO-A", "750.00", False),
    ("Social Media Setup", "SOC-S", "500.00", False),
    ("Mobile App MVP", "APP", "15000.00", False),
    ("UX Workshop", "UXW", "1800.00", False),
    ("Landing Page", "LAND", "650.00", False),
    ("Email Templates", "MAIL", "400.00", False),
    ("Analytics Setup", "ANLY", "550.00", False),
    ("Training Day", "TRAIN", "900.00", False),
    ("Hosting and Care", "CARE", "150.00", True),
    ("SEO Retainer", "SEO-R", "900.00", True),
    ("Social Media Management", "SOC-M", "1100.00", True),
    ("Support Hours", "SUP", "400.00", True),
]
# stage name -> (share of opportunities, probability)
STAGE_MIX = [
    ("Qualifying", 0.12, 10),
    ("Proposal", 0.10, 50),
    ("Negotiation", 0.08, 75),
    ("Closed Won", 0.55, 100),
    ("Closed Lost", 0.15, 0),
]
LEAD_STATUSES = [("New", 0.35), ("Contacted", 0.25), ("Qualified", 0.12), ("Unqualified", 0.13), ("Converted", 0.15)]
SOURCES = [s.value for s in Lead.Source]
INDUSTRIES = [i.value for i in Lead.Industry]
ROLES = [r.value for r in OpportunityContactRole.Role]
CENT = Decimal("0.01")


def _pick(rng, mix: list[tuple]) -> str:
    roll = rng.random()
    for entry in mix:
        roll -= entry[1]
        if roll <= 0:
            return entry[0]
    return mix[-1][0]


def generate(ctx: ScaleContext) -> None:
    rng = ctx.rng
    today = ctx.now.date()
    account_ids = ctx.ids["account"]
    contact_ids = ctx.ids["contact"]

    with Timer(ctx, f"{len(PRODUCTS)} products"):
        cols = (
            *ctx.record_columns(),
            "name",
            "product_code",
            "description",
            "standard_list_price",
            "is_retainer_product",
        )
        rows = (
            (*ctx.record_values(), name, code, "", Decimal(price), retainer) for name, code, price, retainer in PRODUCTS
        )
        bulk_load(Product, cols, rows)
    product_ids = ids_of(Product, ctx.organization_id)
    prices = [Decimal(p[2]) for p in PRODUCTS]
    one_time = [i for i, p in enumerate(PRODUCTS) if not p[3]]
    ctx.data["products"] = [(pk, prices[i], PRODUCTS[i][3]) for i, pk in enumerate(product_ids)]

    n_leads = ctx.size(200_000)
    with Timer(ctx, f"{n_leads} leads"):
        cols = (
            *ctx.record_columns(),
            "first_name",
            "last_name",
            "company",
            "title",
            "email",
            "phone",
            "website",
            "address",
            "description",
            "status",
            "lead_source",
            "industry",
            "converted_at",
            "converted_account_id",
            "converted_contact_id",
            "converted_opportunity_id",
        )

        def leads():
            for i in range(n_leads):
                created = ctx.now - timedelta(minutes=3 * i)
                status = _pick(rng, LEAD_STATUSES)
                converted = status == "Converted"
                contact = i % len(contact_ids)
                yield (
                    *ctx.record_values(created_at=created),
                    rng.choice(FIRST),
                    f"{rng.choice(LAST)}{i % 991}",
                    f"{rng.choice(WORDS)} {rng.choice(KINDS)} Prospect {i}",
                    "",
                    f"lead{i}@leads.example",
                    f"+359 87 {i:07d}",
                    "",
                    "",
                    "",
                    status,
                    rng.choice(SOURCES),
                    rng.choice(INDUSTRIES),
                    created + timedelta(days=3) if converted else None,
                    account_ids[contact % len(account_ids)] if converted else None,
                    contact_ids[contact] if converted else None,
                    None,
                )

        bulk_load(Lead, cols, leads())

    n_opps = ctx.size(200_000)
    n_lines = ctx.size(600_000)
    per_opp = max(1, n_lines // max(1, n_opps))
    opportunities: list[tuple[int, str, object]] = []  # (account index, stage, close date) by position
    # (product id, quantity, sale price) by position: chosen with the opportunity, whose stored
    # amount is their sum, and written once the opportunities have ids.
    lines: list[list[tuple[int, Decimal, Decimal]]] = []
    with Timer(ctx, f"{n_opps} opportunities"):
        cols = (
            *ctx.record_columns(),
            "name",
            "stage",
            "close_date",
            "probability",
            "amount",
            "lead_source",
            "next_step",
            "description",
            "account_id",
            "billed_at",
            "billed_by",
        )
        probability = {name: p for name, _, p in STAGE_MIX}

        def opps():
            for i in range(n_opps):
                stage = _pick(rng, STAGE_MIX)
                if stage.startswith("Closed"):
                    close = today - timedelta(days=rng.randint(1, 730))
                else:
                    close = today + timedelta(days=rng.randint(-10, 180))
                account = i % len(account_ids)
                opportunities.append((account, stage, close))
                created = ctx.now - timedelta(days=rng.randint(30, 800), minutes=i % 1440)
                mine = []
                for _ in range(per_opp):
                    product = rng.choice(one_time)
                    quantity = Decimal(rng.randint(1, 5))
                    price = (prices[product] * Decimal(rng.choice((100, 100, 95, 90))) / 100).quantize(CENT)
                    mine.append((product_ids[product], quantity, price))
                lines.append(mine)
                yield (
                    *ctx.record_values(created_at=created),
                    f"{rng.choice(PRODUCTS)[0]} for {rng.choice(WORDS)} {i}",
                    stage,
                    close,
                    probability[stage],
                    sum((quantity * price for _, quantity, price in mine), Decimal("0.00")),
                    rng.choice(SOURCES),
                    "",
                    "",
                    account_ids[account],
                    None,
                    "",
                )

        bulk_load(Opportunity, cols, opps())
    opp_ids = ids_of(Opportunity, ctx.organization_id)
    ctx.ids["opportunity"] = opp_ids

    with Timer(ctx, f"{per_opp * n_opps} opportunity line items"):
        cols = (
            "organization_id",
            "opportunity_id",
            "product_id",
            "quantity",
            "sale_price",
            "description",
            "version",
            "created_at",
        )

        def items():
            for pk, mine in zip(opp_ids, lines, strict=True):
                for product_id, quantity, price in mine:
                    yield (ctx.organization_id, pk, product_id, quantity, price, "", 1, ctx.now)

        bulk_load(OpportunityLineItem, cols, items())

    with Timer(ctx, "contact roles on open opportunities"):
        cols = ("organization_id", "opportunity_id", "contact_id", "role", "is_primary")
        n_contacts = len(contact_ids)

        def roles():
            for position, (account, stage, _) in enumerate(opportunities):
                if stage.startswith("Closed") or account >= n_contacts:
                    continue
                # contact n belongs to account n % accounts (see accounts/scale.py)
                yield (ctx.organization_id, opp_ids[position], contact_ids[account], rng.choice(ROLES), True)

        bulk_load(OpportunityContactRole, cols, roles())

    ctx.data["won"] = [
        (opp_ids[position], account_ids[account], close, lines[position])
        for position, (account, stage, close) in enumerate(opportunities)
        if stage == "Closed Won"
    ]
