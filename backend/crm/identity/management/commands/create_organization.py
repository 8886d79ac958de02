"""Create a further organization (tenant) with its first user as Owner."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.core.errors import ApplicationError
from crm.identity import services


class Command(BaseCommand):
    help = "Create an organization and its Owner: --name, --admin-email, --admin-password (generated if omitted)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password")
        parser.add_argument("--admin-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["admin_password"] or secrets.token_urlsafe(12)
        try:
            user = services.organization_create(
                name=options["name"],
                admin_email=options["admin_email"],
                admin_password=password,
                admin_name=options["admin_name"],
            )
        except ApplicationError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self.stdout.write(f"Organization '{user.organization.name}' (id {user.organization_id}) created.")
        self.stdout.write(f"Owner: {user.email}")
        if not options["admin_password"]:
            self.stdout.write(f"Password: {password}")
