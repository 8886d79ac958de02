"""Demo cases: support issues raised by the demo accounts' people."""

from __future__ import annotations

from crm.accounts.models import Contact
from crm.seeding.demo import DemoContext
from crm.service.models import Case
from crm.service.services import case_create_nested, case_update_nested

ISSUES = [
    ("Checkout page returns an error on mobile", "High", "Email"),
    ("Contact form emails are not arriving", "High", "Phone"),
    ("Request to update the team photos", "Low", "Email"),
    ("Booking widget shows the wrong time zone", "Medium", "Web"),
    ("SSL certificate expiry warning", "High", "Chat"),
    ("Newsletter template breaks in Outlook", "Medium", "Email"),
    ("Add a new product category to the menu", "Low", "Phone"),
    ("Search results page is slow", "Medium", "Web"),
    ("Cookie banner text needs a legal update", "Medium", "Other"),
]
STATUSES = ["New", "New", "In Progress", "In Progress", "Escalated", "Closed"]


def seed(ctx: DemoContext) -> None:
    accounts = ctx.objects.get("accounts") or []
    if not accounts or Case.objects.exists():
        return
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(account__in=accounts).order_by("id"):
        contacts.setdefault(contact.account_id, []).append(contact)
    cases = []
    for index, (subject, priority, origin) in enumerate(ISSUES):
        account = accounts[(index * 3) % len(accounts)]
        people = contacts.get(account.pk) or [None]
        case = case_create_nested(
            actor=ctx.actor,
            data={
                "subject": subject,
                "priority": priority,
                "origin": origin,
                "account": account,
                "contact": ctx.rng.choice(people),
                "owner": ctx.owner(),
                "description": f"Reported by {account.name}.",
            },
        )
        status = ctx.rng.choice(STATUSES)
        if status != Case.Status.NEW:
            case = case_update_nested(
                case=case, data={"status": status}, expected_version=case.version, actor=ctx.actor
            )
        cases.append(case)
    ctx.count("cases", len(cases))
    ctx.objects["cases"] = cases
