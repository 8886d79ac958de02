"""Fill an organization with believable demo data.

Each domain has a module in ``crm.seeding.demo`` with ``seed(ctx: DemoContext)``; they run in
the order of ``DOMAINS``, so later domains can use what earlier ones created.
"""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from crm.core.scoping import org_scope
from crm.identity.models import Organization, Role, User
from crm.seeding.demo import DemoContext, accounts, activities, billing, invoicing, sales, service

# Each domain's seeder, in the order their data builds on each other.
DOMAINS = (accounts, sales, billing, invoicing, service, activities)

DEMO_USERS = [
    ("Maria Ivanova", "manager"),
    ("Georgi Petrov", "user"),
    ("Elena Dimitrova", "user"),
]


class Command(BaseCommand):
    help = "Fill an organization (default: the first) with demo accounts, contacts and more."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", type=int, help="Organization id (default: the first one).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for repeatable data.")

    def handle(self, *args: Any, **options: Any) -> None:
        org = (
            Organization.objects.filter(pk=options["organization"]).first()
            if options["organization"]
            else Organization.objects.order_by("id").first()
        )
        if org is None:
            raise CommandError("No such organization; run bootstrap or create_organization first.")
        admin = User.objects.filter(organization=org, role__in=[Role.OWNER, Role.ADMIN]).order_by("id").first()
        if admin is None:
            raise CommandError("The organization has no Owner or Admin to act as.")
        with org_scope(org.pk), transaction.atomic():
            users = [admin]
            domain = admin.email.split("@")[-1]
            for name, role in DEMO_USERS:
                email = f"{name.split()[0].lower()}.{org.pk}@{domain}"
                user = User.objects.filter(email=email).first() or User.objects.create_user(
                    email, None, organization=org, name=name, role=role
                )
                users.append(user)
            ctx = DemoContext(organization=org, actor=admin, users=users, rng=random.Random(options["seed"]))
            for module in DOMAINS:
                module.seed(ctx)
        summary = ", ".join(f"{count} {name}" for name, count in ctx.created.items())
        self.stdout.write(f"Demo data for '{org.name}': {summary or 'nothing new'}.")
