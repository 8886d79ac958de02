"""First-start set-up for `make run`: the demo organization and its admin, printed once."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from crm.identity import services
from crm.identity.models import Organization, User


class Command(BaseCommand):
    help = "Create the demo organization and admin if the database has none; optionally fill demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo-data", action="store_true", help="Fill the demo organization with sample data.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = os.environ.get("CRM_ADMIN_EMAIL", "admin@example.com").strip().lower()
        port = os.environ.get("PORT", "8000")
        created = False
        if not Organization.objects.exists():
            password = os.environ.get("CRM_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            user = services.organization_create(
                name=os.environ.get("CRM_ORG_NAME", "Demo Agency"),
                admin_email=email,
                admin_password=password,
                admin_name=os.environ.get("CRM_ADMIN_NAME", "Demo Admin"),
            )
            created = True
            if options["demo_data"]:
                call_command("seed_demo", organization=user.organization_id, stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            f"  CRM is starting on http://127.0.0.1:{port}/  (API docs: http://127.0.0.1:{port}/api/docs/)"
        )
        if created:
            self.stdout.write(f"  Sign in as {email} with password: {password}")
            if not os.environ.get("CRM_ADMIN_PASSWORD"):
                self.stdout.write("  (this generated password is shown only once)")
        elif User.objects.filter(email=email).exists():
            self.stdout.write(f"  Sign in as {email} (password as set at first start or via CRM_ADMIN_PASSWORD).")
        self.stdout.write("")
