"""Demo leads, the agency's product catalog and a pipeline of opportunities on the demo accounts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.accounts.models import Contact
from crm.records.services import record_create
from crm.sales.models import Lead, Opportunity, OpportunityContactRole, OpportunityLineItem, Product
from crm.sales.services.leads import lead_convert_nested
from crm.sales.services.opportunities import opportunity_amount_refresh, opportunity_create_nested
from crm.seeding.demo import DemoContext

PRODUCTS = [
    # name, code, price, retainer, description
    ("New Website Build", "WEB-BUILD", "5000.00", False, "Design and build of a marketing website."),
    ("E-commerce Store Build", "WEB-SHOP", "9500.00", False, "Online store with payments and catalog."),
    ("Logo Design", "BRAND-LOGO", "800.00", False, "Logo with three concepts and two revision rounds."),
    ("Brand Identity Package", "BRAND-ID", "2400.00", False, "Logo, palette, typography and brand guide."),
    ("Monthly SEO Package", "SEO-MONTH", "450.00", True, "Monthly keyword work, content and reporting."),
    ("Hosting & Maintenance", "HOST-MAINT", "120.00", True, "Managed hosting, updates and backups, per month."),
    ("Social Media Management", "SOCIAL-MONTH", "650.00", True, "Content calendar and posting, per month."),
    ("Photography Day", "PHOTO-DAY", "900.00", False, "One day of product or team photography."),
]

LEADS = [
    # first, last, company, status, source, industry, title
    ("Radoslav", "Kirov", "Kirov Bakery", "New", "Web", "Retail", "Owner"),
    ("Milena", "Zheleva", "Zheleva Dental Care", "New", "Referral", "Healthcare", "Practice Manager"),
    ("Todor", "Penev", "Penev Transport", "Contacted", "Phone Inquiry", "Manufacturing", "Director"),
    ("Gergana", "Dobreva", "Sunrise Yoga Studio", "Contacted", "Social Media", "Hospitality", "Founder"),
    ("Hristo", "Mladenov", "Mladenov Legal", "Qualified", "Referral", "Finance", "Partner"),
    ("Siyana", "Petkova", "Blossom Florists", "Qualified", "Web", "Retail", "Owner"),
    ("Dimitar", "Yordanov", "Balkan Craft Tours", "Qualified", "Trade Show", "Hospitality", "CEO"),
    ("Kristina", "Ruseva", "Ruseva Interiors", "Unqualified", "Advertisement", "Real Estate", "Designer"),
    ("Plamen", "Asenov", "Asenov Auto Parts", "Unqualified", "Other", "Retail", "Buyer"),
    ("Teodora", "Vasileva", "Little Steps Kindergarten", "New", "Partner", "Education", "Principal"),
    ("Lyubomir", "Stefanov", "Stefanov Accounting", "Contacted", "Web", "Finance", "Managing Partner"),
    ("Nadezhda", "Koleva", "Green Fork Restaurant", "Qualified", "Social Media", "Hospitality", "Owner"),
]

DEALS = [
    # name suffix, stage, products as (code, quantity, discount %), days to close
    ("Website Redesign", "Qualifying", [("WEB-BUILD", 1, 0)], 45),
    ("Online Store Launch", "Proposal", [("WEB-SHOP", 1, 5), ("PHOTO-DAY", 2, 0)], 30),
    ("SEO Retainer 2025", "Negotiation", [("SEO-MONTH", 12, 10)], 14),
    ("Brand Refresh", "Proposal", [("BRAND-ID", 1, 0), ("BRAND-LOGO", 1, 50)], 35),
    ("Hosting Renewal", "Closed Won", [("HOST-MAINT", 12, 0)], -10),
    ("New Website Build", "Closed Won", [("WEB-BUILD", 1, 10)], -20),
    ("Logo Design", "Closed Won", [("BRAND-LOGO", 1, 0)], -35),
    ("Social Media Retainer", "Negotiation", [("SOCIAL-MONTH", 6, 0)], 20),
    ("Product Photography", "Qualifying", [("PHOTO-DAY", 1, 0)], 60),
    ("E-commerce Upgrade", "Closed Lost", [("WEB-SHOP", 1, 15)], -15),
    ("Monthly SEO", "Closed Won", [("SEO-MONTH", 12, 0)], -60),
    ("Website + Hosting Bundle", "Proposal", [("WEB-BUILD", 1, 0), ("HOST-MAINT", 12, 20)], 25),
    ("Landing Pages", "Qualifying", [("WEB-BUILD", 1, 40)], 75),
    ("Brand Identity", "Closed Won", [("BRAND-ID", 1, 5)], -5),
    ("Maintenance Retainer", "Negotiation", [("HOST-MAINT", 12, 0), ("SEO-MONTH", 6, 0)], 10),
]


def _products(ctx: DemoContext) -> dict[str, Product]:
    products: dict[str, Product] = {}
    for name, code, price, retainer, description in PRODUCTS:
        products[code] = record_create(
            model=Product,
            actor=ctx.actor,
            data={
                "name": name,
                "product_code": code,
                "standard_list_price": Decimal(price),
                "is_retainer_product": retainer,
                "description": description,
            },
        )
    ctx.count("products", len(products))
    return products


def _leads(ctx: DemoContext) -> list[Lead]:
    leads = []
    for first, last, company, status, source, industry, title in LEADS:
        slug = company.lower().replace(" ", "")
        leads.append(
            record_create(
                model=Lead,
                actor=ctx.actor,
                data={
                    "first_name": first,
                    "last_name": last,
                    "company": company,
                    "status": status,
                    "lead_source": source,
                    "industry": industry,
                    "title": title,
                    "email": f"{first.lower()}@{slug}.example",
                    "phone": f"+359 87 {ctx.rng.randint(100, 999)} {ctx.rng.randint(1000, 9999)}",
                    "website": f"https://www.{slug}.example",
                    "address": f"{ctx.rng.randint(1, 90)} Rakovski St\nSofia\nBulgaria",
                    "owner": ctx.owner(),
                },
            )
        )
    ctx.count("leads", len(leads))
    return leads


def _add_lines(opportunity: Opportunity, products: dict[str, Product], lines: list[tuple[str, int, int]]) -> None:
    for code, quantity, discount in lines:
        product = products[code]
        price = (product.standard_list_price * (100 - discount) / 100).quantize(Decimal("0.01"))
        OpportunityLineItem.objects.create(
            opportunity=opportunity,
            product=product,
            quantity=Decimal(quantity),
            sale_price=price,
        )
    opportunity.amount = opportunity_amount_refresh(opportunity_id=opportunity.pk)


def seed(ctx: DemoContext) -> None:
    if Product.objects.exists() or Opportunity.objects.exists():
        return
    products = _products(ctx)
    leads = _leads(ctx)
    accounts = ctx.objects.get("accounts") or []
    today = timezone.localdate()
    opportunities: list[Opportunity] = []
    for index, (suffix, stage, lines, days) in enumerate(DEALS):
        if not accounts:
            break
        account = accounts[index % len(accounts)]
        opportunity = opportunity_create_nested(
            actor=ctx.actor,
            data={
                "name": f"{account.name}: {suffix}",
                "stage": stage,
                "close_date": today + datetime.timedelta(days=days),
                "account": account,
                "lead_source": ctx.rng.choice(Lead.Source.values),
                "next_step": "" if stage.startswith("Closed") else "Send the proposal and book a call.",
                "owner": account.owner,
            },
        )
        _add_lines(opportunity, products, lines)
        contact = Contact.objects.filter(account=account).order_by("id").first()
        if contact is not None:
            OpportunityContactRole.objects.create(
                opportunity=opportunity,
                contact=contact,
                role=OpportunityContactRole.Role.DECISION_MAKER,
                is_primary=True,
            )
        opportunities.append(opportunity)
    # One qualified lead went through conversion, so the demo shows the links it leaves.
    qualified = next(lead for lead in leads if lead.status == Lead.Status.QUALIFIED)
    conversion = lead_convert_nested(
        lead_id=qualified.pk, actor=ctx.actor, opportunity_name=f"{qualified.company}: New Website Build"
    )
    if conversion.opportunity is not None:
        _add_lines(conversion.opportunity, products, [("WEB-BUILD", 1, 0)])
        opportunities.append(conversion.opportunity)
    ctx.count("opportunities", len(opportunities))
    ctx.objects["products"] = list(products.values())
    ctx.objects["leads"] = leads
    ctx.objects["opportunities"] = opportunities
